"""Drum metrics: do drum hits fall on a regular grid?

Lesson: lessons/05_judging_music.ipynb. Only drum tracks count. A drum hit is "in pattern" when it starts on
the grid of 16th notes (duple feel: 4 steps per beat) or of 8th-note triplets (triple feel: 3 steps per beat).
This is MusPy's definition (and MuseGAN's "DP" without its 0.1 partial credit for near misses); validated
against MusPy 0.5 in tests/test_metrics_drums.py.
"""

from __future__ import annotations

import math

from ..errors import InvalidArgumentError
from ..music.song import Song
from ._timeline import drum_notes

GRID_STEPS_PER_BEAT = {"duple": 4, "triple": 3}
ON_GRID_TOLERANCE = 1e-6  # beats


def drum_in_pattern_rate(song: Song, meter: str = "duple") -> float:
    """Share of drum hits (0..1) starting on the 16th-note grid ("duple") or the 8th-triplet grid ("triple").

    NaN without drum hits.
    """
    if meter not in GRID_STEPS_PER_BEAT:
        raise InvalidArgumentError(f"meter must be one of {sorted(GRID_STEPS_PER_BEAT)}, got {meter!r}")
    steps = GRID_STEPS_PER_BEAT[meter]
    hits = drum_notes(song)
    if not hits:
        return math.nan
    return sum(abs(n.start * steps - round(n.start * steps)) < ON_GRID_TOLERANCE * steps for n in hits) / len(hits)


def drum_pattern_consistency(song: Song) -> float:
    """The larger of the duple and triple drum-in-pattern rates (0..1; NaN without drums)."""
    if not drum_notes(song):
        return math.nan
    return max(drum_in_pattern_rate(song, meter) for meter in GRID_STEPS_PER_BEAT)
