"""How much of the source a transfer keeps: pitch contour and onset rhythm, compared bar by bar.

Lesson: lessons/07_style_transfer.ipynb. Reported by `scripts/evaluate_style_transfer.py` (docs/style_transfer.md).

A transfer may change the meter (4/4 into a 6/8 jig) but keeps the bars: source bar k became target bar k.
So both melodies are compared on *bar-relative time*: a moment a fraction f of the way through bar k.

- `contour_correlation`: both melodies are sampled at `points_per_bar` evenly spaced moments of every bar
  (the pitch sounding then, or the last one begun), and the two pitch curves are correlated (Pearson). 1
  means the new melody rises and falls exactly when the old one did; 0, no relation. Transposing a melody
  or moving it by octaves does not change it.
- `onset_f1`: the source's onsets are moved onto the target bar's grid of sixteenths; an onset of the
  target that lands on one of them is a hit. Precision, recall and their harmonic mean (F1). A style
  with its own rhythm (a jig's running eighths) is *expected* to score low here: it is reported, not a goal.
- `key_kept`: the share of the target's sounding time spent on pitch classes the source also plays. A
  transfer that stays in the source's key (or mode) scores near 1; one that wanders into a key of its own
  plays "wrong" notes against anyone accompanying the original tune.

And a check that a transfer is still a plausible melody, not a caricature of its style:

- `melody_statistics`: notes per beat and the share of notes that repeat the previous pitch, to set
  beside the same figures for real melodies of the target style.
"""

from __future__ import annotations

import numpy as np

from ..music.song import Song
from .melody import melody_track

_EPSILON = 1e-6


def bar_relative(song: Song) -> tuple[list[tuple[int, float, float]], int]:
    """The song's melody as (pitch, bar index + fraction of the bar at onset, at end), and its bar count."""
    notes = melody_track(song).notes
    lines = np.array(song.bar_lines(max(note.end for note in notes)))

    def position(beat: float) -> float:
        bar = int(np.clip(np.searchsorted(lines, beat + _EPSILON, side="right") - 1, 0, len(lines) - 2))
        return bar + (beat - lines[bar]) / (lines[bar + 1] - lines[bar])

    placed = [(note.pitch, position(note.start), position(note.end)) for note in notes]
    return placed, len(lines) - 1


def pitch_curve(placed: list[tuple[int, float, float]], bars: int, points_per_bar: int) -> np.ndarray:
    """The pitch sounding (or last begun) at each sample moment; NaN before the first note."""
    moments = np.arange(bars * points_per_bar) / points_per_bar
    onsets = np.array([onset for _, onset, _ in placed])
    pitches = np.array([pitch for pitch, _, _ in placed], dtype=float)
    index = np.searchsorted(onsets, moments + _EPSILON, side="right") - 1
    return np.where(index >= 0, pitches[np.clip(index, 0, None)], np.nan)


def contour_correlation(source: Song, target: Song, points_per_bar: int = 16) -> float:
    """Pearson correlation of the two melodies' pitch curves on bar-relative time (NaN if either is flat)."""
    source_notes, source_bars = bar_relative(source)
    target_notes, target_bars = bar_relative(target)
    bars = min(source_bars, target_bars)
    a = pitch_curve(source_notes, bars, points_per_bar)
    b = pitch_curve(target_notes, bars, points_per_bar)
    both = ~(np.isnan(a) | np.isnan(b))
    a, b = a[both], b[both]
    if len(a) < 2 or a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def onset_f1(source: Song, target: Song, steps_per_bar: int | None = None) -> dict[str, float]:
    """Precision, recall and F1 of the target's onsets against the source's, on the target bar's sixteenth grid."""
    source_notes, _ = bar_relative(source)
    target_notes, _ = bar_relative(target)
    if steps_per_bar is None:
        steps_per_bar = max(1, round(target.time_signature.bar_length * 4))
    grid = lambda placed: {round(onset * steps_per_bar) for _, onset, _ in placed}  # noqa: E731
    wanted, got = grid(source_notes), grid(target_notes)
    hits = len(wanted & got)
    precision = hits / len(got) if got else 0.0
    recall = hits / len(wanted) if wanted else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def key_kept(source: Song, target: Song) -> float:
    """The share of `target`'s melody time (in beats) on pitch classes that `source`'s melody plays."""
    source_classes = {note.pitch % 12 for note in melody_track(source).notes}
    notes = melody_track(target).notes
    total = sum(note.end - note.start for note in notes)
    inside = sum(note.end - note.start for note in notes if note.pitch % 12 in source_classes)
    return inside / total if total > 0 else float("nan")


def melody_statistics(melody) -> dict[str, float]:
    """Notes per beat and the share of notes repeating the previous pitch, of a `Melody` (transfer/melody.py)."""
    if len(melody) < 2:
        return {"notes_per_beat": float("nan"), "repeated_pitches": float("nan")}
    span = float(melody.onsets[-1] + melody.durations[-1] - melody.onsets[0])
    return {"notes_per_beat": len(melody) / max(span, _EPSILON),
            "repeated_pitches": float(np.mean(np.diff(melody.pitches) == 0))}
