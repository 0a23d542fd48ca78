"""The `deepcomposer` command: one entry point, one subcommand per capability.

Conventions (written down for every subcommand in docs/cli.md):
- the input file is positional; the output is `-o/--output`; an existing output is never replaced without
  `--overwrite`; `--seed` makes generation repeatable; `--json` prints machine-readable output.
- exit codes: 0 success; 2 bad input or usage (one line on stderr, no traceback); 1 internal error.

Each subcommand lives in its own module under `deepcomposer_edu/commands/`, which defines
`register(subparsers)`. This file only finds those modules, parses the command line, and turns errors
into exit codes, so adding a capability never means editing another capability's code.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import shlex
import sys
import traceback

from . import __version__, commands
from .errors import DeepComposerError

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE = 0, 1, 2


class _OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line on stderr and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    """The full parser: global options plus every subcommand found in `deepcomposer_edu.commands`."""
    parser = _OneLineParser(
        prog="deepcomposer",
        description="Compose music with generative AI on your own computer (deepcomposer-edu).",
    )
    parser.add_argument("--version", action="version", version=f"deepcomposer-edu {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_OneLineParser)
    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda info: info.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (also used by tests, without a subprocess)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.command_line = shlex.join(["deepcomposer", *(sys.argv[1:] if argv is None else argv)])  # for the audit log
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_USAGE if argv is None and len(sys.argv) <= 1 else EXIT_OK
    try:
        return int(args.run(args) or EXIT_OK)
    except DeepComposerError as error:
        sys.stderr.write(f"deepcomposer: error: {error}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("deepcomposer: interrupted\n")
        return 130
    except Exception as error:  # a bug of ours, not the user's: say so, show details only when asked
        if os.environ.get("DEEPCOMPOSER_DEBUG"):
            traceback.print_exc()
        sys.stderr.write(
            f"deepcomposer: internal error: {type(error).__name__}: {error} "
            "(set DEEPCOMPOSER_DEBUG=1 for details and please report it)\n"
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
