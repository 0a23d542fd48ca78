"""Benchmark: the shipped style classifier judging 100 eight-bar melodies on one core.

Target (issue 11, the classifier brief): 100 melodies judged in well under a second on one core.
Run: python bench/style_classifier.py [--runs N]
Prints the median and p95 of `load_style_classifier().probabilities(melodies)` over N runs on 100 held-out
8-bar windows (Irish test split), and its ratio to a yardstick measured in the same process (computing the
features alone, the numpy part), so figures from different machines can be compared.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from deepcomposer_edu.transfer.classify import load_style_classifier, melody_features
from deepcomposer_edu.transfer.classify_training import style_windows


def timed(work, runs: int) -> list[float]:
    """Milliseconds of each of `runs` calls of `work()`."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append((time.perf_counter() - began) * 1000.0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    torch.set_num_threads(1)
    judge = load_style_classifier()
    melodies = list(style_windows("irish", "test"))[:100]
    judge.probabilities(melodies)  # warm up
    judging = timed(lambda: judge.probabilities(melodies), args.runs)
    features = timed(lambda: [melody_features(melody) for melody in melodies], args.runs)
    p95 = sorted(judging)[min(len(judging) - 1, round(0.95 * (len(judging) - 1)))]
    print(f"{len(melodies)} melodies ({sum(len(m) for m in melodies)} notes), {args.runs} runs, 1 thread")
    print(f"judging: median {statistics.median(judging):.1f} ms, p95 {p95:.1f} ms (target: well under 1000 ms)")
    print(f"features alone: median {statistics.median(features):.1f} ms; "
          f"ratio judging/features {statistics.median(judging) / statistics.median(features):.2f}")


if __name__ == "__main__":
    main()
