"""Benchmark: the originality check against every shipped piece (target: under 1 s per piece).

    python bench/metrics.py              # all shipped corpora (falls back to 14,000 synthetic melodies if none)
    python bench/metrics.py --synthetic  # 14,000 random 16-bar melodies, no corpus needed

Prints the time to build the index once, then the median of 5 runs of checking each of 20 pieces (held-out
real pieces or fresh melodies, and one planted 8-bar copy), against a baseline measured in the same process:
the same n-gram lookup done as a linear scan (`np.isin`) over the unsorted hashes instead of binary search.
Also times computing all metrics on one piece (what `deepcomposer evaluate` does per piece).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deepcomposer_edu.metrics import compute_metrics  # noqa: E402
from deepcomposer_edu.metrics.originality import OriginalityIndex, melodic_lines, ngram_hashes  # noqa: E402
from deepcomposer_edu.music import Note, Song, Track, concatenate, slice_bars, transpose  # noqa: E402

RUNS = 5


def random_melody(seed: int, bars: int = 16) -> Song:
    rng = random.Random(seed)
    degree, beat, notes = 14, 0.0, []
    scale = [0, 2, 4, 5, 7, 9, 11]
    while beat < bars * 4:
        length = rng.choice([0.5, 0.5, 1, 1, 1, 1.5, 2])
        degree = max(0, min(27, degree + rng.choice([-2, -1, -1, 0, 1, 1, 2])))
        notes.append(Note(48 + 12 * (degree // 7) + scale[degree % 7], beat, beat + length))
        beat += length
    return Song(tracks=[Track(notes)], title=f"melody {seed}")


def shipped_pieces() -> tuple[list[Song], list[str], list[Song]] | None:
    """(all training+valid songs, their ids, 19 test-split songs) of every shipped corpus, or None if none."""
    try:
        from deepcomposer_edu.data import list_corpora, load_corpus
        names = list_corpora()
    except Exception as error:  # no corpora shipped in this checkout
        print(f"(no shipped corpora: {error})")
        return None
    songs, ids, held_out = [], [], []
    for name in names:
        corpus = load_corpus(name)
        for index in range(len(corpus)):
            piece = corpus.pieces[index]
            if piece.get("split") == "test" and len(held_out) < 19 and index % 7 == 0:
                held_out.append(corpus.song(index))
            else:
                songs.append(corpus.song(index))
                ids.append(f"{name}/{piece['id']}")
    return songs, ids, held_out


def median_seconds(function, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", action="store_true", help="use 14,000 synthetic melodies")
    args = parser.parse_args()

    start = time.perf_counter()
    shipped = None if args.synthetic else shipped_pieces()
    if shipped is None:
        songs = [random_melody(seed) for seed in range(14_000)]
        ids = [song.title for song in songs]
        queries = [random_melody(seed) for seed in range(100_000, 100_019)]
        label = "synthetic melodies"
    else:
        songs, ids, queries = shipped
        label = "shipped pieces"
    print(f"loaded {len(songs)} {label} as Songs in {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    index = OriginalityIndex(songs, names=ids, progress=False)
    print(f"built the index once: {len(index.index.hashes):,} n-grams in {time.perf_counter() - start:.1f} s")

    source = next(song for song in songs if song.bar_count() >= 12 and melodic_lines(song))
    planted = concatenate(random_melody(1, bars=4), transpose(slice_bars(source, 2, 10), 3), random_melody(2, bars=4))
    queries = queries + [planted]
    found = index.check(planted)
    print(f"planted 8-bar copy: found={found.likely_copy}, {found.shared_notes} notes / {found.shared_bars:.1f} bars "
          f"shared with {found.source}")

    unsorted = index.index.hashes[np.random.default_rng(0).permutation(len(index.index.hashes))]

    def check_all():
        for song in queries:
            index.check(song)

    def scan_all():  # baseline: the same lookup by a linear scan
        for song in queries:
            for line in melodic_lines(song):
                np.isin(ngram_hashes(line.events), unsorted)

    per_piece = median_seconds(check_all) / len(queries)
    baseline = median_seconds(scan_all) / len(queries)
    print(f"originality check: median {1000 * per_piece:.1f} ms per piece over {RUNS} runs of {len(queries)} pieces "
          f"(target < 1000 ms); linear-scan baseline {1000 * baseline:.1f} ms; ratio {per_piece / baseline:.3f}")
    flagged = sum(index.check(song).likely_copy for song in queries[:-1])
    print(f"held-out/fresh pieces flagged as likely copies: {flagged} of {len(queries) - 1}")

    piece = max(queries[:-1], key=lambda song: song.note_count)
    metrics_time = median_seconds(lambda: compute_metrics(piece))
    print(f"all metrics on one piece of {piece.note_count} notes: median {1000 * metrics_time:.1f} ms")


if __name__ == "__main__":
    main()
