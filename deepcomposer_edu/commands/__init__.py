"""One module per `deepcomposer` subcommand (or family of subcommands).

Each module defines `register(subparsers)`, which adds its parser(s) and sets `run=<function(args)>`.
`cli.build_parser` imports every module here in name order. Shared option groups live in `_options.py`.
"""
