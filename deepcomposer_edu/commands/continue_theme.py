"""`deepcomposer continue`: continue a theme with a transformer, keeping the theme as it is.

Lesson: lessons/04_transformers.ipynb (the same from Python: `TransformerComposer.continue_theme`).

    deepcomposer continue theme.mid --length 60 -o continued.mid
    deepcomposer continue theme.mid --bars 16 --style irish --seed 3 -o jig.mid --overwrite

The output holds the theme unchanged, then about --length seconds of new music that starts on the bar line
after the theme, keeps its meter and tempo, uses only the notes of its key (unless --chromatic), and ends
on a bar line on the tonic or the fifth. The default model is transformer-folk.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InvalidArgumentError
from ._options import add_json_option, add_output_options, add_registry_option, add_seed_option, print_json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "continue", help="continue a theme (MIDI file) with a transformer; the theme is kept unchanged",
        description="Continue THEME.mid with a transformer model (default transformer-folk): the theme, then about "
                    "--length seconds of new music in its key and meter that ends on the tonic or fifth.",
    )
    parser.add_argument("theme", metavar="THEME.mid", help="the MIDI file to continue")
    parser.add_argument("--length", type=float, default=30.0, metavar="SECONDS",
                        help="seconds of new music after the theme (default 30; rounded to whole bars)")
    parser.add_argument("--bars", type=int, metavar="N", help="number of new bars instead of --length")
    parser.add_argument("--model-name", metavar="NAME", help="transformer model to use (default: transformer-folk)")
    parser.add_argument("--style", help="style token to compose under (a style the model knows, e.g. irish)")
    parser.add_argument("--temperature", type=float, default=1.0, help="below 1: safer; above 1: bolder (default 1)")
    parser.add_argument("--chromatic", action="store_true", help="allow notes outside the theme's key")
    add_seed_option(parser)
    add_output_options(parser)
    add_registry_option(parser)
    add_json_option(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from .. import composers
    from ..audit import log_event
    from ..client import write_song
    from ..files import check_writable
    from ..music.midi import read_midi
    from ..registry import Registry, default_model_name

    if args.bars is not None and args.bars < 1:
        raise InvalidArgumentError(f"--bars must be 1 or more, got {args.bars}")
    if not 0 < args.length <= 3600:
        raise InvalidArgumentError(f"--length must be between 0 and 3600 seconds, got {args.length}")
    output = Path(args.output)
    if output.suffix.lower() not in (".mid", ".midi"):
        raise InvalidArgumentError(f"{output}: continue writes MIDI; name the output .mid")
    check_writable(output, args.overwrite)
    theme = read_midi(args.theme)
    registry = Registry(args.registry)
    name = args.model_name or default_model_name("continue", registry)
    model, tensors = registry.load(name)
    if model.card.type != "transformer":
        raise InvalidArgumentError(f"model {name!r} is a {model.card.type} model; continue needs a transformer")
    composer = composers.model_type("transformer").load(tensors, model.card.settings)
    song = composer.continue_theme(theme, args.length, args.seed, args.temperature, bars=args.bars, style=args.style,
                                   stay_in_key=not args.chromatic)
    path = write_song(song, output, "midi", overwrite=args.overwrite)
    parameters = {"task": "continue", "length": args.length, "bars": args.bars, "style": args.style,
                  "temperature": args.temperature, "stay_in_key": not args.chromatic}
    log_event("generate", command=args.command_line, model=name, parameters=parameters, seed=args.seed,
              inputs=[args.theme, model.weights_path], outputs=[path])
    summary = {"path": str(path), "model": name, "seed": args.seed, "theme_bars": theme.bar_count(),
               "bars": song.bar_count(), "seconds": round(song.duration_seconds, 3), "key": song.key}
    if args.json:
        print_json(summary)
    else:
        print(f"wrote {path} ({summary['theme_bars']} bars of theme + {summary['bars'] - summary['theme_bars']} new, "
              f"{summary['seconds']:g} s, key {song.key}, model {name}, seed {args.seed})")
    return 0
