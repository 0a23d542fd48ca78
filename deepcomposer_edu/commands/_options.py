"""Option groups shared by many subcommands, so every subcommand spells them the same way (docs/cli.md)."""

from __future__ import annotations

import argparse
import json
import sys


def add_output_options(parser: argparse.ArgumentParser, required: bool = True) -> None:
    """`-o/--output PATH` and `--overwrite`: where to write, and permission to replace an existing file."""
    parser.add_argument("-o", "--output", required=required, metavar="PATH", help="file to write")
    parser.add_argument("--overwrite", action="store_true", help="replace the output file if it exists")


def add_json_option(parser: argparse.ArgumentParser) -> None:
    """`--json`: print machine-readable output instead of a table."""
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


def add_seed_option(parser: argparse.ArgumentParser) -> None:
    """`--seed N`: the same seed and inputs give byte-identical output."""
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")


def print_json(value) -> None:
    """Print `value` as indented JSON on stdout."""
    json.dump(value, sys.stdout, indent=2, sort_keys=False, default=str)
    sys.stdout.write("\n")
