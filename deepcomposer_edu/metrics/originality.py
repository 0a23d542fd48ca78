"""Originality: did a generated piece copy a melody from the training corpus?

Lesson: lessons/05_judging_music.ipynb. A model that memorised its training data can play it back; good
metric values then mean nothing. This module answers two questions about a piece:

- the longest run of notes it shares with any one corpus piece, and where that run comes from;
- the share of its n-grams (runs of N_GRAM steps) that occur anywhere in the corpus.

What counts as "the same notes". Each pitched track is reduced to its top line (`music.ops.skyline`), and each
step from one note to the next becomes an event: (pitch interval in semitones, time between the two onsets
in 16th notes, capped at 4 bars of 4/4). Intervals make the comparison transposition-invariant (a copy moved
to another key still matches); onsets rather than note lengths make it blind to staccato or legato playing;
the 16th-note grid absorbs small timing differences. A run of k events is k + 1 shared notes.

How it stays fast. Every corpus n-gram is hashed to a 64-bit integer and kept in one sorted array (the
index, built once). A piece's n-grams are looked up with a binary search (`np.searchsorted`); a run shared
with one corpus line shows up as consecutive query n-grams matching consecutive positions of that line,
i.e. hits on one "diagonal" (corpus position - query position constant), found by sorting the hits.

When a piece is flagged (`likely_copy`): its longest shared run spans at least COPY_MIN_BARS bars AND
COPY_MIN_NOTES notes, or at least COPY_MIN_SHARE of its n-grams occur in the corpus. See docs/metrics.md
for how these thresholds behave on random melodies, held-out real music and planted copies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from ..errors import InvalidArgumentError
from ..music.ops import skyline
from ..music.song import Song

N_GRAM = 8               # events per n-gram: 9 notes
STEPS_PER_BEAT = 4       # onset grid: 16th notes
MAX_GAP_STEPS = 64       # longer gaps between onsets (4 bars of 4/4) all count as one long gap
MAX_HITS_PER_NGRAM = 5000  # n-grams more common than this (repeated notes...) still count for the share
COPY_MIN_BARS = 4.0
COPY_MIN_NOTES = 16
COPY_MIN_SHARE = 0.5

_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant of a polynomial rolling hash


@dataclass(frozen=True)
class Line:
    """One melodic line of one piece: its onsets (beats) and its events (interval, onset gap) as codes."""

    onsets: np.ndarray  # (notes,) float
    events: np.ndarray  # (notes - 1,) uint64 codes of (interval, gap)


def melodic_lines(song: Song) -> list[Line]:
    """Each pitched track's top line, as onsets and event codes (a track of fewer than 2 notes gives none)."""
    lines = []
    for track in song.tracks:
        if track.is_drum or len(track.notes) < 2:
            continue
        notes = skyline(Song(tracks=[track])).tracks[0].notes
        onsets = np.array([n.start for n in notes], dtype=float)
        pitches = np.array([n.pitch for n in notes], dtype=np.int64)
        gaps = np.minimum(np.round(np.diff(onsets) * STEPS_PER_BEAT), MAX_GAP_STEPS).astype(np.int64)
        codes = ((np.diff(pitches) + 128) * 256 + gaps).astype(np.uint64)
        lines.append(Line(onsets, codes))
    return lines


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


@dataclass
class Originality:
    """What `OriginalityIndex.check` found for one piece."""

    shared_notes: int         # notes in the longest run shared with one corpus piece (0 if none)
    shared_beats: float       # beats from the first to the last of those notes, in the checked piece
    shared_bars: float        # the same in bars of the checked piece's meter
    source: str | None        # the corpus piece it shares that run with
    source_beat: float | None  # where the run starts in that corpus piece
    start_beat: float | None   # where it starts in the checked piece
    ngram_share: float        # share (0..1) of the piece's n-grams found anywhere in the corpus
    ngrams: int               # how many n-grams the piece has

    @property
    def likely_copy(self) -> bool:
        """True if the piece shares a long run with one corpus piece or most of its n-grams with the corpus."""
        long_run = self.shared_bars >= COPY_MIN_BARS - 1e-9 and self.shared_notes >= COPY_MIN_NOTES
        return long_run or (self.ngrams > 0 and self.ngram_share >= COPY_MIN_SHARE)


class OriginalityIndex:
    """Every n-gram of a corpus, hashed and sorted once, to check many pieces against it quickly."""

    def __init__(self, songs, names: list[str] | None = None, n: int = N_GRAM, progress: bool = True):
        """Index `songs` (any iterable of Songs); `names` label them in results (default: titles or numbers)."""
        if n < 1:
            raise InvalidArgumentError(f"n-gram length must be at least 1, got {n}")
        self.n = n
        self.names: list[str] = []
        hashes, lines, positions, onsets, line_piece, line_start = [], [], [], [], [], []
        start = 0
        for number, song in enumerate(tqdm(songs, desc="indexing corpus", unit="piece", disable=not progress)):
            self.names.append(names[number] if names else (song.title or f"piece {number}"))
            for line in melodic_lines(song):
                line_hashes = ngram_hashes(line.events, n)
                hashes.append(line_hashes)
                lines.append(np.full(len(line_hashes), len(line_piece), dtype=np.int64))
                positions.append(np.arange(len(line_hashes), dtype=np.int64))
                onsets.append(line.onsets)
                line_piece.append(number)
                line_start.append(start)
                start += len(line.onsets)
        hashes = np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.uint64)
        order = np.argsort(hashes, kind="stable")
        self.hashes = hashes[order]                                                   # (ngrams,) sorted
        self.lines = (np.concatenate(lines) if lines else np.zeros(0, np.int64))[order]
        self.positions = (np.concatenate(positions) if positions else np.zeros(0, np.int64))[order]
        self.onsets = np.concatenate(onsets) if onsets else np.zeros(0)                # all lines' onsets
        self.line_piece = np.array(line_piece, dtype=np.int64)                         # (lines,)
        self.line_start = np.array(line_start, dtype=np.int64)                         # (lines,) into onsets

    def __len__(self) -> int:
        return len(self.names)

    def check(self, song: Song) -> Originality:
        """The longest run `song` shares with one corpus piece, and its share of n-grams found in the corpus."""
        best = (0, None, None, None)  # (n-grams in run, query line, query position, hit index)
        found = total = 0
        query_lines = melodic_lines(song)
        for number, line in enumerate(query_lines):
            query = ngram_hashes(line.events, self.n)
            low = np.searchsorted(self.hashes, query, side="left")
            high = np.searchsorted(self.hashes, query, side="right")
            found += int(np.count_nonzero(high > low))
            total += len(query)
            run, position, hit = self._longest_diagonal(low, np.minimum(high, low + MAX_HITS_PER_NGRAM))
            if run > best[0]:
                best = (run, number, position, hit)
        share = found / total if total else 0.0
        run, number, position, hit = best
        if run == 0:
            return Originality(0, 0.0, 0.0, None, None, None, share, total)
        onsets = query_lines[number].onsets
        first, last = onsets[position], onsets[position + run - 1 + self.n]
        corpus_line = self.lines[hit]
        source_beat = float(self.onsets[self.line_start[corpus_line] + self.positions[hit]])
        bar = song.time_signature_at(first).bar_length
        return Originality(
            shared_notes=run + self.n,
            shared_beats=float(last - first),
            shared_bars=float(last - first) / bar,
            source=self.names[self.line_piece[corpus_line]],
            source_beat=source_beat,
            start_beat=float(first),
            ngram_share=share,
            ngrams=total,
        )

    def _longest_diagonal(self, low: np.ndarray, high: np.ndarray) -> tuple[int, int, int]:
        """Longest run of consecutive query n-grams hitting consecutive positions of one corpus line.

        `low[i]:high[i]` are the index entries equal to query n-gram i. Returns (run length in n-grams,
        query position where it starts, index entry of its first hit); (0, 0, 0) without hits.
        """
        counts = high - low
        if counts.sum() == 0:
            return 0, 0, 0
        query_pos = np.repeat(np.arange(len(low)), counts)                       # (hits,)
        # hit k of query n-gram i is index entry low[i] + k: shift a running count back to each group's start
        entry = np.repeat(low - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        diagonal = self.positions[entry] - query_pos
        order = np.lexsort((query_pos, diagonal, self.lines[entry]))
        line, diagonal, query_pos, entry = self.lines[entry][order], diagonal[order], query_pos[order], entry[order]
        continues = (line[1:] == line[:-1]) & (diagonal[1:] == diagonal[:-1]) & (query_pos[1:] == query_pos[:-1] + 1)
        # run length ending at each hit: reset to 1 wherever a run does not continue
        breaks = np.flatnonzero(np.concatenate([[True], ~continues]))
        run_id = np.cumsum(np.concatenate([[True], ~continues])) - 1
        length_here = np.arange(len(order)) - breaks[run_id] + 1
        end = int(np.argmax(length_here))
        first = breaks[run_id[end]]
        return int(length_here[end]), int(query_pos[first]), int(entry[first])
