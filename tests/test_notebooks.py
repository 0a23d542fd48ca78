"""Every notebook of the course runs top to bottom: solutions/ under strict nbval, lessons/ under lax nbval.

One pytest run cannot mix `--nbval` and `--nbval-lax`, so each notebook runs in its own pytest subprocess
(one test per notebook, so a failure names it). Each runs on a copy in a fresh folder, the way a learner
opens it alone: its `DEEPCOMPOSER_HOME` (a folder beside the notebook) starts empty and nothing is written
into the checkout. `DEEPCOMPOSER_SMOKE=1` keeps training tiny; the budget script
(python -m deepcomposer_edu.course.budget) runs the real defaults.

- strict (solutions): every cell's committed output must match, except cells marked `# NBVAL_IGNORE_OUTPUT`
  (audio, timings, widgets, training logs). Images are not compared.
- lax (lessons): cells must run; cells tagged `raises-exception` (the untouched stubs) must raise.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_TIMEOUT_S = 600


def _notebooks(folder: str) -> list[Path]:
    return sorted((ROOT / folder).glob("*.ipynb"))


def _run_nbval(notebook: Path, mode: str, tmp_path: Path) -> None:
    copy = tmp_path / notebook.name
    shutil.copyfile(notebook, copy)
    env = {**os.environ, "DEEPCOMPOSER_SMOKE": "1", "DEEPCOMPOSER_HOME": str(tmp_path / "deepcomposer_home")}
    env.pop("MPLBACKEND", None)  # the kernel picks the inline backend, as in Jupyter
    command = [
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", mode, "--nbval-current-env",
        "--nbval-cell-timeout=300", str(copy),
    ]
    try:
        run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=NOTEBOOK_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{notebook.relative_to(ROOT)} did not finish in {NOTEBOOK_TIMEOUT_S} s")
    assert run.returncode == 0, f"{notebook.relative_to(ROOT)} failed under {mode}:\n{run.stdout[-6000:]}{run.stderr[-2000:]}"


@pytest.mark.parametrize("notebook", _notebooks("solutions"), ids=lambda path: f"solutions/{path.name}")
def test_solution_runs_and_matches_its_outputs(notebook, tmp_path):
    _run_nbval(notebook, "--nbval", tmp_path)


@pytest.mark.parametrize("notebook", _notebooks("lessons"), ids=lambda path: f"lessons/{path.name}")
def test_lesson_runs_with_its_stubs_untouched(notebook, tmp_path):
    _run_nbval(notebook, "--nbval-lax", tmp_path)


def test_every_solution_is_committed_with_its_outputs():
    """Strict nbval compares outputs: a solution saved without them would compare nothing."""
    import nbformat

    for notebook in _notebooks("solutions"):
        code_cells = [cell for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "code"]
        unexecuted = [index for index, cell in enumerate(code_cells) if cell.source.strip() and cell.execution_count is None]
        assert not unexecuted, f"{notebook.name}: code cells {unexecuted} were never run; run course.execute on it"
