"""`python -m deepcomposer_edu` is the same as the `deepcomposer` command."""

from .cli import main

raise SystemExit(main())
