"""Judging generated music: objective metrics, set-against-set comparison, and an originality check.

Lesson: lessons/05_judging_music.ipynb. Each metric is a plain function of a Song that returns one number
(see `METRICS` for the list with units). `compare` measures how close a set of generated pieces is to a set of
real ones (Yang and Lerch 2018); `originality` looks for melodies copied from a training corpus; `report`
writes both as a Markdown or HTML report. Definitions, units and how each metric was validated:
docs/metrics.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..music.song import Song
from .drums import drum_in_pattern_rate, drum_pattern_consistency
from .harmony import pitch_classes_per_bar, pitch_in_scale_rate, scale_consistency, tonal_distance
from .pitch import n_pitch_classes_used, n_pitches_used, pitch_class_entropy, pitch_entropy, pitch_range
from .polyphony import polyphony, polyphony_rate
from .rhythm import empty_bar_rate, empty_beat_rate, groove_consistency, qualified_note_rate


@dataclass(frozen=True)
class Metric:
    """A metric as the report shows it: its function, its unit and what it measures in one line."""

    name: str
    function: Callable[[Song], float]
    unit: str
    meaning: str


METRICS: dict[str, Metric] = {
    metric.name: metric
    for metric in [
        Metric("pitch_range", pitch_range, "semitones", "highest minus lowest pitch"),
        Metric("n_pitches_used", n_pitches_used, "pitches", "distinct pitches played"),
        Metric("n_pitch_classes_used", n_pitch_classes_used, "pitch classes", "distinct pitch classes played"),
        Metric("pitch_entropy", pitch_entropy, "bits", "entropy of the pitch histogram"),
        Metric("pitch_class_entropy", pitch_class_entropy, "bits", "entropy of the pitch-class histogram"),
        Metric("polyphony", polyphony, "pitches", "pitches sounding at once, when any sounds"),
        Metric("polyphony_rate", polyphony_rate, "share of time", "time with two or more pitches sounding"),
        Metric("scale_consistency", scale_consistency, "share of notes", "notes in the best-fitting major/minor scale"),
        Metric("pitch_classes_per_bar", pitch_classes_per_bar, "pitch classes",
               "distinct pitch classes per non-empty bar"),
        Metric("tonal_distance", tonal_distance, "tonal-space distance", "harmonic distance between tracks"),
        Metric("empty_beat_rate", empty_beat_rate, "share of beats", "beats with no note sounding"),
        Metric("empty_bar_rate", empty_bar_rate, "share of bars", "bars with no note sounding"),
        Metric("groove_consistency", groove_consistency, "0..1", "1 - rhythm change between neighbouring bars"),
        Metric("qualified_note_rate", qualified_note_rate, "share of notes", "notes at least a 32nd note long"),
        Metric("drum_pattern_consistency", drum_pattern_consistency, "share of hits",
               "drum hits on a 16th or triplet grid"),
    ]
}


def compute_metrics(song: Song, names: list[str] | None = None) -> dict[str, float]:
    """Every metric in `METRICS` (or only `names`) for one song: {name: value}; NaN where undefined."""
    return {name: float(METRICS[name].function(song)) for name in (names or list(METRICS))}


__all__ = [
    "METRICS",
    "Metric",
    "compute_metrics",
    "drum_in_pattern_rate",
    "drum_pattern_consistency",
    "empty_bar_rate",
    "empty_beat_rate",
    "groove_consistency",
    "n_pitch_classes_used",
    "n_pitches_used",
    "pitch_class_entropy",
    "pitch_classes_per_bar",
    "pitch_entropy",
    "pitch_in_scale_rate",
    "pitch_range",
    "polyphony",
    "polyphony_rate",
    "qualified_note_rate",
    "scale_consistency",
    "tonal_distance",
]
