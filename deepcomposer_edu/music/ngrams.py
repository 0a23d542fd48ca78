"""Melodic n-grams: find long runs of notes that two melodies share, in any key.

Lesson: lessons/05_judging_music.ipynb (the originality check) and lessons/02_music_as_data.ipynb (why one
tune must not sit in two splits). Two rooms ask the same question, "does this melody copy that one?", so
they share this one answer: `metrics/originality.py` checks generated Songs against a training corpus, and
`data/splits.py` groups the shipped corpora's variants of one tune before splitting them.

What counts as "the same notes". A melody (one note at a time) becomes a list of events, one per step from
a note to the next: (pitch interval in semitones, time between the two onsets in 16th notes, capped at 4 bars
of 4/4). Intervals make the comparison transposition-invariant; onsets rather than note lengths make it blind
to staccato or legato; the 16th-note grid absorbs small timing differences. A run of k events is k + 1 notes.

How it stays fast. Every n-gram (run of N_GRAM events) of every indexed line is hashed to a 64-bit integer
and kept in one sorted array. A query's n-grams are looked up with a binary search (`np.searchsorted`); a run
shared with one indexed line shows up as consecutive query n-grams hitting consecutive positions of that
line, i.e. hits on one "diagonal" (indexed position - query position constant), found by sorting the hits.

The copy rule (`is_copy`), used by both rooms so the course is consistent: a shared run of at least
COPY_MIN_BARS bars AND COPY_MIN_NOTES notes, or at least COPY_MIN_SHARE of the melody's n-grams found.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

N_GRAM = 8               # events per n-gram: 9 notes
STEPS_PER_BEAT = 4       # onset grid: 16th notes
MAX_GAP_STEPS = 64       # longer gaps between onsets (4 bars of 4/4) all count as one long gap
MAX_HITS_PER_NGRAM = 5000  # n-grams more common than this (repeated notes...) still count for the share
COPY_MIN_BARS = 4.0
COPY_MIN_NOTES = 16
COPY_MIN_SHARE = 0.5

_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant of a polynomial rolling hash


def is_copy(shared_notes: int, shared_bars: float, ngram_share: float, ngrams: int) -> bool:
    """The copy rule: a long shared run (bars and notes), or most n-grams found."""
    long_run = shared_bars >= COPY_MIN_BARS - 1e-9 and shared_notes >= COPY_MIN_NOTES
    return long_run or (ngrams > 0 and ngram_share >= COPY_MIN_SHARE)


def event_codes(onsets: np.ndarray, pitches: np.ndarray) -> np.ndarray:
    """The events of a melody (onsets in beats, pitches), as uint64 codes of (interval, gap): (notes - 1,)."""
    gaps = np.minimum(np.round(np.diff(np.asarray(onsets, dtype=float)) * STEPS_PER_BEAT), MAX_GAP_STEPS)
    intervals = np.diff(np.asarray(pitches, dtype=np.int64))
    return ((intervals + 128) * 256 + gaps.astype(np.int64)).astype(np.uint64)


def ngram_hashes(events: np.ndarray, n: int = N_GRAM) -> np.ndarray:
    """A 64-bit hash of every run of `n` consecutive events, shape (len(events) - n + 1,) (empty if shorter)."""
    count = len(events) - n + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    hashes = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):  # wrapping around 2**64 is the point of the hash
        for offset in range(n):
            hashes = hashes * _MIX + events[offset : offset + count] + np.uint64(1)
    return hashes


@dataclass(frozen=True)
class Runs:
    """Maximal shared runs of one query: each on one indexed line, in n-grams (a run of k n-grams is k + n notes)."""

    line: np.ndarray    # (runs,) indexed line
    start: np.ndarray   # (runs,) query n-gram position where the run starts
    length: np.ndarray  # (runs,) n-grams in the run
    entry: np.ndarray   # (runs,) index entry of the run's first hit (gives the position in the indexed line)


class NgramIndex:
    """Every n-gram of many melodic lines (event arrays), hashed and sorted once, to search many queries."""

    def __init__(self, lines: list[np.ndarray], n: int = N_GRAM):
        self.n = n
        hashes = [ngram_hashes(events, n) for events in lines]
        order_all = np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.uint64)
        line_of = np.repeat(np.arange(len(lines), dtype=np.int64), [len(h) for h in hashes])
        positions = np.concatenate([np.arange(len(h), dtype=np.int64) for h in hashes]) if hashes else line_of
        order = np.argsort(order_all, kind="stable")
        self.hashes = order_all[order]    # (ngrams,) sorted
        self.lines = line_of[order]       # (ngrams,) which line each entry comes from
        self.positions = positions[order]  # (ngrams,) where in that line

    def lookup(self, events: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each n-gram of `events`, the range `low[i]:high[i]` of index entries equal to it."""
        query = ngram_hashes(events, self.n)
        return np.searchsorted(self.hashes, query, side="left"), np.searchsorted(self.hashes, query, side="right")

    def runs(self, low: np.ndarray, high: np.ndarray) -> Runs:
        """Every maximal run of consecutive query n-grams hitting consecutive positions of one indexed line.

        Each n-gram's hits are capped at MAX_HITS_PER_NGRAM (runs through very common n-grams may be cut).
        """
        counts = np.minimum(high - low, MAX_HITS_PER_NGRAM)
        total = int(counts.sum())
        if total == 0:
            empty = np.zeros(0, dtype=np.int64)
            return Runs(empty, empty, empty, empty)
        query_pos = np.repeat(np.arange(len(low)), counts)                       # (hits,)
        # hit k of query n-gram i is index entry low[i] + k: shift a running count back to each group's start
        entry = np.repeat(low - np.cumsum(counts) + counts, counts) + np.arange(total)
        line = self.lines[entry]
        diagonal = self.positions[entry] - query_pos
        order = np.lexsort((query_pos, diagonal, line))
        line, diagonal, query_pos, entry = line[order], diagonal[order], query_pos[order], entry[order]
        continues = (line[1:] == line[:-1]) & (diagonal[1:] == diagonal[:-1]) & (query_pos[1:] == query_pos[:-1] + 1)
        starts = np.flatnonzero(np.concatenate([[True], ~continues]))            # (runs,) first hit of each run
        lengths = np.diff(np.append(starts, len(order)))
        return Runs(line[starts], query_pos[starts], lengths, entry[starts])
