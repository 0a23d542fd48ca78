"""`deepcomposer style-transfer THEME.mid --style irish -o out.mid`: a melody played in another style.

Lesson: lessons/07_style_transfer.ipynb (the same from Python: `client().style_transfer` or
`deepcomposer_edu.transfer.style_transfer`). How it works and how well: docs/style_transfer.md.

    deepcomposer style-transfer theme.mid --style irish -o theme_jig.mid
    deepcomposer style-transfer theme.mid --style chorale -o theme_chorale.mp3 --seed 3
    deepcomposer style-transfer theme.mid --style chinese --no-arrange --keep-contour 1.5 -o melody_only.mid
"""

from __future__ import annotations

from ..errors import InvalidArgumentError
from ._options import add_json_option, add_output_options, add_registry_option, add_seed_option, print_json


def meter_value(text: str) -> tuple[int, int]:
    """`--meter 6/8` -> (6, 8)."""
    try:
        numerator, denominator = (int(part) for part in text.split("/"))
    except ValueError:
        raise InvalidArgumentError(f"meter {text!r}: write it like 4/4 or 6/8") from None
    return numerator, denominator


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "style-transfer", help="play a melody in another style (chorale, irish, chinese, classical, ...)",
        description="Re-write the melody of THEME.mid in another style with the style model (default "
                    "style-melody): the style's notes and rhythms, the theme's contour, bar for bar; then "
                    "arranged for the style (tempo, meter, instruments, texture). Styles: see `datasets list`.",
    )
    parser.add_argument("input", metavar="THEME.mid", help="the melody (its top line is used)")
    parser.add_argument("--style", required=True, metavar="STYLE",
                        help="target style or alias: chorale, irish (jig), fiddle, scottish, german_folk, "
                             "chinese_folk, european_folk, renaissance, classical, or a style you taught a model")
    parser.add_argument("--model-name", metavar="NAME", help="style model (default style-melody)")
    parser.add_argument("--meter", type=meter_value, metavar="N/D", help="target meter (default: the style's)")
    parser.add_argument("--tempo", type=float, metavar="BPM", help="target tempo (default: the style's)")
    parser.add_argument("--no-arrange", dest="arrange", action="store_false",
                        help="only the transferred melody, without the style's accompaniment")
    parser.add_argument("--keep-contour", type=float, metavar="X",
                        help="how closely pitches follow the theme (nats per semitone; default: the style's)")
    parser.add_argument("--keep-rhythm", type=float, metavar="X",
                        help="how much the theme's onsets are kept (nats; default: the style's; 0 = its own rhythm)")
    parser.add_argument("--keep-key", type=float, metavar="X",
                        help="nats off a pitch class the theme has not played yet (default: the style's; 0 = may modulate)")
    parser.add_argument("--style-contrast", type=float, metavar="X",
                        help="how far to lean away from the styles nearest the target (default: the style's; 0 = none)")
    parser.add_argument("--bar-drafts", type=int, metavar="N",
                        help="write each bar N times and keep the most distinctive (default: the style's; 1 = once)")
    parser.add_argument("--temperature", type=float, metavar="T", help="sampling temperature (default: the style's)")
    add_seed_option(parser)
    add_output_options(parser)
    parser.add_argument("--output-format", choices=("midi", "wav", "mp3"),
                        help="file format (default: from the output name's suffix, else midi)")
    add_registry_option(parser)
    add_json_option(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..client import client

    piece = client(args.registry).style_transfer(
        args.input, args.style, seed=args.seed, model_name=args.model_name, meter=args.meter, tempo=args.tempo,
        arrange=args.arrange, keep_contour=args.keep_contour, keep_rhythm=args.keep_rhythm,
        temperature=args.temperature, keep_key=args.keep_key, style_contrast=args.style_contrast,
        bar_drafts=args.bar_drafts, output=args.output, output_format=args.output_format,
        overwrite=args.overwrite, command=args.command_line,
    )
    meta = piece.metadata
    if args.json:
        print_json({"path": str(piece.path), "model": piece.model, "seed": piece.seed, **meta})
        return 0
    print(f"wrote {piece.path} ({meta['style']}: {meta['bars']} bars of {meta['meter']}, {meta['seconds']:.1f} s, "
          f"{meta['tempo']:g} BPM, {', '.join(meta['tracks'])})")
    return 0
