"""Shared bookkeeping for the metrics: which notes count, and which beats or bars a note sounds in.

Lesson: lessons/05_judging_music.ipynb. Every metric works in beats (quarter notes), the Song's own unit,
so results do not depend on a tick resolution. A note sounds in a span [a, b) when it starts before b and
ends after a: a note that ends exactly on a bar line does not reach into the next bar.
"""

from __future__ import annotations

import numpy as np

from ..music.song import Note, Song

EPSILON = 1e-9  # beats; absorbs float error in times such as 1/3 of a beat


def pitched_notes(song: Song) -> list[Note]:
    """Notes of every non-drum track (drum 'pitches' name instruments, not pitches)."""
    return [note for track in song.tracks if not track.is_drum for note in track.notes]


def drum_notes(song: Song) -> list[Note]:
    """Notes of every drum track."""
    return [note for track in song.tracks if track.is_drum for note in track.notes]


def all_notes(song: Song) -> list[Note]:
    """Notes of every track, drums included."""
    return [note for track in song.tracks for note in track.notes]


def bar_edges(song: Song) -> np.ndarray:
    """Bar lines from beat 0 to the end of the last bar the notes reach into, shape (bars + 1,)."""
    return np.array(song.bar_lines())


def spans_touched(notes: list[Note], edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each note, the first and last index of the spans [edges[i], edges[i+1]) it sounds in.

    A note of zero length counts in the span where it starts.
    """
    starts = np.array([note.start for note in notes], dtype=float)
    ends = np.array([note.end for note in notes], dtype=float)
    first = np.searchsorted(edges, starts + EPSILON, side="right") - 1
    last = np.searchsorted(edges, ends - EPSILON, side="left") - 1
    return first, np.maximum(first, last)


def occupied(notes: list[Note], edges: np.ndarray) -> np.ndarray:
    """Which spans between consecutive `edges` have at least one of `notes` sounding, shape (spans,)."""
    count = np.zeros(len(edges), dtype=int)
    if notes:
        first, last = spans_touched(notes, edges)
        np.add.at(count, first, 1)
        np.add.at(count, last + 1, -1)
    return np.cumsum(count)[:-1] > 0
