"""Lessons generated from solutions (deepcomposer_edu/course/sync.py), and the real course kept in step."""

import json
import subprocess
import sys
import textwrap

import nbformat
import pytest

from deepcomposer_edu.course.sync import CourseSyncError, lesson_from_solution, main, stale_lessons, stub_out, sync

FUNCTION_EXERCISE = textwrap.dedent(
    """\
    def count_notes(song):
        \"\"\"How many notes the song has, across all tracks.\"\"\"
        ### BEGIN SOLUTION: count the notes of every track
        notes = song.notes
        return len(notes)
        ### END SOLUTION"""
)


def test_a_solution_block_becomes_a_todo_and_a_stub_at_its_indentation():
    source, top_level = stub_out(FUNCTION_EXERCISE)
    assert source == textwrap.dedent(
        """\
        def count_notes(song):
            \"\"\"How many notes the song has, across all tracks.\"\"\"
            # TODO: count the notes of every track
            raise NotImplementedError('your code here: see the TODO above')"""
    )
    assert not top_level
    namespace = {}
    exec(source, namespace)  # the lesson cell itself runs; only calling the function raises
    with pytest.raises(NotImplementedError):
        namespace["count_notes"](None)


def test_a_top_level_block_without_hint_is_flagged_and_code_around_it_kept():
    source, top_level = stub_out("tempo = 90\n### BEGIN SOLUTION\nbars = 8\n### END SOLUTION\nprint(tempo, bars)")
    assert source == (
        "tempo = 90\n# TODO: your code here\nraise NotImplementedError('your code here: see the TODO above')\n"
        "print(tempo, bars)"
    )
    assert top_level


def test_two_blocks_in_one_cell_and_tabs():
    source, _ = stub_out("def a():\n\t### BEGIN SOLUTION - one\n\treturn 1\n\t### END SOLUTION\n"
                         "def b():\n    ### BEGIN SOLUTION\n    return 2\n    ### END SOLUTION")
    lines = source.splitlines()
    assert lines[1] == "\t# TODO: one" and lines[2].startswith("\traise NotImplementedError(")
    assert lines[4] == "    # TODO: your code here"


@pytest.mark.parametrize(
    "source, problem",
    [
        ("### BEGIN SOLUTION\nx = 1", "without ### END"),
        ("x = 1\n### END SOLUTION", "without ### BEGIN"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "inside another"),
    ],
)
def test_unmatched_markers_are_refused_with_the_cell_named(source, problem):
    with pytest.raises(CourseSyncError, match=f"solutions/x.ipynb cell 3.*{problem}"):
        stub_out(source, where="solutions/x.ipynb cell 3")


def _solution_notebook():
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                         "language_info": {"name": "python", "version": "3.11.7"}}
    intro = nbformat.v4.new_markdown_cell("# Lesson 98\nYou will count notes.")
    exercise = nbformat.v4.new_code_cell(FUNCTION_EXERCISE, execution_count=2)
    exercise.metadata = {"execution": {"iopub.execute_input": "2025-01-01T00:00:00"}}
    uses = nbformat.v4.new_code_cell("count_notes(song)", execution_count=3,
                                     outputs=[nbformat.v4.new_output("execute_result", {"text/plain": "3"}, execution_count=3)])
    uses.metadata = {"tags": ["uses-exercise", "keep-me"]}
    top = nbformat.v4.new_code_cell("### BEGIN SOLUTION\nanswer = 3\n### END SOLUTION")
    checked = nbformat.v4.new_code_cell("check.exercise_98_1(count_notes)")
    notebook.cells = [intro, exercise, uses, top, checked]
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"c{index}"
    return notebook


def test_the_lesson_has_stubs_no_outputs_and_the_raising_cells_tagged():
    lesson = lesson_from_solution(_solution_notebook(), "98_count.ipynb")
    intro, exercise, uses, top, checked = lesson.cells
    assert intro.source.startswith("# Lesson 98") and intro.cell_type == "markdown"
    assert "raise NotImplementedError" in exercise.source and "len(notes)" not in exercise.source
    assert all(cell.outputs == [] and cell.execution_count is None for cell in lesson.cells if cell.cell_type == "code")
    assert exercise.metadata == {}  # execution timings dropped: they change on every run
    assert "tags" not in checked.metadata  # a check cell never raises: "not attempted yet" instead
    assert uses.metadata["tags"] == ["keep-me", "raises-exception"]
    assert top.metadata["tags"] == ["raises-exception"]
    assert [cell.id for cell in lesson.cells] == ["c0", "c1", "c2", "c3", "c4"]
    assert lesson.metadata["language_info"] == {"name": "python"}
    nbformat.validate(lesson)


def _course(tmp_path, solution=None):
    (tmp_path / "solutions").mkdir()
    (tmp_path / "lessons").mkdir()
    nbformat.write(solution or _solution_notebook(), tmp_path / "solutions" / "98_count.ipynb")
    return tmp_path


def test_sync_writes_stable_text_and_then_has_nothing_to_do(tmp_path):
    root = _course(tmp_path)
    assert [path.name for path in sync(root)] == ["98_count.ipynb"]
    text = (root / "lessons" / "98_count.ipynb").read_text()
    assert json.loads(text)["cells"][1]["source"][2].strip() == "# TODO: count the notes of every track"
    assert sync(root) == []
    assert stale_lessons(root) == []


def test_check_fails_on_a_stale_lesson_and_names_it(tmp_path, capsys):
    root = _course(tmp_path)
    assert main(["--root", str(root)]) == 0
    assert main(["--check", "--root", str(root)]) == 0
    solution = nbformat.read(root / "solutions" / "98_count.ipynb", as_version=4)
    solution.cells[0].source = "# Lesson 98, revised"
    nbformat.write(solution, root / "solutions" / "98_count.ipynb")
    capsys.readouterr()
    assert main(["--check", "--root", str(root)]) == 1
    assert "lessons/98_count.ipynb: stale" in capsys.readouterr().err
    assert main(["--root", str(root)]) == 0
    assert main(["--check", "--root", str(root)]) == 0


def test_sync_can_be_limited_to_some_lessons(tmp_path):
    root = _course(tmp_path)
    nbformat.write(_solution_notebook(), root / "solutions" / "97_other.ipynb")
    assert [path.name for path in sync(root, only=["97"])] == ["97_other.ipynb"]
    assert main(["--check", "--root", str(root), "97"]) == 0
    assert main(["--check", "--root", str(root), "98"]) == 1
    assert (root / "lessons" / "97_other.ipynb").stat().st_mode & 0o777 == 0o644  # readable like any source file


def test_check_reports_missing_and_orphaned_lessons(tmp_path):
    root = _course(tmp_path)
    (root / "lessons" / "97_old.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()))
    problems = stale_lessons(root)
    assert problems[0].startswith("lessons/98_count.ipynb: missing")
    assert problems[1].startswith("lessons/97_old.ipynb: has no solution")


def test_re_executing_a_solution_does_not_make_its_lesson_stale(tmp_path):
    root = _course(tmp_path)
    sync(root)
    solution = nbformat.read(root / "solutions" / "98_count.ipynb", as_version=4)
    solution.cells[1].execution_count = 7
    solution.cells[1].metadata["execution"] = {"shell.execute_reply": "2030-01-01T00:00:00"}
    solution.metadata["language_info"]["version"] = "3.12.1"
    nbformat.write(solution, root / "solutions" / "98_count.ipynb")
    assert stale_lessons(root) == []


def test_command_line_exit_codes(tmp_path):
    root = _course(tmp_path)
    command = [sys.executable, "-m", "deepcomposer_edu.course.sync", "--check", "--root", str(root)]
    missing = subprocess.run(command, capture_output=True, text=True)
    assert missing.returncode == 1 and "98_count.ipynb: missing" in missing.stderr
    nowhere = subprocess.run(command[:-1] + [str(tmp_path / "nowhere")], capture_output=True, text=True)
    assert nowhere.returncode == 2 and "no solutions/ folder" in nowhere.stderr
    assert "Traceback" not in nowhere.stderr


def test_the_course_in_this_checkout_is_in_step():
    """CI fails here when someone edits a solution (or a lesson by hand) without running the sync."""
    assert stale_lessons() == [], "run: python -m deepcomposer_edu.course.sync"
