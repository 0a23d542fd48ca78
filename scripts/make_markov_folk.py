"""Make the shipped default model `markov-folk`: a Markov chain counted on the folk corpus's train split.

Lesson: lessons/04_transformers.ipynb uses it as the n-gram baseline; `deepcomposer generate-music` uses it
when no model is named, so the course composes on a fresh install without training anything.

    python scripts/make_markov_folk.py                 # writes deepcomposer_edu/pretrained/markov-folk/

It goes through the same `create_model` as `deepcomposer create-model`, with the shipped folder as the
registry, so the card records this exact command, the seed, the corpus file's sha256 and what was counted.
Counting is deterministic: the same corpus gives the same weights file, byte for byte.
"""

from __future__ import annotations

import argparse
import shlex
import sys

from deepcomposer_edu.client import Client
from deepcomposer_edu.registry import LOCK_FILE, SHIPPED_DIR, Registry


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="folk", help="shipped corpus or style to count (default: folk)")
    parser.add_argument("--order", type=int, default=3, help="previous events the chain looks at (default 3)")
    parser.add_argument("--seed", type=int, default=0, help="recorded on the card (counting uses no randomness)")
    args = parser.parse_args(argv)
    model = Client(Registry(SHIPPED_DIR, shipped=None)).create_model(
        "markov-folk", args.corpus, settings={"order": args.order}, seed=args.seed, overwrite=True,
        description=f"order-{args.order} Markov chain over folk melodies (interval, duration, bar position), "
                    "with back-off: the course's n-gram baseline and the default model for generate-music",
        command=shlex.join(["python", "scripts/make_markov_folk.py", *argv]),
    )
    (SHIPPED_DIR / LOCK_FILE).unlink(missing_ok=True)  # a registry lock has no place in the package
    size = model.weights_path.stat().st_size
    print(f"wrote {model.path} ({model.card.data['songs']} songs, {size / 1e6:.2f} MB of weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
