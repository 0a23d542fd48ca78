"""Two pianorolls side by side on one pitch axis: a theme and what a model or transformation made of it.

Lesson: lessons/07_style_transfer.ipynb (the theme and its restyled twin); also lessons/03 and 04.
"""

from __future__ import annotations

from ..music.song import Song
from .figures import new_figure
from .pianoroll import pitch_limits, plot_pianoroll


def plot_comparison(
    a: Song,
    b: Song,
    titles: tuple[str, str] = ("before", "after"),
    *,
    x_axis: str = "beats",
    figsize: tuple[float, float] = (14.0, 4.0),
):
    """Plot `a` (left) and `b` (right) with the same pitch range, so heights compare directly.

    Returns the Figure; each panel has its own time axis (the two may differ in length).
    """
    figure, (left, right) = new_figure(ncols=2, figsize=figsize, sharey=True)
    shared_range = pitch_limits(a.notes + b.notes)
    plot_pianoroll(a, ax=left, pitch_range=shared_range, title=titles[0], x_axis=x_axis, legend=False)
    plot_pianoroll(b, ax=right, pitch_range=shared_range, title=titles[1], x_axis=x_axis)
    right.set_ylabel("")
    figure.tight_layout()
    return figure
