"""Benchmark: 50 pieces of 30 seconds from the GAN, written as MIDI (target: at most 5 s on 2 cores).

AWS DeepComposer promised 50 variations in 5 minutes; the GAN of this course should do it in seconds on a laptop.

    python bench/gan.py              # median of 5 runs, with the shipped gan-chorale (an untrained one if absent)
    python bench/gan.py --runs 9 --threads 1

Three timings, each the median of `--runs` runs in this one process:
- batch: `GanComposer.generate_many(50, 30 s)` (one forward pass for all 50) and 50 MIDI files written;
- one by one: 50 calls of `GanComposer.generate(30 s, seed + i)` (what `generate-music --count 50` does) and 50 files;
- baseline: writing 50 real 8-bar chorale windows as MIDI, to show what share of the time is the model.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import torch

from deepcomposer_edu import gan_composer as gc
from deepcomposer_edu.models.gan import Critic, GanConfig, Generator
from deepcomposer_edu.music.midi import write_midi
from deepcomposer_edu.registry import Registry

PIECES, SECONDS, TARGET_SECONDS = 50, 30.0, 5.0


def load_composer() -> tuple[gc.GanComposer, str]:
    registry = Registry()
    if registry.exists("gan-chorale"):
        model, tensors = registry.load("gan-chorale")
        return gc.GanComposer(tensors, model.card.settings), "gan-chorale"
    config = GanConfig(width=16)
    tensors = gc.join_tensors(Generator(config), Critic(config))
    return gc.GanComposer(tensors, {"gan": config.to_dict()}), "an untrained GAN of gan-chorale's shape"


def write_all(songs, folder: Path) -> None:
    for number, song in enumerate(songs):
        write_midi(song, folder / f"piece-{number}.mid", overwrite=True)


def median_seconds(work, runs: int) -> float:
    times = []
    for run in range(runs):
        began = time.perf_counter()
        work(run)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2, help="torch threads (default 2: the target machine)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    composer, name = load_composer()
    real = gc.reference_songs("test", composer.config, limit=PIECES)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        batch = median_seconds(lambda run: write_all(composer.generate_many(PIECES, SECONDS, seed=run), out), args.runs)
        single = median_seconds(
            lambda run: write_all([composer.generate(SECONDS, seed=run * PIECES + i) for i in range(PIECES)], out), args.runs)
        baseline = median_seconds(lambda run: write_all(real, out), args.runs)
    print(f"model: {name}; {PIECES} pieces of {SECONDS:g} s written as MIDI; median of {args.runs} runs, "
          f"{args.threads} torch threads")
    print(f"  batch (generate_many):        {batch:6.3f} s  ({batch / baseline:5.1f}x writing real windows)")
    print(f"  one by one (generate-music):  {single:6.3f} s  ({single / baseline:5.1f}x writing real windows)")
    print(f"  baseline: writing {PIECES} real windows: {baseline:6.3f} s")
    print(f"  target <= {TARGET_SECONDS:g} s: {'met' if max(batch, single) <= TARGET_SECONDS else 'NOT met'}")


if __name__ == "__main__":
    main()
