"""Benchmark: a 2-minute piece from transformer-folk (target: at most 5 s on 2 cores), structure and endings.

    python bench/transformer.py                 # the shipped transformer-folk
    python bench/transformer.py --pieces 5      # fewer pieces for the structure check

Prints:
- the median of 3 runs of composing one 2-minute piece, in seconds and tokens per second, against a baseline
  measured in the same process: the same model sampling without its key/value cache (every token recomputes
  the whole window), timed on the first 200 tokens;
- the bar-level self-similarity of 20 generated 2-minute pieces beside the 10th-90th percentile range of
  the folk corpora's test pieces; self-similarity of a melody = the mean over its bars (after the first) of
  the best Jaccard overlap of the bar's (position, pitch) onsets with any earlier bar: 1 when every bar
  repeats one before it, 0 when none shares a note at the same place. (Corpus pieces are shorter than two
  minutes, and longer pieces have more earlier bars to match: read the comparison with that in mind.);
- how many of the pieces end musically (on a bar line, last melody note the tonic or fifth).

With --fine-tuning it also measures transfer learning on a style transformer-folk never saw (Scottish airs):
fine-tuning it on 10 airs of the train split for 2 minutes versus training the same shape from scratch on the
same files for the same time, both scored on 30 airs of the test split (NLL per token).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deepcomposer_edu import transformer_composer as tc  # noqa: E402
from deepcomposer_edu.ending import ends_musically  # noqa: E402
from deepcomposer_edu.registry import Registry  # noqa: E402

RUNS = 3
SECONDS = 120.0


def bar_self_similarity(song) -> float | None:
    """Mean over bars 2.. of the best Jaccard overlap of (position, pitch) onsets with an earlier bar."""
    bars = song.bar_starts()
    if len(bars) < 2:
        return None
    events: list[set] = [set() for _ in bars]
    for note in song.tracks[0].notes:
        index = max(i for i, start in enumerate(bars) if start <= note.start + 1e-9)
        events[index].add((round((note.start - bars[index]) * 4), note.pitch))
    scores = []
    for i in range(1, len(bars)):
        if not events[i]:
            continue
        scores.append(max((len(events[i] & events[j]) / len(events[i] | events[j]) for j in range(i)), default=0.0))
    return statistics.mean(scores) if scores else None


def uncached_tokens_per_second(model, prompt: list[int], count: int) -> float:
    """Sampling where each new token recomputes the whole window: the cost the cache avoids."""
    tokens = list(prompt)
    generator = torch.Generator().manual_seed(0)
    began = time.perf_counter()
    with torch.no_grad():
        for _ in range(count):
            logits, _ = model(torch.tensor([tokens[-model.config.context:]]))
            tokens.append(int(torch.multinomial(torch.softmax(logits[0, -1], -1), 1, generator=generator)))
    return count / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-name", default="transformer-folk")
    parser.add_argument("--pieces", type=int, default=20)
    parser.add_argument("--fine-tuning", action="store_true", help="also measure fine-tuning vs from scratch")
    parser.add_argument("--minutes", type=float, default=2.0, help="training time for each, with --fine-tuning")
    args = parser.parse_args()
    torch.set_num_threads(1)
    model, tensors = Registry().load(args.model_name)
    composer = tc.TransformerComposer(tensors, model.card.settings)
    composer.generate(10, seed=99)  # warm up

    times, counts = [], []
    for run in range(RUNS):
        began = time.perf_counter()
        composer.generate(SECONDS, seed=run)
        times.append(time.perf_counter() - began)
        counts.append(len(composer.last_tokens))
    median = statistics.median(times)
    rate = statistics.median(c / t for c, t in zip(counts, times))
    baseline = uncached_tokens_per_second(composer.model, composer.last_tokens[:8], 200)
    print(f"2-minute piece: median {median:.2f} s over {RUNS} runs ({statistics.median(counts)} tokens, "
          f"{rate:.0f} tokens/s); uncached sampling: {baseline:.0f} tokens/s (cache speed-up x{rate / baseline:.1f})")

    scores, musical = [], 0
    for seed in range(args.pieces):
        song = composer.generate(SECONDS, seed=seed)
        musical += ends_musically(song, song.key)
        score = bar_self_similarity(song)
        if score is not None:
            scores.append(score)
    reference = []
    from deepcomposer_edu.data import load_corpus

    corpora = [c.strip() for c in model.card.data["source"].split(",")]
    for name in (c.split()[1] for c in corpora if c.startswith("corpus ")):
        corpus = load_corpus(name)
        for index in corpus.indices("test"):
            score = bar_self_similarity(corpus.song(int(index)))
            if score is not None:
                reference.append(score)
    low, high = np.percentile(reference, [10, 90])
    inside = sum(low <= s <= high for s in scores)
    print(f"bar self-similarity: generated median {statistics.median(scores):.3f} (n={len(scores)}); corpus test "
          f"pieces 10th-90th percentile {low:.3f}-{high:.3f} (n={len(reference)}); {inside}/{len(scores)} inside")
    print(f"musical endings: {musical}/{args.pieces}")
    if args.fine_tuning:
        fine_tuning(args.model_name, args.minutes)


def fine_tuning(base: str, minutes: float) -> None:
    from deepcomposer_edu.data import load_corpus

    airs = load_corpus("airds_airs")
    mine = [airs.song(int(i)) for i in airs.indices("train")[:10]]
    held_out = [airs.song(int(i)) for i in airs.indices("test")[:30]]
    settings = {**tc.TRANSFORMER_DEFAULTS, "max_minutes": minutes}
    results = {}
    for name, extra in (("fine-tuned", {"base_model": base}), ("from scratch", {})):
        trained = tc.train_transformer(mine, {**settings, **extra}, seed=0)
        composer = tc.TransformerComposer(trained.tensors, trained.settings)
        sequences = [tc.encode_song(song, composer.vocabulary) for song in held_out]
        results[name] = tc.corpus_nll(composer.model, sequences, pad=composer.vocabulary.pad)
        print(f"{name}: {trained.metrics['steps']} steps in {trained.metrics['training_seconds']} s, "
              f"held-out NLL {results[name]:.3f} nats per token")
    gain = 100 * (results["from scratch"] - results["fine-tuned"]) / results["from scratch"]
    print(f"fine-tuning: {gain:.1f}% lower held-out NLL than from scratch (target: at least 10%)")


if __name__ == "__main__":
    main()
