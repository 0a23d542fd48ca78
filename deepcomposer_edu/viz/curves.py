"""Training curves: how losses and metrics moved while a model learned.

Lesson: lessons/03_gans.ipynb (generator and discriminator losses) and lessons/04_transformers.ipynb.

`history` is either a dict of name -> list of values (one per step or epoch), or a list of dicts (one per
step, e.g. what the training loop logs). Series whose name contains "loss" go in the left panel, any
others (accuracy, pitch-class entropy, ...) in a right panel, because their scales differ.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..errors import InvalidArgumentError
from .figures import new_figure

STEP_KEYS = ("step", "epoch")  # in a list of dicts, these are the x axis, not curves


def plot_training_curves(history, *, title: str | None = None, figsize: tuple[float, float] = (10.0, 3.5)):
    """Plot every numeric series in `history` and return the Figure."""
    from matplotlib.ticker import MaxNLocator

    steps, series = as_series(history)
    losses = {name: values for name, values in series.items() if "loss" in name.lower()}
    metrics = {name: values for name, values in series.items() if name not in losses}
    panels = [group for group in (losses, metrics) if group]
    figure, axes = new_figure(ncols=len(panels), figsize=figsize, squeeze=False)
    for ax, group, label in zip(axes[0], panels, ["loss" if losses else "value", "value"]):
        for name, values in group.items():
            xs = [x for x, v in zip(steps, values) if v is not None]
            ax.plot(xs, [v for v in values if v is not None], label=name, linewidth=1.5)
        ax.set_xlabel(steps_label(history))
        ax.set_ylabel(label)
        ax.grid(True, color="0.9")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(frameon=False, fontsize=9)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def steps_label(history) -> str:
    if isinstance(history, Sequence) and history and isinstance(history[0], Mapping):
        for key in STEP_KEYS:
            if key in history[0]:
                return key
    return "step"


def as_series(history) -> tuple[list, dict[str, list]]:
    """(x values, {name: values}) from either accepted shape of `history`; None marks a missing value."""
    if isinstance(history, Mapping):
        series = {str(name): [float(v) for v in values] for name, values in history.items()}
        length = max((len(values) for values in series.values()), default=0)
        series = {name: values + [None] * (length - len(values)) for name, values in series.items()}
        steps = list(range(1, length + 1))
    elif isinstance(history, Sequence) and all(isinstance(row, Mapping) for row in history):
        key = next((k for k in STEP_KEYS if history and k in history[0]), None)
        steps = [row[key] for row in history] if key else list(range(1, len(history) + 1))
        names = [n for row in history for n in row if n not in STEP_KEYS and isinstance(row[n], (int, float))]
        series = {name: [row.get(name) for row in history] for name in dict.fromkeys(names)}
    else:
        raise InvalidArgumentError(
            f"history must be a dict of name -> list of values, or a list of dicts, got {type(history).__name__}"
        )
    if not series:
        raise InvalidArgumentError("history has no numeric series to plot")
    return steps, series
