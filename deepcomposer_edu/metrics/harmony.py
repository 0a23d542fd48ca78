"""Harmony metrics: does the music stay in a key, how many pitch classes does each bar use, do tracks agree?

Lesson: lessons/05_judging_music.ipynb. Drum tracks are left out. `pitch_in_scale_rate` and
`scale_consistency` are validated against MusPy 0.5; MusPy has no `pitch_classes_per_bar` (MuseGAN's "UPC")
or `tonal_distance` (MuseGAN's "TD", after Harte, Sandler and Gasser 2006), so those are checked on
hand-worked cases in tests/test_metrics_harmony.py. Definitions and units: docs/metrics.md.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from ..errors import InvalidArgumentError
from ..music.song import Song
from ._timeline import EPSILON, bar_edges, pitched_notes, spans_touched

# Which of the 12 pitch classes (C = 0) belong to the scale, for a scale starting on C.
SCALE_STEPS = {
    "major": np.array([1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1], dtype=bool),
    "minor": np.array([1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0], dtype=bool),  # natural minor
}


def scale_mask(root: int, mode: str) -> np.ndarray:
    """Which pitch classes are in the `mode` scale on `root` (0 = C ... 11 = B), shape (12,) of bool."""
    if mode not in SCALE_STEPS:
        raise InvalidArgumentError(f"scale mode must be one of {sorted(SCALE_STEPS)}, got {mode!r}")
    return np.roll(SCALE_STEPS[mode], root % 12)


def pitch_class_counts(song: Song) -> np.ndarray:
    """How many pitched notes have each pitch class, shape (12,)."""
    return np.bincount([note.pitch % 12 for note in pitched_notes(song)], minlength=12)


def pitch_in_scale_rate(song: Song, root: int = 0, mode: str = "major") -> float:
    """Share of notes (0..1) whose pitch class is in the scale on `root` in `mode` (NaN without notes)."""
    mask = scale_mask(root, mode)
    counts = pitch_class_counts(song)
    return counts[mask].sum() / counts.sum() if counts.sum() else math.nan


def scale_consistency(song: Song) -> float:
    """The best pitch-in-scale rate over all 24 major and natural-minor scales (0..1; NaN without notes)."""
    counts = pitch_class_counts(song)
    if not counts.sum():
        return math.nan
    return max(counts[scale_mask(root, mode)].sum() / counts.sum() for mode in SCALE_STEPS for root in range(12))


def pitch_classes_per_bar(song: Song) -> float:
    """Distinct pitch classes sounding per bar, averaged over bars that have pitched notes (0..12; NaN if none).

    A note held across a bar line counts in both bars. Bars with no pitched note are left out of the average
    (they are what `empty_bar_rate` measures).
    """
    notes = pitched_notes(song)
    if not notes:
        return math.nan
    edges = bar_edges(song)
    used = np.zeros((len(edges) - 1, 12), dtype=bool)  # (bars, pitch classes)
    first, last = spans_touched(notes, edges)
    for note, a, b in zip(notes, first, last):
        used[a : b + 1, note.pitch % 12] = True
    per_bar = used.sum(axis=1)
    return float(per_bar[per_bar > 0].mean())


def tonal_centroid_matrix(radii: tuple[float, float, float] = (1.0, 1.0, 0.5)) -> np.ndarray:
    """Harte et al.'s 6 x 12 matrix mapping a chroma vector onto three circles: fifths, minor and major thirds."""
    r1, r2, r3 = radii
    pc = np.arange(12)
    return np.array([
        r1 * np.sin(pc * 7 * np.pi / 6), r1 * np.cos(pc * 7 * np.pi / 6),  # circle of fifths
        r2 * np.sin(pc * 3 * np.pi / 2), r2 * np.cos(pc * 3 * np.pi / 2),  # circle of minor thirds
        r3 * np.sin(pc * 2 * np.pi / 3), r3 * np.cos(pc * 2 * np.pi / 3),  # circle of major thirds
    ])


def beat_chroma(notes, n_beats: int) -> np.ndarray:
    """How long each pitch class sounds in each beat, in beats, shape (n_beats, 12)."""
    chroma = np.zeros((n_beats, 12))
    for note in notes:
        beat = math.floor(note.start + EPSILON)
        while beat < n_beats and beat < note.end - EPSILON:
            overlap = min(note.end, beat + 1) - max(note.start, beat)
            chroma[beat, note.pitch % 12] += max(overlap, 0.0)
            beat += 1
    return chroma


def tonal_distance(song: Song) -> float:
    """Mean distance between the tonal centroids of two pitched tracks, beat by beat, over all track pairs.

    Unitless (0 = the same harmony; at most 3 with the default radii). For each beat in which both
    tracks sound, each track's chroma (time each pitch class sounds) is normalised to sum 1 and mapped to a
    6-D tonal centroid (Harte et al. 2006); the Euclidean distance between the two centroids is averaged over
    those beats, then over all pairs of pitched tracks. NaN with fewer than two pitched tracks sounding together.
    """
    n_beats = math.ceil(song.end_beat - EPSILON)
    centroids = []
    for track in song.tracks:
        if track.is_drum or not track.notes:
            continue
        chroma = beat_chroma(track.notes, n_beats)  # (beats, 12)
        totals = chroma.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            centroids.append((chroma / totals) @ tonal_centroid_matrix().T)  # (beats, 6), NaN where silent
    distances = []
    for a, b in itertools.combinations(centroids, 2):
        per_beat = np.linalg.norm(a - b, axis=1)
        per_beat = per_beat[~np.isnan(per_beat)]
        if len(per_beat):
            distances.append(per_beat.mean())
    return float(np.mean(distances)) if distances else math.nan
