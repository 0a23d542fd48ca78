"""The Binder classroom (binder/): a fresh environment built from its files runs lesson 00 on 1 CPU within 2 GB.

Building a virtual environment takes minutes, so the full test runs as its own CI job, `.ci/binder`
(which sets DEEPCOMPOSER_BINDER_TEST=1); the quick checks of the files run with every test command.

How the classroom limits are imitated here:
- 1 CPU: the notebook runner and its kernel are pinned to one core (`taskset -c 0`).
- 2 GB: Binder's limit is on the container's total resident memory. We measure exactly that (resident
  memory of the kernel and its children, sampled, plus the kernel's high-water mark) and assert it stays
  under 2 GB. As a hard stop we also cap each process's address space at 2 GiB (`prlimit --as`). That cap
  is stricter than Binder's: torch and its OpenMP/BLAS libraries reserve address space they never touch,
  so a lesson that trains a model may need a looser cap while its resident memory stays well under 2 GB;
  the resident-memory assertion is the one that matches the classroom.
- offline: Binder fetches CPU torch from the extra index in requirements.txt; this machine has no internet,
  so that line is left out and pip takes the same torch==2.13.0 CPU build from its configured local source.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
CLASSROOM_MEMORY_BYTES = 2 * 10**9
ADDRESS_SPACE_CAP = 2 * 2**30


def _requirements() -> list[str]:
    return [line.strip() for line in (BINDER / "requirements.txt").read_text().splitlines() if line.strip()]


def test_binder_installs_cpu_torch_and_the_package_and_opens_lesson_00():
    lines = _requirements()
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in lines
    assert "torch==2.13.0" in lines
    assert "-e .[lessons]" in lines
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"
    assert {"fluidsynth", "timgm6mb-soundfont"} <= set((BINDER / "apt.txt").read_text().split())
    assert os.access(BINDER / "postBuild", os.X_OK)
    readme = (ROOT / "README.md").read_text()
    assert "mybinder.org/v2/" in readme and "urlpath=lab/tree/lessons/00_welcome.ipynb" in readme
    assert (ROOT / "lessons" / "00_welcome.ipynb").exists()


RUN_LESSON = """
import json, shutil, sys
from jupyter_client.kernelspec import KernelSpecManager
from deepcomposer_edu.course.execute import run_notebook
kernel_python = shutil.which(KernelSpecManager().get_kernel_spec("python3").argv[0])
run = run_notebook(sys.argv[1])
print(json.dumps({"kernel_python": kernel_python, "error": run.error, "seconds": run.wall_seconds,
                  "peak_bytes": run.peak_memory_bytes}))
"""


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("DEEPCOMPOSER_BINDER_TEST"), reason="slow: runs as its own CI job, .ci/binder")
def test_a_fresh_binder_environment_runs_lesson_00_on_one_core_within_2_gb(tmp_path):
    if shutil.which("apt-cache"):
        for package in (BINDER / "apt.txt").read_text().split():
            known = subprocess.run(["apt-cache", "show", package], capture_output=True)
            assert known.returncode == 0, f"binder/apt.txt: {package} is not a Debian package"
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    offline = tmp_path / "requirements.txt"
    offline.write_text("\n".join(line for line in _requirements() if not line.startswith("--")) + "\n")
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": str(venv)}
    env.pop("PYTHONPATH", None)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "-r", str(offline)], cwd=ROOT, env=env, check=True, timeout=1200)
    subprocess.run(["bash", str(BINDER / "postBuild")], cwd=ROOT, env=env, check=True, timeout=300)

    command = ["prlimit", f"--as={ADDRESS_SPACE_CAP}", "taskset", "-c", "0", python, "-c", RUN_LESSON,
               str(ROOT / "lessons" / "00_welcome.ipynb")]
    finished = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr[-4000:]
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    assert Path(result["kernel_python"]).parent == venv / "bin", result["kernel_python"]  # the venv's, not ours
    assert result["error"] is None, result["error"]
    assert result["peak_bytes"] < CLASSROOM_MEMORY_BYTES, f"lesson 00 peaked at {result['peak_bytes'] / 1e6:.0f} MB"
    print(f"\nlesson 00 in a fresh Binder environment on one core: {result['seconds']:.1f} s, "
          f"peak {result['peak_bytes'] / 1e6:.0f} MB")
