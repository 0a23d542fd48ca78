"""Make the shipped 'style-classifier': the melody-only judge of style transfer, trained on every style's corpus.

Lesson: lessons/07_style_transfer.ipynb loads it (`load_style_classifier()`); docs/style_classifier.md
explains it and gives the figures this script printed.

    python scripts/train_style_classifier.py                  # writes deepcomposer_edu/pretrained/style-classifier/
    python scripts/train_style_classifier.py --minutes 1 --output /tmp/registry    # a quick try elsewhere

Training windows: 8-bar melody windows of each style's TRAIN split, one starting every `--hop` bars, drawn
style-first so every style weighs the same, transposed by up to 4 semitones. The snapshot kept is the one
with the best balanced accuracy on the VALID split's non-overlapping windows. The TEST split's
non-overlapping windows are classified once, at the end, and recorded on the card with the confusion matrix.
The weights file also holds the pooled notes of 200 training windows per style (`make_reference`), so that
`with_new_style` can teach the judge a learner's style without reading the corpora again.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

import torch

from deepcomposer_edu.data import corpus_info
from deepcomposer_edu.models.classifier import ClassifierConfig, StyleCNN
from deepcomposer_edu.registry import LOCK_FILE, SHIPPED_DIR, Registry
from deepcomposer_edu.styles import STYLES, style_names
from deepcomposer_edu.transfer.classify import DEFAULT_NAME, StyleClassifier
from deepcomposer_edu.transfer.classify_training import (
    MAX_SHIFT, Evaluation, evaluate, fit, make_reference, style_windows,
)


def table(evaluation: Evaluation, title: str) -> str:
    """Per-style accuracy and the confusion matrix as Markdown (rows: true style, columns: predicted)."""
    short = [style[:6] for style in evaluation.styles]
    lines = [f"{title}: balanced accuracy {evaluation.balanced_accuracy:.3f}, overall {evaluation.accuracy:.3f}", "",
             "| true \\ predicted | windows | accuracy | " + " | ".join(short) + " |",
             "|---|---:|---:|" + "---:|" * len(short)]
    for row, style in enumerate(evaluation.styles):
        counts = evaluation.confusion[row]
        lines.append(f"| {style} | {counts.sum()} | {evaluation.per_style[style]:.3f} | "
                     + " | ".join(str(int(n)) for n in counts) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=6000, help="most training steps (default 6000)")
    parser.add_argument("--minutes", type=float, default=12.0, help="time budget for training (default 12)")
    parser.add_argument("--hop", type=int, default=2, help="bars between training windows (default 2)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--width", type=int, default=ClassifierConfig.width, help="channels per note")
    parser.add_argument("--kernel", type=int, default=ClassifierConfig.kernel, help="convolution width in notes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check-every", type=int, default=500, help="steps between valid-split checks")
    parser.add_argument("--output", type=Path, default=SHIPPED_DIR, help="registry folder (default: the package's)")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)

    styles = style_names()
    print("reading 8-bar melody windows ...", flush=True)
    train_windows = [list(style_windows(style, "train", args.hop)) for style in styles]
    valid = {style: list(style_windows(style, "valid")) for style in styles}
    for style, group in zip(styles, train_windows):
        print(f"  {style}: {len(group)} train windows, {len(valid[style])} valid windows", flush=True)

    network = StyleCNN(ClassifierConfig(styles=styles, width=args.width, kernel=args.kernel))
    network, summary = fit(
        network, train_windows, steps=args.steps, minutes=args.minutes, seed=args.seed, batch_size=args.batch_size,
        valid=valid, check_every=args.check_every,
        on_check=lambda step, losses, score: print(f"step {step}: loss {losses.get('loss', 0):.3f}, "
                                                    f"valid balanced accuracy {score:.3f}", flush=True),
    )
    judge = StyleClassifier(network)
    judge.reference = make_reference(judge, per_style=200, seed=args.seed)  # for with_new_style
    on_valid = evaluate(judge, valid)
    test = {style: list(style_windows(style, "test")) for style in styles}
    on_test = evaluate(judge, test)  # measured once, after every choice was made on valid
    print(table(on_valid, "valid split (non-overlapping 8-bar windows)"))
    print(table(on_test, "test split (non-overlapping 8-bar windows)"))

    corpora = {style.name: {"corpus": style.corpus, "sha256": corpus_info(style.corpus)["sha256"],
                            "train_windows": len(group)} for style, group in zip(STYLES, train_windows)}
    registry = Registry(args.output, shipped=None)
    model = judge.save(
        DEFAULT_NAME, registry=registry, overwrite=True,
        description="melody-only style classifier (pitches, onsets, durations in beats) over the 9 corpus "
                    "styles: the judge of style transfer",
        data={"source": "8-bar melody windows of each style's corpus, train split", "hop_bars": args.hop,
              "augmentation": f"random transposition by up to {MAX_SHIFT} semitones",
              "sampling": "style first (uniform), then a window", "corpora": corpora},
        metrics={"training": {**summary, "batch_size": args.batch_size},
                 "valid": on_valid.to_dict(), "test": on_test.to_dict(),
                 "note": "the classical test split holds a single piece: see valid.per_style.classical too"},
        command=shlex.join(["python", "scripts/train_style_classifier.py", *argv]), seed=args.seed,
    )
    (registry.root / LOCK_FILE).unlink(missing_ok=True)  # a registry lock has no place in the package
    print(f"wrote {model.path} ({model.weights_path.stat().st_size / 1e6:.2f} MB of weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
