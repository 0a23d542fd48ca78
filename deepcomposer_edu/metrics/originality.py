"""Originality: did a generated piece copy a melody from the training corpus?

Lesson: lessons/05_judging_music.ipynb. A model that memorised its training data can play it back; good
metric values then mean nothing. This module answers two questions about a piece:

- the longest run of notes it shares with any one corpus piece, and where that run comes from;
- the share of its n-grams (runs of N_GRAM steps) that occur anywhere in the corpus.

What counts as "the same notes" and how the search stays fast are explained in `music/ngrams.py`, which
this check shares with the data room (`data/splits.py` uses the same rule to keep variants of one tune in one
split). Each pitched track is reduced to its top line (`music.ops.skyline`) and searched in one n-gram index.

When a piece is flagged (`likely_copy`): its longest shared run spans at least COPY_MIN_BARS bars AND
COPY_MIN_NOTES notes, or at least COPY_MIN_SHARE of its n-grams occur in the corpus. See docs/metrics.md
for how these thresholds behave on random melodies, held-out real music and planted copies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from ..errors import InvalidArgumentError
from ..music.ngrams import (
    COPY_MIN_BARS,
    COPY_MIN_NOTES,
    COPY_MIN_SHARE,
    N_GRAM,
    NgramIndex,
    event_codes,
    is_copy,
    ngram_hashes,
)
from ..music.ops import skyline
from ..music.song import Song

# the thresholds and hashing are shared with data/variants.py, and stay importable from here
__all__ = ["COPY_MIN_BARS", "COPY_MIN_NOTES", "COPY_MIN_SHARE", "N_GRAM", "Line", "Originality", "OriginalityIndex",
           "melodic_lines", "ngram_hashes"]


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
        codes = event_codes(onsets, [n.pitch for n in notes])
        lines.append(Line(onsets, codes))
    return lines


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
        return is_copy(self.shared_notes, self.shared_bars, self.ngram_share, self.ngrams)


class OriginalityIndex:
    """Every n-gram of a corpus, hashed and sorted once, to check many pieces against it quickly."""

    def __init__(self, songs, names: list[str] | None = None, n: int = N_GRAM, progress: bool = True):
        """Index `songs` (any iterable of Songs); `names` label them in results (default: titles or numbers)."""
        if n < 1:
            raise InvalidArgumentError(f"n-gram length must be at least 1, got {n}")
        self.n = n
        self.names: list[str] = []
        events, onsets, line_piece = [], [], []
        for number, song in enumerate(tqdm(songs, desc="indexing corpus", unit="piece", disable=not progress)):
            self.names.append(names[number] if names else (song.title or f"piece {number}"))
            for line in melodic_lines(song):
                events.append(line.events)
                onsets.append(line.onsets)
                line_piece.append(number)
        self.index = NgramIndex(events, n)
        self.onsets = onsets                                    # each line's onsets (beats)
        self.line_piece = np.array(line_piece, dtype=np.int64)  # (lines,) which piece each line is from

    def __len__(self) -> int:
        return len(self.names)

    def check(self, song: Song) -> Originality:
        """The longest run `song` shares with one corpus piece, and its share of n-grams found in the corpus."""
        best = (0, None, None, None)  # (n-grams in run, query line, query position, index entry)
        found = total = 0
        query_lines = melodic_lines(song)
        for number, line in enumerate(query_lines):
            low, high = self.index.lookup(line.events)
            found += int(np.count_nonzero(high > low))
            total += len(low)
            runs = self.index.runs(low, high)
            if len(runs.length) and runs.length.max() > best[0]:
                longest = int(np.argmax(runs.length))
                best = (int(runs.length[longest]), number, int(runs.start[longest]), int(runs.entry[longest]))
        share = found / total if total else 0.0
        run, number, position, entry = best
        if run == 0:
            return Originality(0, 0.0, 0.0, None, None, None, share, total)
        onsets = query_lines[number].onsets
        first, last = onsets[position], onsets[position + run - 1 + self.n]
        corpus_line = int(self.index.lines[entry])
        bar = song.time_signature_at(first).bar_length
        return Originality(
            shared_notes=run + self.n,
            shared_beats=float(last - first),
            shared_bars=float(last - first) / bar,
            source=self.names[self.line_piece[corpus_line]],
            source_beat=float(self.onsets[corpus_line][self.index.positions[entry]]),
            start_beat=float(first),
            ngram_share=share,
            ngrams=total,
        )
