"""`deepcomposer render`: a MIDI file to a WAV or MP3 you can listen to anywhere.

Lesson: lessons/00_welcome.ipynb (the same thing from Python: `audio.export(song, "theme.mp3")`).

    deepcomposer render theme.mid -o theme.mp3
    deepcomposer render theme.mid -o theme.wav --instrument-pack orchestral --builtin-synth
"""

from __future__ import annotations

from ..audio.export import export
from ..audio.instruments import PACKS
from ..audio.render import choose_soundfont
from ..files import check_writable
from ._options import add_json_option, add_output_options, print_json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "render",
        help="render a MIDI file to audio (.wav or .mp3)",
        description=(
            "Render a MIDI file to a WAV or MP3 file, through a General MIDI soundfont when one is installed "
            "(or named with --soundfont / $DEEPCOMPOSER_SOUNDFONT), else the built-in synthesizer."
        ),
    )
    parser.add_argument("input", metavar="IN.mid", help="the MIDI file to render")
    add_output_options(parser)
    parser.add_argument("--instrument-pack", choices=list(PACKS), metavar="NAME",
                        help=f"re-orchestrate with a pack first: {', '.join(PACKS)}")
    sound = parser.add_mutually_exclusive_group()
    sound.add_argument("--soundfont", metavar="PATH", help="a .sf2/.sf3 General MIDI soundfont to play with")
    sound.add_argument("--builtin-synth", action="store_true", help="use the built-in synthesizer, not a soundfont")
    parser.add_argument("--sample-rate", type=int, default=22050, metavar="HZ", help="samples per second (default 22050)")
    parser.add_argument("--bitrate", type=int, default=128, metavar="KBPS", help="MP3 bitrate in kbit/s (default 128)")
    add_json_option(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..music.midi import read_midi

    check_writable(args.output, args.overwrite)  # before any slow work
    song = read_midi(args.input)
    soundfont = False if args.builtin_synth else args.soundfont
    font = choose_soundfont(soundfont)
    path = export(song, args.output, overwrite=args.overwrite, sample_rate=args.sample_rate,
                  soundfont=False if font is None else font, instrument_pack=args.instrument_pack,
                  bitrate=args.bitrate)
    synth = str(font) if font is not None else "built-in synthesizer"
    if args.json:
        print_json({"output": str(path), "seconds": round(song.duration_seconds, 3), "synth": synth,
                    "instrument_pack": args.instrument_pack})
    else:
        print(f"wrote {path} ({song.duration_seconds:.1f} s of music, {synth})")
    return 0
