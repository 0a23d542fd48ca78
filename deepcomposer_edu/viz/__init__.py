"""See music and training: pianoroll plots, side-by-side comparisons, training curves, saved as PNG.

Lesson: lessons/00_welcome.ipynb (a first pianoroll), then every lesson that makes music or trains a model.

Every function returns a matplotlib `Figure`, so a notebook shows it when it is the last line of a cell, and
`save_png(fig, path)` writes it to disk (atomically, never over a file unless `overwrite=True`).
"""

from .compare import plot_comparison
from .curves import plot_training_curves
from .pianoroll import pitch_name, plot_pianoroll
from .save import save_png

__all__ = ["pitch_name", "plot_comparison", "plot_pianoroll", "plot_training_curves", "save_png"]
