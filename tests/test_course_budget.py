"""Running notebooks for the budget (deepcomposer_edu/course/execute.py, budget.py): measured, flagged, written."""

import nbformat

from deepcomposer_edu.course.budget import END, START, earlier_rows, row, table, write_section
from deepcomposer_edu.course.execute import run_notebook


def _notebook(tmp_path, *sources):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    path = tmp_path / "solutions" / "01_probe.ipynb"
    path.parent.mkdir(exist_ok=True)
    nbformat.write(notebook, path)
    return path


def test_a_run_sees_the_kernels_memory_and_runs_in_a_fresh_folder(tmp_path):
    path = _notebook(
        tmp_path,
        "import os, numpy as np\nheld = np.ones(250_000_000 // 8)",  # 250 MB held by the kernel
        "print(os.environ['DEEPCOMPOSER_SMOKE'], os.path.exists('01_probe.ipynb'), os.getcwd() != %r)"
        % str(tmp_path / "solutions"),
    )
    run = run_notebook(path)
    assert run.error is None
    assert run.peak_memory_bytes >= 250_000_000
    assert run.notebook.cells[1].outputs[0]["text"] == "0 True True\n"  # real defaults; a copy elsewhere
    assert not (path.parent / "deepcomposer_home").exists()


def test_a_failing_cell_is_reported_with_its_error_line(tmp_path):
    run = run_notebook(_notebook(tmp_path, "x = 1", "raise ValueError('tempo 0 is not a tempo')"), smoke=True)
    assert "ValueError: tempo 0 is not a tempo" in run.error
    assert run.wall_seconds > 0


def test_rows_flag_what_is_over_budget_or_failed():
    assert row("fast", 10.0, 2.0, 300.0, None, "today") == "| fast | 10.0 | 5.0 | 300 | yes | today |"
    assert "**NO: over 180 s**" in row("slow", 200.0, 2.0, 300.0, None, "today")
    assert "**NO: over 1500 MB**" in row("big", 10.0, 2.0, 1600.0, None, "today")
    assert row("broken", 5.0, 2.0, None, "ValueError: x", "today").endswith("| n/a | FAILED: ValueError: x | today |")


def test_measuring_one_lesson_keeps_the_rows_of_the_others(tmp_path):
    benchmarks = tmp_path / "benchmarks.md"
    first = {"solutions/00_a.ipynb": "| solutions/00_a.ipynb | 1 |", "solutions/03_b.ipynb": "| solutions/03_b.ipynb | 2 |"}
    write_section(benchmarks, table(first, "note"))
    rows = earlier_rows(benchmarks)
    assert rows == first
    rows["solutions/03_b.ipynb"] = "| solutions/03_b.ipynb | 9 |"
    write_section(benchmarks, table(rows, "note"))
    text = benchmarks.read_text()
    assert "| solutions/00_a.ipynb | 1 |" in text and "| solutions/03_b.ipynb | 9 |" in text
    assert "| solutions/03_b.ipynb | 2 |" not in text


def test_the_section_is_replaced_and_the_rest_of_the_file_kept(tmp_path):
    benchmarks = tmp_path / "docs" / "benchmarks.md"
    write_section(benchmarks, "first table\n")
    assert START + "\nfirst table\n" + END in benchmarks.read_text()
    benchmarks.write_text(benchmarks.read_text() + "\n## GAN training\n\nsomeone else's figures\n")
    write_section(benchmarks, "second table\n")
    text = benchmarks.read_text()
    assert "first table" not in text and "second table" in text
    assert text.endswith("## GAN training\n\nsomeone else's figures\n")
    assert text.count(START) == 1
