"""`deepcomposer classify-style`: which styles a MIDI file's melody sounds like, with probabilities.

Lesson: lessons/07_style_transfer.ipynb (the same from Python: `load_style_classifier().song_probabilities(song)`).

    deepcomposer classify-style theme.mid
    deepcomposer classify-style theme.mid --json
    deepcomposer classify-style theme.mid --model-name my-judge      # a classifier that learned your style

Only the melody line is judged (pitches, onsets and durations in beats): the file's tempo, meter marking,
instruments and accompaniment make no difference. A long piece is judged as the mean over windows of 24
beats (cut by beats, not bars, so the meter marking cannot matter).
"""

from __future__ import annotations

from ..music.midi import read_midi
from ._options import add_json_option, add_registry_option, print_json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "classify-style",
        help="say which styles a MIDI file's melody sounds like (melody only), with probabilities",
        description=(
            "Judge the style of a MIDI file's melody line (its top line: pitches, onsets and durations in beats; "
            "tempo, meter, instruments and other voices are ignored) with the shipped melody-only style "
            "classifier, or another saved with --model-name. Prints the most likely styles."
        ),
    )
    parser.add_argument("input", metavar="FILE.mid", help="the MIDI file to judge")
    parser.add_argument("--model-name", metavar="NAME", default=None,
                        help="style classifier to use (default: the shipped style-classifier)")
    parser.add_argument("--top", type=int, default=3, metavar="N", help="how many styles to print (default 3)")
    add_json_option(parser)
    add_registry_option(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..errors import InvalidArgumentError
    from ..registry import Registry
    from ..transfer.classify import DEFAULT_NAME, beat_windows, load_style_classifier
    from ..transfer.melody import melody_line

    if args.top < 1:
        raise InvalidArgumentError(f"--top must be at least 1, got {args.top}")
    song = read_midi(args.input)
    judge = load_style_classifier(args.model_name or DEFAULT_NAME, Registry(args.registry))
    probabilities = judge.song_probabilities(song)
    ranked = sorted(zip(judge.styles, probabilities.tolist()), key=lambda pair: -pair[1])
    if args.json:
        print_json({"file": args.input, "model": judge.card.name if judge.card else None,
                    "windows": len(beat_windows(melody_line(song))),
                    "probabilities": {style: round(p, 6) for style, p in zip(judge.styles, probabilities.tolist())},
                    "top": [style for style, _ in ranked[: args.top]]})
    else:
        for style, probability in ranked[: args.top]:
            print(f"{style:<14} {probability:6.1%}")
    return 0
