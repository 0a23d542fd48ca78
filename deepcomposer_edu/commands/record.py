"""`deepcomposer record`: record a melody from a MIDI keyboard (or type it) into a MIDI file.

Lesson: lessons/01_record_a_melody.ipynb (the same from a notebook, with the KeyboardRecorder widget).

    deepcomposer record --list-ports
    deepcomposer record -o theme.mid --tempo 90 --bars 8            # the first MIDI keyboard, after a bar of count-in
    deepcomposer record -o theme.mid --port "Keystation" --grid 2
    deepcomposer record -o theme.mid --notes "E4 G4 C5/2 B4 A4/8 G4/8 E4/2"   # no keyboard: text notation

Recording from a port needs python-rtmidi (`pip install "deepcomposer-edu[ports]"`) and a keyboard on this
computer; the text notation needs nothing (see deepcomposer_edu/music/notation.py for its grammar).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InvalidArgumentError
from ..files import check_writable
from ..music.midi import write_midi
from ..music.notation import parse_notes
from ..widgets.ports import list_ports, record_from_port
from ..widgets.recording import parse_time_signature
from ._options import add_json_option, add_output_options, print_json, report_written_song


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "record",
        help="record a melody from a MIDI keyboard (or type it in text notation) into a MIDI file",
        description=(
            "Count in, record BARS bars from a MIDI input port, quantise them to the grid and write a MIDI "
            "file; or write the melody given with --notes in text notation (C4 D4 E4/8 r/8 G4/2. ...)."
        ),
    )
    add_output_options(parser, required=False)
    parser.add_argument("--list-ports", action="store_true", help="list the MIDI input ports and stop")
    parser.add_argument("--port", metavar="NAME", help="the port to record from, or part of its name (default: the first)")
    parser.add_argument("--notes", metavar="TEXT", help="no keyboard: the melody in text notation")
    parser.add_argument("--bars", type=int, default=8, help="bars to record (default 8)")
    parser.add_argument("--tempo", type=float, default=100.0, metavar="BPM", help="beats per minute (default 100)")
    parser.add_argument("--time-signature", default="4/4", metavar="N/D", help="meter (default 4/4)")
    parser.add_argument("--grid", type=int, default=4, metavar="STEPS_PER_BEAT",
                        help="quantise to this many steps per beat (default 4: sixteenth notes)")
    parser.add_argument("--count-in", type=int, default=1, metavar="BARS", help="bars of count-in (default 1)")
    add_json_option(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    if args.list_ports:
        names = list_ports()
        if args.json:
            print_json({"ports": names})
        else:
            print("\n".join(names) if names else "no MIDI input ports found")
        return 0
    if not args.output:
        raise InvalidArgumentError("record needs -o/--output FILE.mid (or --list-ports)")
    output = check_writable(Path(args.output), args.overwrite)  # before anyone plays a note
    meter = parse_time_signature(args.time_signature)
    if args.notes is not None:
        song = parse_notes(args.notes, tempo=args.tempo, time_signature=meter)
    else:
        song = record_from_port(args.port, bars=args.bars, tempo=args.tempo, time_signature=meter,
                                grid=args.grid, count_in=args.count_in)
    if song.note_count == 0:
        raise InvalidArgumentError(f"{output}: no notes were played, so nothing was written")
    path = write_midi(song, output, overwrite=args.overwrite)
    report_written_song(path, song, args.json)
    return 0
