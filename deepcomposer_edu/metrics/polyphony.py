"""Polyphony metrics: how many pitches sound at once.

Lesson: lessons/05_judging_music.ipynb. Time is measured exactly in beats (no pianoroll grid): the song is
cut at every note start and end, and in each piece of time we count the distinct pitches sounding (the same
pitch in two tracks counts once, as in a pianoroll). Drum tracks are left out of the count, but a drum note
still makes the song longer. Validated against MusPy 0.5 in tests/test_metrics_polyphony.py.
"""

from __future__ import annotations

import math

import numpy as np

from ..music.song import Song
from ._timeline import EPSILON, pitched_notes


def pitch_count_timeline(song: Song) -> tuple[np.ndarray, np.ndarray]:
    """How many distinct pitches sound in each stretch of time from beat 0 to the song's end.

    Returns (lengths, counts), both shape (stretches,): stretch k lasts lengths[k] beats, during which
    counts[k] distinct non-drum pitches sound.
    """
    notes = [note for note in pitched_notes(song) if note.end - note.start > EPSILON]
    cuts = np.unique(np.array([0.0, song.end_beat] + [t for n in notes for t in (n.start, n.end)]))
    change = np.zeros(len(cuts), dtype=int)
    by_pitch: dict[int, list[tuple[float, float]]] = {}
    for note in notes:
        by_pitch.setdefault(note.pitch, []).append((note.start, note.end))
    for spans in by_pitch.values():
        # merge overlapping notes of one pitch first, so a doubled pitch is counted once
        spans.sort()
        merged = [list(spans[0])]
        for start, end in spans[1:]:
            if start <= merged[-1][1] + EPSILON:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        merged = np.array(merged)  # (spans, 2)
        np.add.at(change, np.searchsorted(cuts, merged[:, 0] - EPSILON), 1)
        np.add.at(change, np.searchsorted(cuts, merged[:, 1] - EPSILON), -1)
    return np.diff(cuts), np.cumsum(change)[:-1]


def polyphony(song: Song) -> float:
    """Average number of distinct pitches sounding, over the time when at least one sounds (pitches; NaN if none)."""
    lengths, counts = pitch_count_timeline(song)
    sounding = lengths[counts > 0].sum()
    return float((lengths * counts).sum() / sounding) if sounding > 0 else math.nan


def polyphony_rate(song: Song, min_pitches: int = 2) -> float:
    """Share of the song's time (0..1) during which at least `min_pitches` distinct pitches sound (NaN if empty).

    With the default 2 this is the time spent playing intervals or chords. MusPy's and Pypianoroll's
    `polyphony_rate(threshold=t)` count strictly more than t pitches, so theirs equals ours with
    min_pitches=t + 1 (their default t=2 counts only chords of three or more pitches).
    """
    lengths, counts = pitch_count_timeline(song)
    total = lengths.sum()
    return float(lengths[counts >= min_pitches].sum() / total) if total > 0 else math.nan
