"""Making a new figure that a notebook shows exactly once.

A figure made with pyplot is shown by Jupyter at the end of the cell *and* again when a function returns
it, so we close it in pyplot (which also frees its memory in long loops) and let the returned value
display it. `plt.subplots` is still used (not a bare `Figure`) because it switches on the notebook's
figure display the first time it runs.
"""

from __future__ import annotations


def new_figure(ncols: int = 1, figsize: tuple[float, float] = (10.0, 4.0), **subplot_options):
    """A fresh (figure, axes) pair, detached from pyplot so it is not shown twice."""
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, ncols, figsize=figsize, **subplot_options)
    plt.close(figure)
    return figure, axes
