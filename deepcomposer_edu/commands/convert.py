"""`deepcomposer convert`: a MIDI file to a new MIDI file, sliced, quantised, transposed or at a new tempo.

Lesson: lessons/01_record_a_melody.ipynb (the same operations from Python, in `deepcomposer_edu.music.ops`).

    deepcomposer convert take.mid -o theme.mid --quantize 4
    deepcomposer convert song.mid -o chorus.mid --bars 8:16 --transpose -2 --tempo 96

The steps run in this order: slice the bars (on the input's bar lines), quantise, transpose, set the tempo.
With no option at all, the file is rewritten in the package's own tidy form (format 1, 480 ticks per beat).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InvalidArgumentError
from ..files import check_writable
from ..music.midi import read_midi, write_midi
from ..music.ops import change_tempo, quantize, slice_bars, transpose
from ._options import add_json_option, add_output_options, report_written_song

MIDI_SUFFIXES = (".mid", ".midi")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "convert",
        help="write a MIDI file sliced, quantised, transposed or at a new tempo",
        description=(
            "Read a MIDI file, apply the options in this order: --bars, --quantize, --transpose, --tempo, "
            "and write the result as a new MIDI file (format 1, 480 ticks per beat)."
        ),
    )
    parser.add_argument("input", metavar="IN.mid", help="the MIDI file to read")
    add_output_options(parser)
    parser.add_argument("--bars", metavar="START:END",
                        help="keep bars START up to (not including) END, counted from 0 like a Python slice "
                             "(0:4 is the first four bars; 4: is from bar 4 to the end)")
    parser.add_argument("--quantize", type=int, metavar="STEPS_PER_BEAT",
                        help="snap notes to a grid of this many steps per beat (4 = sixteenth notes)")
    parser.add_argument("--transpose", type=int, default=0, metavar="SEMITONES",
                        help="move pitched notes up (or down, if negative) by this many semitones")
    parser.add_argument("--tempo", type=float, metavar="BPM", help="set the opening tempo (later changes scale with it)")
    add_json_option(parser)
    parser.set_defaults(run=run)


def parse_bars(text: str) -> tuple[int, int | None]:
    """"4:8" -> (4, 8); "4:" -> (4, None); ":4" -> (0, 4)."""
    start, colon, end = text.partition(":")
    try:
        if not colon:
            raise ValueError
        return int(start) if start.strip() else 0, int(end) if end.strip() else None
    except ValueError:
        raise InvalidArgumentError(f"--bars {text!r}: write START:END with whole bar numbers, e.g. 0:4 or 8:") from None


def run(args) -> int:
    output = Path(args.output)
    if output.suffix.lower() not in MIDI_SUFFIXES:
        raise InvalidArgumentError(f"{output}: convert writes MIDI (.mid); for audio use 'deepcomposer render'")
    check_writable(output, args.overwrite)  # before any work
    original = song = read_midi(args.input)
    if args.bars is not None:
        start, end = parse_bars(args.bars)
        song = slice_bars(song, start, end)
        if not song.note_count:
            raise InvalidArgumentError(
                f"--bars {args.bars}: no notes there ({args.input} has {original.bar_count()} bars, counted from 0)"
            )
    if args.quantize is not None:
        song = quantize(song, args.quantize)
    if args.transpose:
        song = transpose(song, args.transpose)
    if args.tempo is not None:
        song = change_tempo(song, args.tempo)
    path = write_midi(song, output, overwrite=args.overwrite)
    report_written_song(path, song, args.json)
    return 0
