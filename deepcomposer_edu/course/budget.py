"""The notebook budget: each solution, run with its real defaults on one CPU core, takes <= 3 min and <= 1.5 GB.

    python -m deepcomposer_edu.course.budget                 # every solutions/*.ipynb, prints the table
    python -m deepcomposer_edu.course.budget 00 03 --write   # only those lessons; also updates docs/benchmarks.md

Binder gives a classroom 1 CPU and 2 GB, so that is what we measure against: this process pins itself to
one core (like `taskset -c 0`; the kernel inherits it, and torch then uses one thread), runs each notebook
on a fresh copy with `DEEPCOMPOSER_SMOKE=0`, and records the wall time (kernel start to last cell) and
the peak resident memory of the kernel and its children (see execute.py). An empty notebook is measured
first as the baseline: the part of every figure that is only starting Python. Exit status 1 if a notebook
fails or is over budget. The table goes between two marker lines in docs/benchmarks.md, so the other
sections of that file are left alone.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat

from ..files import atomic_write_text
from .execute import NotebookRun, run_notebook
from .sync import course_root

LIMIT_SECONDS = 180
LIMIT_MEGABYTES = 1500
START, END = "<!-- notebook-budget:start -->", "<!-- notebook-budget:end -->"
BASELINE = "(baseline: empty notebook, `import deepcomposer_edu`)"
NEW_BENCHMARKS_FILE = """# Benchmarks

Measured figures, each with the command that produced it. Sections are written by scripts between marker
lines; edit around them.

## Notebooks: time and memory on one core

"""


def pin_to_one_core() -> int:
    """Run this process (and every kernel it starts) on one CPU core; return which."""
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


def measure(path: Path, repeat: int) -> tuple[float, float | None, str | None]:
    """Median seconds, peak megabytes (the worst run) and the first error of `repeat` runs of one notebook."""
    runs: list[NotebookRun] = [run_notebook(path, smoke=False) for _ in range(repeat)]
    peaks = [run.peak_memory_bytes for run in runs if run.peak_memory_bytes is not None]
    errors = [run.error for run in runs if run.error]
    return statistics.median(run.wall_seconds for run in runs), (max(peaks) / 1e6 if peaks else None), (errors or [None])[0]


def _baseline(repeat: int) -> tuple[float, float | None, str | None]:
    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "empty.ipynb"
        notebook = nbformat.v4.new_notebook()
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        notebook.cells = [nbformat.v4.new_code_cell("import deepcomposer_edu")]
        nbformat.write(notebook, empty)
        return measure(empty, repeat)


def row(name: str, seconds: float, baseline_seconds: float, megabytes: float | None, error: str | None,
        measured: str) -> str:
    """One line of the budget table; an over-budget figure is flagged in bold."""
    memory = f"{megabytes:.0f}" if megabytes is not None else "n/a"
    over = [f"over {LIMIT_SECONDS} s"] * (seconds > LIMIT_SECONDS)
    over += [f"over {LIMIT_MEGABYTES} MB"] * (megabytes is not None and megabytes > LIMIT_MEGABYTES)
    verdict = f"FAILED: {error}" if error else ("**NO: " + ", ".join(over) + "**" if over else "yes")
    return f"| {name} | {seconds:.1f} | {seconds / baseline_seconds:.1f} | {memory} | {verdict} | {measured} |"


def table(rows: dict[str, str], note: str) -> str:
    """The section: a header, the rows in notebook order, and a note on how they were measured."""
    header = [
        f"| notebook | wall time (s) | x baseline | peak memory (MB) | within {LIMIT_SECONDS} s and {LIMIT_MEGABYTES} MB "
        "| measured |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    return "\n".join(header + [rows[name] for name in sorted(rows)]) + "\n\n" + note + "\n"


def earlier_rows(benchmarks: Path) -> dict[str, str]:
    """The notebook rows already in docs/benchmarks.md, so measuring one lesson keeps the others' rows."""
    if not benchmarks.exists() or START not in (text := benchmarks.read_text(encoding="utf-8")):
        return {}
    section = text.split(START, 1)[1].split(END, 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| solutions/")]
    return {line.split("|")[1].strip(): line for line in lines}


def write_section(benchmarks: Path, section: str) -> None:
    """Put `section` between the budget markers in docs/benchmarks.md, creating the file or the markers."""
    text = benchmarks.read_text(encoding="utf-8") if benchmarks.exists() else NEW_BENCHMARKS_FILE
    block = f"{START}\n{section}{END}"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    atomic_write_text(benchmarks, text, overwrite=True, mode=0o644)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deepcomposer_edu.course.budget", description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="lesson numbers or names to run (default: all solutions)")
    parser.add_argument("--root", help="the folder holding solutions/ (default: this checkout)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per notebook; the median time is reported")
    parser.add_argument("--write", action="store_true", help="write the table into docs/benchmarks.md")
    args = parser.parse_args(argv)
    root = course_root(args.root)
    notebooks = [
        path for path in sorted((root / "solutions").glob("*.ipynb"))
        if not args.lessons or any(path.name.startswith(lesson) for lesson in args.lessons)
    ]
    core = pin_to_one_core()
    measured = f"{datetime.date.today().isoformat()}, median of {args.repeat}"
    baseline_seconds, baseline_megabytes, _ = _baseline(args.repeat)
    benchmarks = root / "docs" / "benchmarks.md"
    rows = earlier_rows(benchmarks) if args.write else {}
    rows[BASELINE] = row(BASELINE, baseline_seconds, baseline_seconds, baseline_megabytes, None, measured)
    failed_or_over = False
    for path in notebooks:
        seconds, megabytes, error = measure(path, args.repeat)
        rows[f"solutions/{path.name}"] = row(f"solutions/{path.name}", seconds, baseline_seconds, megabytes, error, measured)
        failed_or_over |= bool(error) or seconds > LIMIT_SECONDS or (megabytes or 0) > LIMIT_MEGABYTES
        print(f"{path.name}: {seconds:.1f} s, {megabytes or 0:.0f} MB{' FAILED: ' + error if error else ''}", flush=True)
    note = (
        f"Measured by `python -m deepcomposer_edu.course.budget {' '.join(argv if argv is not None else sys.argv[1:])}` "
        f"on one core (CPU {core} of a {platform.machine()} machine, Python {platform.python_version()}): each "
        "solution with its real defaults (`DEEPCOMPOSER_SMOKE=0`) on a fresh copy; the time runs from starting "
        "the kernel to the end of the last cell; memory is the peak resident memory of the kernel and its "
        "children. The baseline is an empty notebook measured in the same run. Rows keep the date they were "
        "measured: rerun with a lesson's number after changing it. Shared machines make times an upper bound."
    )
    section = table(rows, note)
    print(section)
    if args.write:
        write_section(benchmarks, section)
    return 1 if failed_or_over else 0


if __name__ == "__main__":
    raise SystemExit(main())
