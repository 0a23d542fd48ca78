"""The evaluation report: a table of metrics (generated against reference), distribution plots, originality.

Lesson: lessons/05_judging_music.ipynb; command: `deepcomposer evaluate` (docs/cli.md). `evaluate_sets` does
the work and returns an `Evaluation`; `write_report` writes it as Markdown (PNG plots beside the .md file)
or as one self-contained HTML file (plots embedded), atomically and never over a file unless asked.
"""

from __future__ import annotations

import base64
import html
import io
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from ..errors import InvalidArgumentError
from ..files import atomic_write_bytes, atomic_write_text, check_writable
from ..music.song import Song
from . import METRICS, compute_metrics
from .compare import MetricComparison, compare_metric_values, shared_densities
from .originality import COPY_MIN_BARS, COPY_MIN_NOTES, COPY_MIN_SHARE, Originality, OriginalityIndex

REPORT_SUFFIXES = (".md", ".html")


@dataclass
class Evaluation:
    """Everything a report shows: the per-metric comparison and, for each generated piece, its originality."""

    generated_label: str
    reference_label: str
    generated_count: int
    reference_count: int
    comparisons: dict[str, MetricComparison]
    originality: list[tuple[str, Originality]]  # (generated piece name, result); empty if not checked


def evaluate_sets(
    generated: list[Song],
    reference: list[Song],
    generated_label: str = "generated",
    reference_label: str = "reference",
    generated_names: list[str] | None = None,
    reference_names: list[str] | None = None,
    names: list[str] | None = None,
    originality: bool = True,
    index: OriginalityIndex | None = None,
    progress: bool = True,
) -> Evaluation:
    """Compute every metric on both sets, compare them, and check each generated piece for copied melodies.

    The originality check searches `index` if given (e.g. a whole corpus of which `reference` is a sample),
    else an index of `reference`; `originality=False` skips it.
    """
    if not generated or not reference:
        raise InvalidArgumentError("both the generated and the reference set need at least one piece")
    names = names or list(METRICS)
    unknown = sorted(set(names) - set(METRICS))
    if unknown:
        raise InvalidArgumentError(f"unknown metric(s) {', '.join(unknown)}; known: {', '.join(METRICS)}")
    generated_values = [compute_metrics(s, names)
                        for s in tqdm(generated, desc="metrics: generated", disable=not progress)]
    reference_values = [compute_metrics(s, names)
                        for s in tqdm(reference, desc="metrics: reference", disable=not progress)]
    comparisons = compare_metric_values(generated_values, reference_values, names)
    checks = []
    if originality:
        index = index or OriginalityIndex(reference, names=reference_names, progress=progress)
        generated_names = generated_names or [song.title or f"piece {i}" for i, song in enumerate(generated)]
        checks = [(name, index.check(song)) for name, song in zip(generated_names, generated)]
    return Evaluation(generated_label, reference_label, len(generated), len(reference), comparisons, checks)


def _number(value: float, digits: int = 3) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.{digits}g}"


def _spread(mean: float, sd: float) -> str:
    return "n/a" if math.isnan(mean) else f"{_number(mean)} ± {_number(sd)}"


def _fixed(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.3f}"


def metric_rows(evaluation: Evaluation) -> list[list[str]]:
    """The metrics table as text cells: metric, unit, generated mean ± sd, reference mean ± sd, OA, KL."""
    rows = []
    for name, c in evaluation.comparisons.items():
        rows.append([
            name,
            METRICS[name].unit,
            _spread(c.generated_mean, c.generated_sd),
            _spread(c.reference_mean, c.reference_sd),
            _fixed(c.overlapping_area),
            _fixed(c.kl_divergence),
        ])
    return rows


METRIC_HEADER = [
    "metric", "unit", "generated mean ± sd", "reference mean ± sd", "overlap (OA, 1 = same)", "KL (nats, 0 = same)",
]
ORIGINALITY_HEADER = ["piece", "longest shared run", "shared with", "n-grams found in reference", "likely copy?"]


def originality_rows(evaluation: Evaluation) -> list[list[str]]:
    rows = []
    for name, result in evaluation.originality:
        run = f"{result.shared_notes} notes, {result.shared_bars:.1f} bars" if result.shared_notes else "none"
        source = f"{result.source} (beat {result.source_beat:g})" if result.source else "-"
        rows.append([name, run, source, f"{100 * result.ngram_share:.0f}%", "YES" if result.likely_copy else "no"])
    return rows


def plot_value_distributions(comparisons: dict[str, MetricComparison], generated_label: str = "generated",
                             reference_label: str = "reference"):
    """One small panel per metric: histograms of the metric's values in the generated and reference sets."""
    figure, axes = _grid(len(comparisons))
    for ax, (name, c) in zip(axes, comparisons.items()):
        values = np.concatenate([c.generated, c.reference])
        if len(values):
            low, high = values.min(), values.max()
            bins = np.linspace(low, high if high > low else low + 1, 21)
            ax.hist(c.reference, bins=bins, density=True, alpha=0.5, color="tab:blue", label=reference_label)
            ax.hist(c.generated, bins=bins, density=True, alpha=0.5, color="tab:orange", label=generated_label)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel(METRICS[name].unit, fontsize=8)
        ax.tick_params(labelsize=7)
    axes[0].legend(fontsize=7)
    figure.suptitle("Metric values: generated against reference")
    return figure


def plot_distance_distributions(comparisons: dict[str, MetricComparison]):
    """One panel per metric: densities of reference-reference and generated-reference distances (what OA/KL compare)."""
    figure, axes = _grid(len(comparisons))
    for ax, (name, c) in zip(axes, comparisons.items()):
        if c.inter is not None and len(c.intra_reference) and len(c.inter):
            grid, p, q = shared_densities(c.intra_reference, c.inter)
            ax.fill_between(grid, np.minimum(p, q), color="0.85", label="overlap")
            ax.plot(grid, p, color="tab:blue", label="reference ↔ reference")
            ax.plot(grid, q, color="tab:orange", label="generated ↔ reference")
            ax.set_title(f"{name}  OA {c.overlapping_area:.2f}", fontsize=9)
        else:
            ax.set_title(f"{name}  (too few values)", fontsize=9)
        ax.set_xlabel(f"distance ({METRICS[name].unit})", fontsize=8)
        ax.tick_params(labelsize=7)
    axes[0].legend(fontsize=7)
    figure.suptitle("Distances between pieces (Yang & Lerch 2018): closer curves, more alike")
    return figure


def _grid(panels: int):
    import matplotlib.pyplot as plt

    columns = min(4, panels)
    rows = math.ceil(panels / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 2.6 * rows), squeeze=False)
    figure.subplots_adjust(hspace=0.6, wspace=0.3, top=1 - 0.6 / (2.6 * rows))  # room for the suptitle
    plt.close(figure)  # returned, not shown twice in a notebook
    axes = axes.ravel()
    for ax in axes[panels:]:
        ax.set_visible(False)
    return figure, axes


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80, facecolor="white", bbox_inches="tight")
    return buffer.getvalue()


def _summary(evaluation: Evaluation) -> list[str]:
    lines = [
        f"{evaluation.generated_count} generated pieces ({evaluation.generated_label}) against "
        f"{evaluation.reference_count} reference pieces ({evaluation.reference_label}).",
        "For each metric: mean ± standard deviation over the pieces of each set; then, after Yang and Lerch (2018), "
        "the overlapping area (OA) and Kullback-Leibler divergence (KL) between the distribution of distances among "
        "reference pieces and the distribution of distances from generated to reference pieces. OA near 1 and KL "
        "near 0: generated pieces differ from real ones about as much as real ones differ from each other.",
    ]
    if evaluation.originality:
        copies = sum(result.likely_copy for _, result in evaluation.originality)
        lines.append(
            f"Originality: {copies} of {len(evaluation.originality)} generated pieces look copied (a shared melody of "
            f"at least {COPY_MIN_BARS:g} bars and {COPY_MIN_NOTES} notes, transposition ignored, or at least "
            f"{100 * COPY_MIN_SHARE:.0f}% of 8-step n-grams found in the reference)."
        )
    return lines


def render_markdown(evaluation: Evaluation, values_png: str, distances_png: str) -> str:
    """The report as Markdown, linking the two plots by their (relative) file names."""
    def table(header, rows):
        cells = [header, ["---"] * len(header)] + [[cell.replace("|", "\\|") for cell in row] for row in rows]
        return "\n".join("| " + " | ".join(row) + " |" for row in cells)

    parts = ["# Evaluation report", "", *(line + "\n" for line in _summary(evaluation)), "## Metrics", "",
             table(METRIC_HEADER, metric_rows(evaluation)), "", f"![metric values]({values_png})", "",
             f"![distances between pieces]({distances_png})", ""]
    if evaluation.originality:
        parts += ["## Originality", "", table(ORIGINALITY_HEADER, originality_rows(evaluation)), ""]
    parts += ["Metric definitions and units: docs/metrics.md in deepcomposer-edu.", ""]
    return "\n".join(parts)


def render_html(evaluation: Evaluation, values_png: bytes, distances_png: bytes) -> str:
    """The report as one self-contained HTML page, the plots embedded as base64 PNGs."""
    def table(header, rows):
        head = "".join(f"<th>{html.escape(cell)}</th>" for cell in header)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def image(data: bytes, alt: str) -> str:
        return f'<img alt="{alt}" src="data:image/png;base64,{base64.b64encode(data).decode("ascii")}">'

    summary = "".join(f"<p>{html.escape(line)}</p>" for line in _summary(evaluation))
    originality = ""
    if evaluation.originality:
        originality = "<h2>Originality</h2>" + table(ORIGINALITY_HEADER, originality_rows(evaluation))
    style = ("body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}"
             "img{max-width:100%}")
    return (
        f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Evaluation report</title>"
        f"<style>{style}</style></head><body><h1>Evaluation report</h1>{summary}<h2>Metrics</h2>"
        f"{table(METRIC_HEADER, metric_rows(evaluation))}{image(values_png, 'metric values')}"
        f"{image(distances_png, 'distances between pieces')}{originality}"
        f"<p>Metric definitions and units: docs/metrics.md in deepcomposer-edu.</p></body></html>\n"
    )


def report_paths(path: str | os.PathLike) -> list[Path]:
    """The files a report at `path` consists of: the report, plus two PNGs beside it for Markdown."""
    path = Path(path)
    if path.suffix.lower() not in REPORT_SUFFIXES:
        raise InvalidArgumentError(f"{path}: a report must end in .md (Markdown) or .html (one self-contained page)")
    if path.suffix.lower() == ".html":
        return [path]
    return [path, path.with_name(f"{path.stem}_values.png"), path.with_name(f"{path.stem}_distances.png")]


def write_report(evaluation: Evaluation, path: str | os.PathLike, overwrite: bool = False) -> list[Path]:
    """Write the report as .md (with PNGs beside it) or .html (self-contained); returns the files written."""
    paths = report_paths(path)
    for each in paths:
        check_writable(each, overwrite)
    values_png = _png(plot_value_distributions(evaluation.comparisons, evaluation.generated_label,
                                               evaluation.reference_label))
    distances_png = _png(plot_distance_distributions(evaluation.comparisons))
    if len(paths) == 1:
        atomic_write_text(paths[0], render_html(evaluation, values_png, distances_png), overwrite=overwrite)
        return paths
    atomic_write_bytes(paths[1], values_png, overwrite=overwrite)
    atomic_write_bytes(paths[2], distances_png, overwrite=overwrite)
    atomic_write_text(paths[0], render_markdown(evaluation, paths[1].name, paths[2].name), overwrite=overwrite)
    return paths
