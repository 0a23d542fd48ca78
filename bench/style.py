"""How fast style transfer answers: a whole 8-bar melody, and one bar while a learner plays.

    python bench/style.py                 # 200 whole transfers, every bar of them streamed, 1 torch thread
    python bench/style.py --threads 2 --runs 100
    python bench/style.py --bar-drafts 3   # every style writing three drafts of each bar (lesson 07)

Targets (issue 11): a whole 8-bar transfer p95 <= 100 ms on 2 cores (aim 30 ms); streaming, from the bar
line to the transferred bar, p95 <= 20 ms. Sources: 8-bar stretches of held-out (test split) pieces of every
style and the example theme, each sent to a different target style in turn, with the shipped `style-melody`.

Baseline, measured in the same process on the same sources: writing the 8-bar source as MIDI bytes
(`music.midi.midi_bytes`), the least any tool that answers with a MIDI file must do. Also shown: the
whole transfer with the style's arrangement (the accompaniment), which the live mode does not need.
"""

from __future__ import annotations

import argparse
import dataclasses
import platform
import statistics
import time

import numpy as np
import torch

from deepcomposer_edu.music.midi import midi_bytes
from deepcomposer_edu.styles import STYLES
from deepcomposer_edu.transfer.style_transfer import load_transfer_model, source_bars, style_transfer


def sources(count: int):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from evaluate_style_transfer import held_out_sources

    from deepcomposer_edu.examples import example_theme
    from deepcomposer_edu.music.ops import slice_bars

    found = [slice_bars(example_theme(), 0, 8)]
    for style in STYLES:
        found += held_out_sources(style, "test", max(1, count // len(STYLES)))
    return found


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="whole transfers timed (default 200)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--arranged-runs", type=int, default=30, help="whole transfers with arrangement timed")
    parser.add_argument("--bar-drafts", type=int, help="drafts of each bar for every style (default: the card's)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    model = load_transfer_model()
    melodies = sources(40)
    targets = [style.name for style in STYLES]
    jobs = [(melodies[i % len(melodies)], targets[i % len(targets)], i) for i in range(args.runs)]
    for song, target, seed in jobs[:10]:  # warm up
        style_transfer(song, target, seed=seed, arrange=False)

    baseline, whole, bars_ms = [], [], []
    for song, target, seed in jobs:
        started = time.perf_counter()
        midi_bytes(song)
        baseline.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        style_transfer(song, target, seed=seed, arrange=False, bar_drafts=args.bar_drafts)
        whole.append((time.perf_counter() - started) * 1000)

        steering = model.target(target).steering
        if args.bar_drafts is not None:
            steering = dataclasses.replace(steering, bar_drafts=args.bar_drafts)
        stream = model.open_stream(target, seed=seed, settings=steering)
        for bar in source_bars(song):
            started = time.perf_counter()
            stream.push_bar(bar)
            bars_ms.append((time.perf_counter() - started) * 1000)

    arranged = []
    for song, target, seed in jobs[: args.arranged_runs]:
        started = time.perf_counter()
        style_transfer(song, target, seed=seed, arrange=True, bar_drafts=args.bar_drafts)
        arranged.append((time.perf_counter() - started) * 1000)

    print(f"machine: {platform.processor() or platform.machine()}, torch threads {args.threads}, "
          f"torch {torch.__version__}; {len(melodies)} source melodies of 8 bars; "
          f"bar drafts: {args.bar_drafts if args.bar_drafts is not None else 'the card'}")
    print("| measure | median ms | p95 ms | runs | target |")
    print("|---|---|---|---|---|")
    print(f"| baseline: the source written as MIDI bytes | {statistics.median(baseline):.2f} | "
          f"{percentile(baseline, 95):.2f} | {len(baseline)} | |")
    print(f"| whole 8-bar transfer (melody) | {statistics.median(whole):.1f} | {percentile(whole, 95):.1f} | "
          f"{len(whole)} | p95 <= 100 (aim 30) |")
    print(f"| streaming: one bar, bar line to transferred bar | {statistics.median(bars_ms):.2f} | "
          f"{percentile(bars_ms, 95):.2f} | {len(bars_ms)} | p95 <= 20 |")
    print(f"| whole 8-bar transfer with arrangement | {statistics.median(arranged):.1f} | "
          f"{percentile(arranged, 95):.1f} | {len(arranged)} | (not timed by the issue) |")
    print(f"ratio whole transfer / baseline (medians): {statistics.median(whole) / statistics.median(baseline):.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
