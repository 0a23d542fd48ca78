"""Pitch metrics: how wide, how varied and how predictable the pitches of a piece are.

Lesson: lessons/05_judging_music.ipynb. Drum tracks are left out (their note numbers name drums, not
pitches). Each function takes a Song and returns one number; its unit is in the first line of its docstring.
Validated against MusPy 0.5 in tests/test_metrics_pitch.py; see docs/metrics.md.
"""

from __future__ import annotations

import math

import numpy as np

from ..music.song import Song
from ._timeline import pitched_notes


def pitch_range(song: Song) -> int:
    """Highest minus lowest pitch, in semitones (0 when there is no pitched note)."""
    pitches = [note.pitch for note in pitched_notes(song)]
    return max(pitches) - min(pitches) if pitches else 0


def n_pitches_used(song: Song) -> int:
    """Number of distinct MIDI pitches played (a count, 0..128)."""
    return len({note.pitch for note in pitched_notes(song)})


def n_pitch_classes_used(song: Song) -> int:
    """Number of distinct pitch classes (C, C#, ... B, any octave) played (a count, 0..12)."""
    return len({note.pitch % 12 for note in pitched_notes(song)})


def _entropy_bits(counts: np.ndarray) -> float:
    """Shannon entropy in bits of the distribution proportional to `counts` (NaN if all are zero)."""
    total = counts.sum()
    if total == 0:
        return math.nan
    probabilities = counts[counts > 0] / total
    return float(-(probabilities * np.log2(probabilities)).sum())


def pitch_entropy(song: Song) -> float:
    """Shannon entropy of the note-count histogram over the 128 pitches, in bits (NaN without notes).

    0 bits: one pitch only; 7 bits: all 128 pitches equally often.
    """
    counts = np.bincount([note.pitch for note in pitched_notes(song)], minlength=128)
    return _entropy_bits(counts)


def pitch_class_entropy(song: Song) -> float:
    """Shannon entropy of the note-count histogram over the 12 pitch classes, in bits (NaN without notes).

    0 bits: one pitch class; log2(7) = 2.81 bits: a major scale, each degree equally often; log2(12) = 3.58 bits:
    all twelve equally often.
    """
    counts = np.bincount([note.pitch % 12 for note in pitched_notes(song)], minlength=12)
    return _entropy_bits(counts)
