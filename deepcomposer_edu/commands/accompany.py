"""`deepcomposer accompany`: three more voices for your melody, by the GAN.

Lesson: lessons/03_gans.ipynb (accompanying the example theme).

    deepcomposer accompany theme.mid -o theme_accompanied.mid
    deepcomposer accompany theme.mid -o out.mid --model-name my-gan --seed 3 --instrument-pack band --overwrite

The melody comes back unchanged, note for note; the alto, tenor and bass are new. A melody of any length is
accompanied 8 bars at a time. Each run is written to the audit log.
"""

from __future__ import annotations

from ._options import add_json_option, add_output_options, add_registry_option, add_seed_option, print_json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "accompany", help="add alto, tenor and bass to a melody with a GAN",
        description="Read a melody from a MIDI file, accompany it with a GAN model (default: the shipped "
                    "gan-chorale) and write the melody and the three new voices as MIDI, WAV or MP3.",
    )
    parser.add_argument("theme", metavar="THEME.mid", help="MIDI file with the melody (its top line is used)")
    add_output_options(parser)
    parser.add_argument("--model-name", metavar="NAME", help="GAN model to use (default: gan-chorale)")
    add_seed_option(parser)
    sound = parser.add_mutually_exclusive_group()
    sound.add_argument("--instrument-pack", metavar="PACK", help="instruments to play it: orchestral, band, synth, ...")
    sound.add_argument("--style", metavar="STYLE", help="play it with a style's instruments (chorale, irish, ...)")
    add_registry_option(parser)
    add_json_option(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..gan_composer import accompany_file  # here, not at the top: torch loads only when a command needs it

    result = accompany_file(args.theme, args.output, model_name=args.model_name, seed=args.seed,
                            pack=args.instrument_pack, style=args.style, overwrite=args.overwrite,
                            registry=args.registry, command=args.command_line)
    if args.json:
        print_json(result)
        return 0
    print(f"wrote {result['path']} ({result['bars']} bars, melody moved {result['melody_shift']:+d} semitones "
          f"for the model and its new voices back, model {result['model']}, seed {result['seed']})")
    return 0
