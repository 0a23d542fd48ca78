"""`deepcomposer mood`: a melody re-composed for a mood (MoodSense), or as the CalmFlow preset.

Lesson: lessons/08_mood_and_adaptive_music.ipynb (the same from Python: `mood.generate_for_mood`).

    deepcomposer mood combat.mid --score 0.87 --genre cinematic -o combat_intense.mid
    deepcomposer mood theme.mid --score calm -o theme_calm.mp3
"""

from __future__ import annotations

from ..client import client
from ..errors import InvalidArgumentError
from ._options import add_json_option, add_output_options, add_seed_option, print_json


def mood_value(text: str) -> float | str:
    """`--score`: a number 0..1, or "calm" for CalmFlow (range checks happen in the mood mapping)."""
    if text.strip().lower() in ("calm", "calmflow"):
        return "calm"
    try:
        return float(text)
    except ValueError:
        raise InvalidArgumentError(f"mood {text!r}: give a number from 0 (calm) to 1 (intense), or 'calm'") from None


def add_mood_options(parser, score_flag: str) -> None:
    """The mood options shared by `mood` and `generate-music --mood`."""
    parser.add_argument(score_flag, dest="mood", metavar="MOOD",
                        help="0 (calm) .. 1 (intense), e.g. 0.87, or 'calm' for the CalmFlow preset")
    parser.add_argument("--genre", default="cinematic", metavar="STYLE",
                        help="a style or alias from the styles table: cinematic, jig, chorale, ... (default cinematic)")
    parser.add_argument("--valence", type=float, metavar="V", help="0 (dark) .. 1 (bright); default 1 - MOOD")
    parser.add_argument("--arousal", type=float, metavar="A", help="0 (calm) .. 1 (energetic); default MOOD")
    parser.add_argument("--bpm", type=float, metavar="BPM", help="fix the tempo (CalmFlow allows only 60)")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "mood", help="re-compose a melody for a mood (0 calm .. 1 intense, or CalmFlow)",
        description="Re-compose the top line of BASE.mid for a mood: tempo, mode, register, rhythmic density, "
                    "dynamics, harmony and instruments follow the mood (docs/mood.md). --score calm gives the "
                    "CalmFlow preset (60 BPM, four consonant chords, no leap over a fourth).",
    )
    parser.add_argument("input", metavar="BASE.mid", help="the melody to start from")
    add_mood_options(parser, "--score")
    parser.add_argument("--bars", type=int, metavar="N", help="loop or cut the base to N bars (default: its length)")
    add_seed_option(parser)
    add_output_options(parser)
    parser.add_argument("--output-format", choices=("midi", "wav", "mp3"),
                        help="file format (default: from the output name's suffix, else midi)")
    add_json_option(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    if args.mood is None:
        raise InvalidArgumentError("give a mood with --score (0 calm .. 1 intense, or 'calm')")
    piece = client().generate_for_mood(
        args.input, mood_value(args.mood), args.genre, seed=args.seed, valence=args.valence, arousal=args.arousal,
        bpm=args.bpm, bars=args.bars, output=args.output, output_format=args.output_format, overwrite=args.overwrite,
        command=args.command_line,
    )
    report(piece, args.json)
    return 0


def report(piece, as_json: bool) -> None:
    if as_json:
        print_json({"path": str(piece.path), "model": piece.model, "seed": piece.seed, **piece.metadata})
        return
    meta = piece.metadata
    print(f"wrote {piece.path} ({meta['bars']} bars, {meta['seconds']:.1f} s, {meta['tempo']:g} BPM, {meta['key']}, "
          f"{', '.join(meta['tracks'])})")
