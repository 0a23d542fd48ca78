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


def add_registry_option(parser: argparse.ArgumentParser) -> None:
    """`--registry DIR`: a folder of user models instead of DEEPCOMPOSER_HOME/models (docs/service.md)."""
    parser.add_argument("--registry", metavar="DIR", help="folder of your models (default: DEEPCOMPOSER_HOME/models)")


def add_generation_options(parser: argparse.ArgumentParser, default_output_format: str | None = None) -> None:
    """The options every generating command takes: model, seed, output file(s) and format, count, registry.

    With `--count N` > 1 the pieces go to OUT-1.mid, OUT-2.mid, ...; piece i uses seed `--seed` + i - 1.
    The output format is `--output-format`, or else the output name's suffix (.mid, .wav, .mp3).
    """
    parser.add_argument("--model-name", metavar="NAME", help="model to use (default: the task's default model)")
    add_seed_option(parser)
    add_output_options(parser)
    parser.add_argument("--output-format", choices=("midi", "wav", "mp3"), default=default_output_format,
                        help="file format (default: from the output name's suffix, else midi)")
    parser.add_argument("--count", type=int, default=1, metavar="N",
                        help="how many pieces to make (OUT-1.mid, OUT-2.mid, ...; default 1)")
    add_registry_option(parser)


def report_written_song(path, song, as_json: bool) -> None:
    """Say what was written: one line for a person, or JSON (output, notes, bars, beats, seconds)."""
    if as_json:
        print_json({"output": str(path), "notes": song.note_count, "bars": song.bar_count(),
                    "beats": round(song.end_beat, 6), "seconds": round(song.duration_seconds, 3)})
    else:
        print(f"wrote {path} ({song.note_count} notes, {song.bar_count()} bars, {song.duration_seconds:.1f} s)")
