"""A pianoroll plot of a Song: time goes right, pitch goes up, one colour per track.

Lesson: lessons/00_welcome.ipynb (seeing music as data) and lessons/02_music_as_data.ipynb.

What the picture encodes, so a learner can read it:
- each note is a bar from its start to its end (x, in beats or bars) at its pitch (y, named C4 = MIDI 60);
- the colour says which track (see the legend), the opacity says how loud (velocity: faint = soft);
- dark vertical lines are bar lines, light ones are beats; shaded rows are the black keys of a piano.
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidArgumentError
from ..music.song import Song
from .figures import new_figure

NOTE_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
BLACK_KEYS = {1, 3, 6, 8, 10}
TRACK_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                 "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]  # matplotlib's "tab10"
MAX_BEAT_LINES = 256  # past this many beats in view, beat lines would only be grey noise
NOTE_HEIGHT = 0.8  # of one semitone row, so neighbouring pitches stay apart


def pitch_name(pitch: int) -> str:
    """Scientific pitch name with C4 = 60 (middle C): 60 -> 'C4', 69 -> 'A4', 61 -> 'C#4'."""
    return f"{NOTE_NAMES[pitch % 12]}{pitch // 12 - 1}"


def velocity_alpha(velocity: int) -> float:
    """Opacity of a note: 0.3 for the softest (velocity 1) up to 1.0 for the loudest (127)."""
    return 0.3 + 0.7 * (min(max(velocity, 1), 127) - 1) / 126


def track_label(track, index: int) -> str:
    """The name shown in the legend: the track's own name, or 'Track N' when it has none."""
    return track.name or f"Track {index + 1}"


def plot_pianoroll(
    song: Song,
    start_beat: float | None = None,
    end_beat: float | None = None,
    ax=None,
    *,
    pitch_range: tuple[int, int] | None = None,
    x_axis: str = "beats",
    title: str | None = None,
    legend: bool = True,
    figsize: tuple[float, float] = (10.0, 4.0),
):
    """Draw `song` as a pianoroll and return the matplotlib Figure.

    start_beat, end_beat: the time range to show (default: the whole song).
    ax: draw into these axes (e.g. one panel of a bigger figure) instead of a new figure.
    pitch_range: (lowest, highest) MIDI pitch to show (default: the notes' range plus a margin).
    x_axis: "beats" (quarter notes from the start) or "bars" (bar numbers, counted from 1).
    """
    if x_axis not in ("beats", "bars"):
        raise InvalidArgumentError(f"x_axis must be 'beats' or 'bars', got {x_axis!r}")
    start = 0.0 if start_beat is None else float(start_beat)
    end = float(end_beat) if end_beat is not None else max(song.end_beat, start + song.time_signature.bar_length)
    if not end > start:
        raise InvalidArgumentError(f"end_beat ({end:g}) must be after start_beat ({start:g})")
    if ax is None:
        _, ax = new_figure(figsize=figsize)

    in_view = [[n for n in track.notes if n.end > start and n.start < end] for track in song.tracks]
    low, high = pitch_range if pitch_range is not None else pitch_limits([n for notes in in_view for n in notes])
    _shade_black_keys(ax, low, high)
    _draw_bar_and_beat_lines(ax, song, start, end)
    for index, notes in enumerate(in_view):
        _draw_notes(ax, notes, TRACK_COLOURS[index % len(TRACK_COLOURS)], index)

    ax.set_xlim(start, end)
    ax.set_ylim(low - 0.5, high + 0.5)
    _label_pitches(ax, low, high)
    _label_time(ax, song, start, end, x_axis)
    if title or song.title:
        ax.set_title(title or song.title)
    if legend and song.tracks:
        _add_legend(ax, song)
    return ax.figure


def pitch_limits(notes, margin: int = 2, min_span: int = 12) -> tuple[int, int]:
    """The pitch range to show for `notes`: their lowest to highest, a margin around, at least an octave."""
    if not notes:
        return 60, 72
    low = min(n.pitch for n in notes) - margin
    high = max(n.pitch for n in notes) + margin
    if high - low < min_span:
        grow = min_span - (high - low)
        low, high = low - grow // 2, high + grow - grow // 2
    return max(low, 0), min(high, 127)


def _draw_notes(ax, notes, colour: str, index: int) -> None:
    """One PolyCollection per track: a rectangle per note, opacity from velocity."""
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import to_rgba

    starts = np.array([n.start for n in notes], dtype=float)
    ends = np.array([n.end for n in notes], dtype=float)
    bottoms = np.array([n.pitch for n in notes], dtype=float) - NOTE_HEIGHT / 2
    tops = bottoms + NOTE_HEIGHT
    # corners of each rectangle, shape (notes, 4 corners, 2 coordinates)
    corners = np.stack([np.stack([starts, bottoms], 1), np.stack([ends, bottoms], 1),
                        np.stack([ends, tops], 1), np.stack([starts, tops], 1)], axis=1)
    faces = np.tile(to_rgba(colour), (len(notes), 1))
    faces[:, 3] = [velocity_alpha(n.velocity) for n in notes]
    edge = tuple(0.55 * c for c in to_rgba(colour)[:3])  # darker, so notes that touch still show apart
    rectangles = PolyCollection(list(corners), facecolors=faces, edgecolors=[edge], linewidths=0.7, zorder=3)
    rectangles.set_gid(f"notes:{index}")
    ax.add_collection(rectangles)


def bar_lines(song: Song, start: float, end: float) -> list[tuple[int, float]]:
    """(bar number counted from 1, beat) of every bar line from `start` to `end`, both included."""
    bars = song.bar_starts(until_beat=end + 1e-6)  # + a hair: a bar line exactly at `end` is drawn too
    return [(number, beat) for number, beat in enumerate(bars, start=1) if start - 1e-9 <= beat <= end + 1e-9]


def _shade_black_keys(ax, low: int, high: int) -> None:
    for pitch in range(low, high + 1):
        if pitch % 12 in BLACK_KEYS:
            ax.axhspan(pitch - 0.5, pitch + 0.5, color="0.94", linewidth=0, zorder=0)


def _draw_bar_and_beat_lines(ax, song: Song, start: float, end: float) -> None:
    bars = [beat for _, beat in bar_lines(song, start, end)]
    if end - start <= MAX_BEAT_LINES:
        for beat in np.arange(np.ceil(start), end + 1e-9):
            if not any(abs(beat - b) < 1e-9 for b in bars):
                ax.axvline(beat, color="0.85", linewidth=0.5, zorder=1)
    for bar in bars:
        ax.axvline(bar, color="0.45", linewidth=0.9, zorder=2)


def _label_pitches(ax, low: int, high: int) -> None:
    """Name every pitch when there is room, else the white keys, else only the Cs."""
    span = high - low
    if span <= 16:
        shown = range(low, high + 1)
    elif span <= 30:
        shown = [p for p in range(low, high + 1) if p % 12 not in BLACK_KEYS]
    else:
        shown = [p for p in range(low, high + 1) if p % 12 == 0]
    ax.set_yticks(list(shown), [pitch_name(p) for p in shown])
    ax.set_yticks(range(low, high + 1), minor=True)
    ax.tick_params(axis="y", which="minor", length=0)
    ax.tick_params(axis="y", labelsize=8)
    ax.set_ylabel("pitch")


def _label_time(ax, song: Song, start: float, end: float, x_axis: str) -> None:
    numbered = bar_lines(song, start, end)
    every = max(1, int(np.ceil(len(numbered) / 24)))  # at most ~24 labels
    numbered = numbered[::every]
    ticks = [beat for _, beat in numbered]
    if x_axis == "bars":
        ax.set_xticks(ticks, [str(number) for number, _ in numbered])
        ax.set_xlabel("bar")
    else:
        ax.set_xticks(ticks, [f"{beat:g}" for beat in ticks])
        ax.set_xlabel("beat (quarter notes)")


def _add_legend(ax, song: Song) -> None:
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=TRACK_COLOURS[i % len(TRACK_COLOURS)], label=track_label(track, i))
               for i, track in enumerate(song.tracks)]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
