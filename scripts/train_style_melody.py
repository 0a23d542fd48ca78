"""Make the shipped `style-melody` model, the style-transfer model of lesson 07.

    python scripts/train_style_melody.py --minutes 70 --steps 9000     # -> deepcomposer_edu/pretrained/style-melody/
    python scripts/train_style_melody.py --package-only                 # package the checkpoint as it is

It learns the melody line of every style in the styles table from its corpus's **train** split (windows
drawn evenly across styles), through the shared training loop with a checkpoint (default
/tmp/style-melody.ckpt), so an interrupted run picks up where it stopped. At the end it is scored on each
corpus's valid split (nats per note) and the card records this command, the seed, the data (corpus
sha256s) and those figures. Then `scripts/choose_transfer_settings.py` chooses each style's steering on the
valid split and writes it into the card; how well it *transfers* is measured by
`scripts/evaluate_style_transfer.py` against the style classifier, on the test split and unseen melodies.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time

import numpy as np
import torch

from deepcomposer_edu.registry import LOCK_FILE, SHIPPED_DIR, ModelCard, Registry
from deepcomposer_edu.styles import STYLES
from deepcomposer_edu.transfer import training
from deepcomposer_edu.transfer.model_io import model_settings, model_tensors

NAME = "style-melody"
STYLE_SLOTS = 16  # the 9 styles of the table, and room for learners' own


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=70.0, help="time budget for training (default 70)")
    parser.add_argument("--steps", type=int, default=9000, help="optimizer steps; the learning-rate schedule spans them")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="CPU threads for torch")
    parser.add_argument("--checkpoint", default="/tmp/style-melody.ckpt")
    parser.add_argument("--registry", default=str(SHIPPED_DIR), help="where to write the model (default: the package)")
    parser.add_argument("--package-only", action="store_true", help="do not train: package the checkpoint as it is")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)

    started = time.monotonic()
    styles = [style.name for style in STYLES]
    print("reading the corpora's melodies ...", flush=True)
    train = {index: training.corpus_events(style.corpus, "train") for index, style in enumerate(STYLES)}
    valid = {index: training.corpus_events(style.corpus, "valid") for index, style in enumerate(STYLES)}
    print(f"  {sum(map(len, train.values()))} train melodies in {time.monotonic() - started:.0f} s", flush=True)

    model = training.new_model(STYLE_SLOTS, args.seed)
    result = training.fit_style_model(model, train, steps=args.steps, minutes=0.0 if args.package_only else args.minutes,
                                      seed=args.seed, checkpoint=args.checkpoint)
    nll = training.mean_nll(model, valid)
    registers = {name: float(np.median(np.concatenate([m.pitch for m in train[index]])))
                 for index, name in enumerate(styles)}
    metrics = {
        "steps": result.steps,
        "training_minutes_this_run": round(result.seconds / 60, 1),
        "parameters": sum(p.numel() for p in model.parameters()),
        "valid_nll_per_note": round(nll["all"], 4),
        "valid_nll_per_note_by_style": {styles[int(k)]: round(v, 4) for k, v in nll.items() if k != "all"},
        "train_melodies": sum(map(len, train.values())),
    }
    print(metrics, flush=True)
    from deepcomposer_edu.data import corpus_info

    card = ModelCard(
        name=NAME, type="style",
        description="style-conditioned melody model (a GRU over notes with a style vector): style transfer, lesson 07",
        data={"source": ", ".join(f"corpus {style.corpus}, train split" for style in STYLES),
              "songs": metrics["train_melodies"],
              "sha256": {style.corpus: corpus_info(style.corpus)["sha256"] for style in STYLES}},
        settings=model_settings(model, styles, registers),
        metrics=metrics, seed=args.seed,
        command=shlex.join(["python", "scripts/train_style_melody.py", *argv]),
    )
    registry = Registry(args.registry, shipped=None)
    saved = registry.save(card, model_tensors(model), overwrite=True)
    (registry.root / LOCK_FILE).unlink(missing_ok=True)  # a registry lock has no place in the package
    print(f"wrote {saved.path} ({saved.weights_path.stat().st_size / 1e6:.2f} MB of weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
