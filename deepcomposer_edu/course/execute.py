"""Run a notebook the way a learner would, alone in a fresh folder, and measure its time and peak memory.

    python -m deepcomposer_edu.course.execute solutions/00_welcome.ipynb   # refresh its committed outputs

The notebook runs on a copy in a temporary folder (so its `DEEPCOMPOSER_HOME`, a folder beside it, starts
empty and nothing is written into the checkout). The kernel's memory is the resident memory of the kernel
process and everything it starts (sampled every 0.2 s), and at least the kernel's own high-water mark
(`VmHWM` in /proc), so short peaks between samples are not missed. Used by `budget.py`; authors use the
command above after editing a solution, then run `python -m deepcomposer_edu.course.sync`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from ..files import atomic_write_text

SAMPLE_EVERY_S = 0.2
# Outputs nbval does not compare (cells marked NBVAL_IGNORE_OUTPUT) are dropped from a saved solution when
# this large: an audio player embeds its whole WAV file, megabytes that would only bloat the repository.
LARGEST_IGNORED_OUTPUT_BYTES = 50_000


@dataclass
class NotebookRun:
    """One run of a notebook: the executed notebook, seconds from kernel start to last cell, peak memory."""

    notebook: nbformat.NotebookNode
    wall_seconds: float
    peak_memory_bytes: int | None  # None where /proc is not available (not Linux)
    error: str | None = None  # the first line of the failing cell's error, if one failed


def run_notebook(path: str | Path, smoke: bool = False, timeout_s: float = 600) -> NotebookRun:
    """Execute a copy of the notebook at `path` in a fresh folder; `smoke` sets DEEPCOMPOSER_SMOKE=1."""
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    env = {key: value for key, value in os.environ.items() if key not in ("DEEPCOMPOSER_HOME", "MPLBACKEND")}
    env["DEEPCOMPOSER_SMOKE"] = "1" if smoke else "0"
    with tempfile.TemporaryDirectory(prefix="deepcomposer-notebook-") as folder:
        shutil.copyfile(path, Path(folder) / path.name)
        monitor = _MemoryMonitor()
        client = NotebookClient(
            notebook, timeout=timeout_s, kernel_name="python3", record_timing=False,
            resources={"metadata": {"path": folder}},
            on_notebook_start=lambda notebook: monitor.watch(client.km.provisioner.pid),
        )
        started, error = time.perf_counter(), None
        try:
            client.execute(env=env)
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as failure:
            error = _first_error_line(failure)
        finally:
            wall_seconds = time.perf_counter() - started
            monitor.stop()
    return NotebookRun(notebook, wall_seconds, monitor.peak_bytes, error)


def without_large_ignored_outputs(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with the large outputs of `# NBVAL_IGNORE_OUTPUT` cells removed (see the constant above)."""
    for cell in notebook.cells:
        if cell.cell_type == "code" and "NBVAL_IGNORE_OUTPUT" in cell.source:
            cell.outputs = [output for output in cell.outputs if len(json.dumps(output)) <= LARGEST_IGNORED_OUTPUT_BYTES]
    return notebook


def _first_error_line(failure: Exception) -> str:
    if getattr(failure, "ename", None):
        return f"{failure.ename}: {(str(failure.evalue).splitlines() or [''])[0]}"
    return (str(failure).strip().splitlines() or [type(failure).__name__])[0]


class _MemoryMonitor:
    """Samples the resident memory of a process and its descendants in a background thread."""

    def __init__(self):
        self.peak_bytes: int | None = None
        self._pid: int | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def watch(self, pid: int) -> None:
        self._pid = pid
        if Path(f"/proc/{pid}/status").exists():
            self.peak_bytes = 0
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()

    def _sample(self) -> None:
        while True:
            total = sum(_status_kib(pid, "VmRSS") for pid in _process_tree(self._pid)) * 1024
            high_water = _status_kib(self._pid, "VmHWM") * 1024
            self.peak_bytes = max(self.peak_bytes or 0, total, high_water)
            if self._stopping.wait(SAMPLE_EVERY_S):
                return


def _process_tree(pid: int) -> list[int]:
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                pending += [int(child) for child in task.read_text().split()]
            except OSError:  # the process ended while we looked
                pass
    return tree


def _status_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deepcomposer_edu.course.execute",
        description="Run solution notebooks in a fresh folder and save their outputs back (for strict nbval).",
    )
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--smoke", action="store_true", help="run with DEEPCOMPOSER_SMOKE=1 (tiny training)")
    args = parser.parse_args(argv)
    failed = 0
    for path in args.notebooks:
        run = run_notebook(path, smoke=args.smoke)
        memory = f"{run.peak_memory_bytes / 2**20:.0f} MiB" if run.peak_memory_bytes else "n/a"
        if run.error:
            failed += 1
            print(f"{path}: FAILED after {run.wall_seconds:.1f} s: {run.error} (outputs not saved)")
            continue
        atomic_write_text(path, nbformat.writes(without_large_ignored_outputs(run.notebook)) + "\n", overwrite=True, mode=0o644)
        print(f"{path}: saved outputs ({run.wall_seconds:.1f} s, peak memory {memory})")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
