"""Benchmark: loading the shipped corpora vs parsing the same music with music21.

    python bench/datasets.py            # median of 5 loads; Songs once; a music21 sample of 40 pieces
    python bench/datasets.py --runs 3 --sample 20

Targets (issue 3): loading every shipped corpus into arrays in under 2 s and under 500 MB. Prints:
- the median wall time of loading every corpus (fresh, not from the in-process cache) and the peak RSS;
- the time to build a `Song` of every piece (done on demand in practice; timed here over all of them);
- music21 parsing a random sample of the same source pieces, extrapolated to the whole corpus (an
  estimate, not a measurement: said so in the output), and the ratio against the load time.
Run from a checkout; nothing is written.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deepcomposer_edu.data.corpora import corpus_info, datasets_dir, list_corpora, read_corpus_file  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kB


def load_all() -> dict:
    folder = datasets_dir()
    return {name: read_corpus_file(folder / corpus_info(name)["file"], name) for name in list_corpora()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sample", type=int, default=40, help="pieces to parse with music21")
    args = parser.parse_args()

    rss_before = peak_rss_mb()
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        corpora = load_all()
        times.append(time.perf_counter() - started)
    load_s = statistics.median(times)
    pieces = sum(len(corpus) for corpus in corpora.values())
    notes = sum(len(corpus.pitch) for corpus in corpora.values())
    print(f"load all {len(corpora)} corpora: median {load_s:.3f} s over {args.runs} runs "
          f"({pieces:,} pieces, {notes:,} notes); peak RSS {peak_rss_mb():.0f} MB (before loading {rss_before:.0f} MB)")
    print(f"  target: < 2 s and < 500 MB -> {'met' if load_s < 2 and peak_rss_mb() < 500 else 'NOT met'}")

    started = time.perf_counter()
    built = sum(1 for corpus in corpora.values() for _ in corpus.songs())
    songs_s = time.perf_counter() - started
    print(f"build every Song: {songs_s:.1f} s for {built:,} songs ({songs_s / built * 1000:.2f} ms each); "
          f"peak RSS {peak_rss_mb():.0f} MB")

    from deepcomposer_edu.data import build
    from deepcomposer_edu.data.sources import SOURCES, corpus_root

    root = corpus_root()
    jobs = [job for source in SOURCES for job in build.jobs_for(source, root)]
    sample = random.Random(0).sample(jobs, min(args.sample, len(jobs)))
    started = time.perf_counter()
    for job in sample:
        build.parse_job(job, root)
    sample_s = time.perf_counter() - started
    estimate = sample_s / len(sample) * len(jobs)
    print(f"music21 parse of a random sample: {sample_s:.1f} s for {len(sample)} of {len(jobs):,} source pieces "
          f"-> ESTIMATED {estimate / 60:.0f} min for all (extrapolated from the sample, one process)")
    print(f"  ratio: parsing with music21 ~{estimate / load_s:,.0f}x slower than loading the shipped arrays")


if __name__ == "__main__":
    main()
