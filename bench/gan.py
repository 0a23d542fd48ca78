"""Benchmark: 50 pieces of 30 seconds from the GAN, written as MIDI (target: at most 5 s on 2 cores).

AWS DeepComposer promised 50 variations in 5 minutes; the GAN of this course should do it in seconds on a laptop.

    python bench/gan.py              # median of 5 runs, with the shipped gan-chorale
    python bench/gan.py --runs 9 --threads 1

Timings, each the median of `--runs` runs (the audit log goes to a temporary DEEPCOMPOSER_HOME):
- command line: `deepcomposer generate-music --model-name gan-chorale --length 30 --count 50 -o DIR/piece.mid`
  in a fresh process, as a user types it: Python and torch start-up, loading the model, composing (all 50 in
  one forward pass), writing 50 MIDI files and the audit log;
- Python: `client().generate_music("gan-chorale", length=30, count=50, output=...)` in this process, the same
  path without the start-up;
- one by one: 50 calls of `GanComposer.generate(30 s, seed)` and 50 files (how `--count 50` composed
  before it was batched), for comparison;
- baseline: writing 50 real 8-bar chorale windows as MIDI, to show what share of the time is the model.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

from deepcomposer_edu import gan_composer as gc
from deepcomposer_edu.client import Client
from deepcomposer_edu.music.midi import write_midi
from deepcomposer_edu.registry import Registry

MODEL, PIECES, SECONDS, TARGET_SECONDS = "gan-chorale", 50, 30.0, 5.0


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


def command_line(folder: Path, seed: int) -> None:
    command = [sys.executable, "-m", "deepcomposer_edu", "generate-music", "--model-name", MODEL, "--length",
               str(SECONDS), "--count", str(PIECES), "-o", str(folder / "piece.mid"), "--seed", str(seed), "--overwrite"]
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, "DEEPCOMPOSER_HOME": str(folder / "home")})
    missing = [n for n in range(1, PIECES + 1) if not (folder / f"piece-{n}.mid").is_file()]
    if missing:
        raise SystemExit(f"generate-music did not write piece-{missing[0]}.mid")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2,
                        help="torch threads in this process (default 2: the target machine); the command line "
                             "runs with torch's default")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    registry = Registry()
    model, tensors = registry.load(MODEL)
    composer = gc.GanComposer(tensors, model.card.settings)
    real = gc.reference_songs("test", composer.config, limit=PIECES)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        os.environ["DEEPCOMPOSER_HOME"] = str(out / "home")
        cli = median_seconds(lambda run: command_line(out, seed=run * PIECES), args.runs)
        api = median_seconds(lambda run: Client(registry).generate_music(
            MODEL, length=SECONDS, count=PIECES, seed=run * PIECES, output=out / "piece.mid", overwrite=True), args.runs)
        single = median_seconds(
            lambda run: write_all([composer.generate(SECONDS, seed=run * PIECES + i) for i in range(PIECES)], out), args.runs)
        baseline = median_seconds(lambda run: write_all(real, out), args.runs)
    print(f"model: {MODEL}; {PIECES} pieces of {SECONDS:g} s written as MIDI; median of {args.runs} runs, "
          f"{args.threads} torch threads in this process, {os.cpu_count()} cores")
    print(f"  command line (fresh process):   {cli:6.3f} s  ({cli / baseline:5.1f}x writing real windows)")
    print(f"  Python client().generate_music: {api:6.3f} s  ({api / baseline:5.1f}x writing real windows)")
    print(f"  one by one (50 x generate):     {single:6.3f} s  ({single / baseline:5.1f}x writing real windows)")
    print(f"  baseline: writing {PIECES} real windows: {baseline:6.3f} s")
    print(f"  target <= {TARGET_SECONDS:g} s: {'met' if max(cli, api) <= TARGET_SECONDS else 'NOT met'}")


if __name__ == "__main__":
    main()
