"""`deepcomposer create-model` and `deepcomposer generate-music`: train a model, compose with it.

Lesson: lessons/00_welcome.ipynb (generate-music) and lessons/06_transfer_learning.ipynb (create-model).
Both dispatch on the model's type through `deepcomposer_edu/composers.py`.

    deepcomposer create-model --model-type markov --training-data my_midi/ --model-name my-tunes
    deepcomposer generate-music --model-name my-tunes --length 60 --count 3 -o tune.mid --seed 7
"""

from __future__ import annotations

import json
import sys

from ..client import client, output_paths
from ..errors import InvalidArgumentError
from ..files import check_writable
from ._options import add_generation_options, add_json_option, add_registry_option, add_seed_option, print_json
from .mood import add_mood_options, mood_value, report


def register(subparsers) -> None:
    create = subparsers.add_parser(
        "create-model", help="train a model on a folder of MIDI files and save it in your registry",
        description="Train a model of a given type on every MIDI file in a folder and save it (weights and card) "
                    "in your registry. The command line is recorded on the model's card and in the audit log.",
    )
    # No `choices=`: the types live in composers.MODEL_TYPES, whose import loads torch (slow for every command);
    # an unknown type is refused when the model is created, with the list of types.
    create.add_argument("--model-type", default="markov", metavar="TYPE",
                        help="kind of model: markov (default), gan, transformer, ...")
    create.add_argument("--training-data", required=True, metavar="DIR|CORPUS",
                        help="folder of MIDI files, or a shipped corpus or style name such as folk (its train split)")
    create.add_argument("--model-name", required=True, metavar="NAME", help="name for the new model (lowercase, e.g. my-tunes)")
    create.add_argument("--setting", action="append", default=[], metavar="KEY=VALUE",
                        help="a setting of the model type, e.g. order=2 (repeatable; see docs/service.md)")
    create.add_argument("--base-model", metavar="NAME",
                        help="start from this model and fine-tune it (gan: default gan-chorale; same as --setting base_model=NAME)")
    create.add_argument("--max-minutes", type=float, metavar="M",
                        help="training time budget in minutes (gan; same as --setting max_minutes=M)")
    create.add_argument("--description", default="", help="one line saying what the model is for")
    create.add_argument("--overwrite", action="store_true", help="replace a model of the same name")
    add_seed_option(create)
    add_registry_option(create)
    add_json_option(create)
    create.set_defaults(run=run_create)

    generate = subparsers.add_parser(
        "generate-music", help="compose new pieces with a model",
        description="Compose pieces of about --length seconds (a whole number of bars) with a model "
                    "(default: the shipped markov-folk) and write them as MIDI, WAV or MP3.",
    )
    generate.add_argument("--length", type=float, default=30.0, metavar="SECONDS", help="length of each piece (default 30)")
    generate.add_argument("--temperature", type=float, default=1.0,
                          help="below 1: safer, more typical choices; above 1: more surprising (default 1)")
    add_generation_options(generate)
    add_json_option(generate)
    add_mood_options(generate, "--mood")  # lesson 08: `--mood calm --bpm 60` is the CalmFlow preset
    generate.set_defaults(run=run_generate)


def parse_settings(pairs: list[str]) -> dict:
    """`["order=2", "name=x"]` -> `{"order": 2, "name": "x"}` (values read as JSON when they are JSON)."""
    settings = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key:
            raise InvalidArgumentError(f"--setting {pair!r}: expected KEY=VALUE, e.g. order=2")
        try:
            settings[key] = json.loads(text)
        except ValueError:
            settings[key] = text
    return settings


def create_settings(args) -> dict:
    """--setting pairs, with --base-model and --max-minutes (when given) as the settings they stand for."""
    settings = parse_settings(args.setting)
    if args.base_model is not None:
        settings["base_model"] = args.base_model
    if args.max_minutes is not None:
        settings["max_minutes"] = args.max_minutes
    return settings


def run_create(args) -> int:
    model = client(args.registry).create_model(
        args.model_name, args.training_data, model_type=args.model_type, settings=create_settings(args),
        seed=args.seed, description=args.description, overwrite=args.overwrite, command=args.command_line,
    )
    for skipped in model.card.data.get("skipped", []):
        print(f"skipped {skipped}", file=sys.stderr)
    if args.json:
        print_json(model.to_dict())
        return 0
    print(f"created {model.name} ({model.card.type}, {model.card.data['songs']} songs) in {model.path}")
    return 0


def run_generate(args) -> int:
    if args.mood is not None or args.bpm is not None:
        return run_generate_for_mood(args)
    pieces = client(args.registry).generate_music(
        args.model_name, length=args.length, seed=args.seed, count=args.count, output=args.output,
        output_format=args.output_format, overwrite=args.overwrite, temperature=args.temperature,
        command=args.command_line,
    )
    if args.json:
        print_json([{"path": str(p.path), "model": p.model, "seed": p.seed, **p.metadata} for p in pieces])
        return 0
    for piece in pieces:
        print(f"wrote {piece.path} ({piece.metadata['bars']} bars, {piece.metadata['seconds']:g} s, "
              f"model {piece.model}, seed {piece.seed})")
    return 0


def run_generate_for_mood(args) -> int:
    """`generate-music --mood M`: the model composes a melody of --length seconds, then it is re-composed for M."""
    if args.mood is None:
        raise InvalidArgumentError("--bpm sets the tempo of a mood: give --mood too (e.g. --mood calm --bpm 60)")
    paths, output_format = output_paths(args.output, args.count, args.output_format)
    for path in paths:
        check_writable(path, args.overwrite)
    pieces = [
        client(args.registry).generate_for_mood(
            None, mood_value(args.mood), args.genre, seed=args.seed + number, valence=args.valence,
            arousal=args.arousal, bpm=args.bpm, model_name=args.model_name, length=args.length, output=path,
            output_format=output_format, overwrite=args.overwrite, command=args.command_line,
        )
        for number, path in enumerate(paths)
    ]
    if getattr(args, "json", False):
        print_json([{"path": str(p.path), "model": p.model, "seed": p.seed, **p.metadata} for p in pieces])
        return 0
    for piece in pieces:
        report(piece, as_json=False)
    return 0
