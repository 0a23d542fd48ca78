"""Rhythm metrics: silences, how steady the rhythm is from bar to bar, and how fragmented the notes are.

Lesson: lessons/05_judging_music.ipynb. All tracks count, drums included (a drum hit fills a beat too),
except in `qualified_note_rate`, which is about pitched notes. Bars follow the song's time signatures
(`song.bar_starts()`), so 3/4, 6/8 and meter changes are handled. Validated against MusPy 0.5 and on
hand-worked cases in tests/test_metrics_rhythm.py; where MusPy differs, docs/metrics.md says why.
"""

from __future__ import annotations

import math

import numpy as np

from ..music.song import Song
from ._timeline import EPSILON, all_notes, bar_edges, occupied, pitched_notes

QUALIFIED_NOTE_BEATS = 1 / 8  # a 32nd note: MuseGAN's "three time steps" at 24 steps per beat


def empty_beat_rate(song: Song) -> float:
    """Share of beats (0..1) in which no note sounds, over the beats from 0 to the song's end (NaN if empty).

    A beat is a quarter note; a note sounding anywhere inside a beat (held or struck) fills it.
    """
    n_beats = math.ceil(song.end_beat - EPSILON)
    if n_beats <= 0:
        return math.nan
    filled = occupied(all_notes(song), np.arange(n_beats + 1, dtype=float))
    return float(1.0 - filled.mean())


def empty_bar_rate(song: Song) -> float:
    """Share of bars (0..1) in which NO note sounds, over the bars from 0 to the song's end (NaN if empty).

    1.0 would mean silence everywhere; a note held over a bar line fills both bars.
    """
    notes = all_notes(song)
    if not notes or song.end_beat <= EPSILON:
        return math.nan
    filled = occupied(notes, bar_edges(song))
    return float(1.0 - filled.mean())


def bar_onset_patterns(song: Song, steps_per_beat: int = 24) -> list[np.ndarray]:
    """For each bar, which of its grid steps have a note starting on them: a list of bool arrays (steps,)."""
    edges = bar_edges(song)
    patterns = [np.zeros(round((b - a) * steps_per_beat), dtype=bool) for a, b in zip(edges[:-1], edges[1:])]
    notes = all_notes(song)
    bars = np.searchsorted(edges, [n.start + EPSILON for n in notes], side="right") - 1
    for note, bar in zip(notes, np.minimum(bars, len(patterns) - 1)):
        step = min(round((note.start - edges[bar]) * steps_per_beat), len(patterns[bar]) - 1)
        patterns[bar][step] = True
    return patterns


def groove_consistency(song: Song, steps_per_beat: int = 24) -> float:
    """1 minus the mean Hamming distance between the onset patterns of neighbouring bars (0..1; NaN under 2 bars).

    Wu and Yang (2020): each bar's onsets on a grid of `steps_per_beat` steps per beat; the share of grid
    steps where two neighbouring bars differ, averaged over neighbours. 1.0: every bar has the same rhythm.
    Bars of different lengths (meter changes) are compared over the longer one.
    """
    if not all_notes(song):
        return math.nan
    patterns = bar_onset_patterns(song, steps_per_beat)
    if len(patterns) < 2:
        return math.nan
    distances = []
    for left, right in zip(patterns[:-1], patterns[1:]):
        size = max(len(left), len(right))
        left, right = np.pad(left, (0, size - len(left))), np.pad(right, (0, size - len(right)))
        distances.append(np.count_nonzero(left != right) / size)
    return float(1.0 - np.mean(distances))


def qualified_note_rate(song: Song, min_beats: float = QUALIFIED_NOTE_BEATS) -> float:
    """Share of pitched notes (0..1) lasting at least `min_beats` beats, by default a 32nd note (NaN without notes).

    MuseGAN's "QN": notes shorter than three time steps at 24 steps per beat are "unqualified" fragments.
    """
    notes = pitched_notes(song)
    if not notes:
        return math.nan
    return sum(note.end - note.start >= min_beats - EPSILON for note in notes) / len(notes)
