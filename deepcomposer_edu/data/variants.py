"""Variants of one tune: which shipped pieces the originality check would call copies of each other.

Lesson: lessons/02_music_as_data.ipynb (a fair test set) and lessons/05_judging_music.ipynb (the check itself).

Bach harmonised many hymn tunes several times, with a passing note or a rhythm changed; O'Neill, Ryan and
Aird printed the same reels with other ornaments. Exact fingerprints miss such variants, so `splits.py` also
joins every pair this module links. The rule is the originality check's (`music/ngrams.py`), applied to the
note columns of the shipped corpora (no Songs are built, so all 14,500 pieces take seconds):

- each voice of a piece is one line: the top note at each onset of that voice;
- piece A is linked to piece B if a line of A shares a run of at least COPY_MIN_BARS bars (in A's meter) and
  COPY_MIN_NOTES notes with a line of B (any run, not only the longest: a safe superset of the check);
- if over COPY_MIN_SHARE of A's n-grams (all its lines together) occur in other pieces, A is linked to the
  fewest of those pieces (greedily, most shared n-grams first) that bring it under that share when left out.

Linked pieces share a split, so whatever split each group lands in, no valid or test piece is a copy of
the train split by the originality check's rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from ..music.ngrams import COPY_MIN_NOTES, COPY_MIN_SHARE, MAX_HITS_PER_NGRAM, NgramIndex, event_codes, is_copy
from .splits import top_line


@dataclass(frozen=True)
class PieceLines:
    """A piece as the n-gram search sees it: one line per voice, and its meters to measure runs in bars."""

    onsets: list[np.ndarray]  # per line: (notes,) onsets in beats
    events: list[np.ndarray]  # per line: (notes - 1,) (interval, onset gap) codes, see music/ngrams.py
    meter_beat: np.ndarray    # (meters,) beat where each meter starts
    bar_beats: np.ndarray     # (meters,) its bar length in beats

    def bars(self, line: int, first: int, last: int) -> float:
        """Bars from note `first` to note `last` of `line`, in the meter in force at note `first`."""
        onsets = self.onsets[line]
        meter = max(int(np.searchsorted(self.meter_beat, onsets[first], side="right")) - 1, 0)
        return float(onsets[last] - onsets[first]) / float(self.bar_beats[meter])


def piece_lines(pitch: np.ndarray, start: np.ndarray, voice: np.ndarray, time_signatures: list) -> PieceLines:
    """The lines of a piece's note columns (start in ticks) with its `[tick, numerator, denominator]` meters."""
    from .corpora import TICKS_PER_BEAT

    onsets, events = [], []
    for which in np.unique(voice):
        pitches, ticks = top_line(pitch, start, voice, int(which))
        onsets.append(ticks / TICKS_PER_BEAT)
        events.append(event_codes(onsets[-1], pitches))
    meters = np.asarray(time_signatures or [[0, 4, 4]], dtype=float).reshape(-1, 3)
    return PieceLines(onsets, events, meters[:, 0] / TICKS_PER_BEAT, meters[:, 1] * 4 / meters[:, 2])


@dataclass(frozen=True)
class Shared:
    """What one query piece shares with the other indexed pieces."""

    ngrams: int              # n-grams of the query, all lines together
    long_runs: list[int]     # pieces sharing a run of >= COPY_MIN_BARS bars and >= COPY_MIN_NOTES notes
    hit_piece: np.ndarray    # (hits,) each (piece, query n-gram) pair that occurs, once
    hit_ngram: np.ndarray    # (hits,) query n-gram number (over all lines)
    common: np.ndarray       # query n-grams too common to list every piece holding them

    def share(self) -> float:
        """Share of the query's n-grams found in the other pieces (the originality check's n-gram share)."""
        return len(np.union1d(self.hit_ngram, self.common)) / self.ngrams if self.ngrams else 0.0


class VariantIndex:
    """One n-gram index of every line of many pieces (piece i is `pieces[i]`)."""

    def __init__(self, pieces: list[PieceLines]):
        self.index = NgramIndex([events for piece in pieces for events in piece.events])
        self.line_piece = np.repeat(np.arange(len(pieces)), [len(piece.events) for piece in pieces])  # (lines,)

    def shared(self, query: PieceLines, skip: int = -1) -> Shared:
        """What `query` shares with every indexed piece but `skip` (itself, when it is indexed)."""
        n = self.index.n
        offset, runs_to, hit_piece, hit_ngram, common = 0, set(), [], [], []
        for line, events in enumerate(query.events):
            low, high = self.index.lookup(events)
            runs = self.index.runs(low, high)
            piece = self.line_piece[runs.line]
            keep = piece != skip
            piece, start, length = piece[keep], runs.start[keep], runs.length[keep]
            for run in np.flatnonzero(length + n >= COPY_MIN_NOTES):
                notes = int(length[run]) + n
                if is_copy(notes, query.bars(line, int(start[run]), int(start[run]) + notes - 1), 0.0, 0):
                    runs_to.add(int(piece[run]))
            hit_piece.append(np.repeat(piece, length))
            hit_ngram.append(offset + np.repeat(start - np.cumsum(length) + length, length) + np.arange(length.sum()))
            common.append(offset + np.flatnonzero(high - low > MAX_HITS_PER_NGRAM))
            offset += len(low)
        pieces = np.concatenate(hit_piece) if hit_piece else np.zeros(0, np.int64)
        ngrams = np.concatenate(hit_ngram) if hit_ngram else np.zeros(0, np.int64)
        pairs = np.unique(pieces.astype(np.int64) * max(offset, 1) + ngrams)  # a repeated phrase hits twice
        return Shared(offset, sorted(runs_to), pairs // max(offset, 1), pairs % max(offset, 1),
                      np.concatenate(common) if common else np.zeros(0, np.int64))

    def share_cover(self, shared: Shared) -> list[int]:
        """The fewest pieces (greedily, most shared n-grams first; ties: lowest number) whose removal leaves
        under COPY_MIN_SHARE of the query's n-grams found; [] if it is under that share already."""
        taken: list[int] = []
        hit_piece, hit_ngram = shared.hit_piece, shared.hit_ngram
        while shared.ngrams and len(np.union1d(hit_ngram, shared.common)) / shared.ngrams >= COPY_MIN_SHARE:
            if len(hit_piece) == 0:
                break  # only the too-common n-grams are left: no piece to link
            pieces, counts = np.unique(hit_piece, return_counts=True)
            taken.append(int(pieces[np.argmax(counts)]))
            keep = hit_piece != taken[-1]
            hit_piece, hit_ngram = hit_piece[keep], hit_ngram[keep]
        return taken


def copy_links(pieces: list[PieceLines], progress: bool = False) -> list[tuple[int, int]]:
    """Pairs (i, j) of pieces to keep in one split (see the module docstring for the rule)."""
    index = VariantIndex(pieces)
    links = []
    for number, query in enumerate(tqdm(pieces, desc="linking variants", unit="piece", disable=not progress)):
        shared = index.shared(query, skip=number)
        links += [(number, other) for other in sorted(set(shared.long_runs + index.share_cover(shared)))]
    return links
