"""`deepcomposer evaluate`: judge a folder of generated MIDI against real music, as a report.

Lesson: lessons/05_judging_music.ipynb (the same from Python: `metrics.report.evaluate_sets` and `write_report`).

    deepcomposer evaluate generated/ --reference essen_german -o report.md
    deepcomposer evaluate generated/ --reference my_midi_folder/ -o report.html --overwrite

The reference is a shipped corpus name or a folder of MIDI files. Metrics are compared on at most
--max-reference reference pieces (a seeded random choice, for speed); the originality check searches all of them.
"""

from __future__ import annotations

import random
from pathlib import Path

from ..errors import InvalidArgumentError
from ..files import check_writable
from ._options import add_json_option, add_output_options, add_seed_option, print_json

MIDI_SUFFIXES = (".mid", ".midi")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="compare generated MIDI with real music: metrics table, plots, originality (report .md/.html)",
        description=(
            "Compute objective metrics for every MIDI file in GENERATED_DIR and for a reference (a shipped corpus "
            "or a folder of MIDI), compare the two sets (Yang & Lerch 2018: overlapping area and KL divergence), "
            "check each generated piece for melodies copied from the reference, and write a Markdown report "
            "(plots as PNG files beside it) or a self-contained HTML report."
        ),
    )
    parser.add_argument("generated", metavar="GENERATED_DIR", help="folder of generated .mid/.midi files")
    parser.add_argument("--reference", required=True, metavar="CORPUS_OR_DIR",
                        help="a shipped corpus name (see `deepcomposer info`) or a folder of MIDI files")
    add_output_options(parser)
    parser.add_argument("--max-reference", type=int, default=500, metavar="N",
                        help="compare metrics on at most N reference pieces, a random choice fixed by --seed "
                             "(default 500)")
    parser.add_argument("--no-originality", action="store_true", help="skip the check for copied melodies")
    add_seed_option(parser)
    add_json_option(parser)
    parser.set_defaults(run=run)


def midi_files(folder: str | Path) -> list[Path]:
    """Every .mid/.midi file under `folder` (subfolders too), in a fixed order; an error if there is none."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidArgumentError(f"{folder}: not a folder")
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in MIDI_SUFFIXES and p.is_file())
    if not files:
        raise InvalidArgumentError(f"{folder}: no MIDI files (.mid, .midi) in this folder")
    return files


def read_folder(folder: str | Path) -> tuple[list, list[str]]:
    """(songs, names) for every MIDI file in `folder`; names are paths relative to it."""
    from ..music.midi import read_midi

    files = midi_files(folder)
    return [read_midi(path) for path in files], [str(path.relative_to(folder)) for path in files]


def read_reference(spec: str) -> tuple[list, list[str]]:
    """(songs, names) of a reference: a folder of MIDI files if `spec` is one, else a shipped corpus name."""
    if Path(spec).is_dir():
        return read_folder(spec)
    from ..data import corpus_songs

    return corpus_songs(spec)


def run(args) -> int:
    from ..metrics.originality import OriginalityIndex
    from ..metrics.report import evaluate_sets, report_paths, write_report

    for path in report_paths(args.output):
        check_writable(path, args.overwrite)  # before any slow work
    if args.max_reference < 2:
        raise InvalidArgumentError(f"--max-reference must be at least 2, got {args.max_reference}")
    generated, generated_names = read_folder(args.generated)
    reference, reference_names = read_reference(args.reference)
    sample = sorted(random.Random(args.seed).sample(range(len(reference)), min(args.max_reference, len(reference))))
    index = None if args.no_originality else OriginalityIndex(reference, names=reference_names)
    evaluation = evaluate_sets(
        generated,
        [reference[i] for i in sample],
        generated_label=Path(args.generated).resolve().name,
        reference_label=args.reference,
        generated_names=generated_names,
        originality=not args.no_originality,
        index=index,
    )
    written = write_report(evaluation, args.output, overwrite=args.overwrite)
    if args.json:
        print_json({
            "report": [str(path) for path in written],
            "metrics": {name: {"generated_mean": c.generated_mean, "generated_sd": c.generated_sd,
                               "reference_mean": c.reference_mean, "reference_sd": c.reference_sd,
                               "overlapping_area": c.overlapping_area, "kl_divergence": c.kl_divergence}
                        for name, c in evaluation.comparisons.items()},
            "originality": [{"piece": name, "shared_notes": r.shared_notes, "shared_bars": r.shared_bars,
                             "source": r.source, "ngram_share": r.ngram_share, "likely_copy": r.likely_copy}
                            for name, r in evaluation.originality],
        })
    else:
        copies = sum(result.likely_copy for _, result in evaluation.originality)
        print(f"wrote {', '.join(str(path) for path in written)}: {len(generated)} generated pieces against "
              f"{len(sample)} reference pieces; {copies} likely copies")
    return 0
