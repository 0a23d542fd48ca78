"""The exercise-checking framework (deepcomposer_edu/checks/): results, lazy lesson lookup, display, test helpers."""

import textwrap

import nbformat
import pytest
from nbclient import NotebookClient

import deepcomposer_edu.checks as checks_package
from deepcomposer_edu.checks import CORRECT, NOT_ATTEMPTED, WRONG, Wrong, check, exercise, run_check
from deepcomposer_edu.checks.framework import CheckResult
from deepcomposer_edu.checks.testing import assert_accepts, assert_not_attempted, assert_rejects


@exercise("97.1")
def _doubles(answer):
    """A checker written the way lessons write them: call the answer, compare with a hand-worked value."""
    got = answer(21)
    if got != 42:
        raise Wrong(f"double(21) gave {got!r}, expected 42", hint="multiply by 2")
    return "double(21) is 42"


def test_a_right_answer_is_correct_with_the_checkers_message():
    result = run_check("97.1", lambda x: 2 * x)
    assert result.status == CORRECT and result.passed
    assert result.message == "double(21) is 42"


def test_a_wrong_answer_says_what_is_wrong_and_hints():
    result = run_check("97.1", lambda x: x + 2)
    assert result.status == WRONG and not result.passed
    assert "gave 23" in result.message
    assert result.hint == "multiply by 2"


def test_the_untouched_stub_is_not_attempted_and_nothing_escapes():
    def stub(x):
        raise NotImplementedError("your code here")

    result = run_check("97.1", stub)
    assert result.status == NOT_ATTEMPTED
    assert "NotImplementedError" in result.message


def test_a_crash_in_the_learners_code_is_wrong_with_its_first_line():
    def crashes(x):
        raise ValueError("pitch 200 is too high\nsecond line")

    result = run_check("97.1", crashes)
    assert result.status == WRONG
    assert result.message.startswith("your code raised ValueError: pitch 200 is too high")
    assert "second line" not in result.message
    assert result.hint


def test_an_answer_that_is_not_even_callable_is_wrong_not_a_crash():
    result = run_check("97.1", 42)
    assert result.status == WRONG
    assert "TypeError" in result.message


def test_results_read_well_as_text_and_html():
    wrong = CheckResult("3.2", WRONG, "4 < 5", hint="use <b>")
    text = repr(wrong)
    assert text.startswith("Exercise 3.2: not right yet. 4 < 5")
    assert text.endswith("Hint: use <b>")
    page = wrong._repr_html_()
    assert "4 &lt; 5" in page and "use &lt;b&gt;" in page and "<b style" in page  # learner text escaped
    assert str(CheckResult("3.2", NOT_ATTEMPTED, "x")).startswith("Exercise 3.2: not attempted yet.")


def test_check_attribute_runs_and_prints_outside_a_notebook(capsys):
    result = check.exercise_97_1(lambda x: x * 2)
    assert result.status == CORRECT
    assert capsys.readouterr().out.strip() == "Exercise 97.1: correct. double(21) is 42"


def test_unknown_exercises_are_attribute_errors_that_say_what_exists():
    with pytest.raises(AttributeError, match=r"exercise 97\.9 .*97\.1"):
        check.exercise_97_9
    with pytest.raises(AttributeError, match="exercise_3_2"):
        check.lesson_three
    assert not hasattr(check, "exercise_96_1")  # no checks/lesson96.py at all


def test_checker_modules_are_imported_on_first_use(tmp_path, monkeypatch):
    (tmp_path / "lesson95.py").write_text(
        textwrap.dedent(
            """
            from deepcomposer_edu.checks.framework import Wrong, exercise

            @exercise("95.2")
            def is_sorted(answer):
                if answer([3, 1, 2]) != [1, 2, 3]:
                    raise Wrong("[3, 1, 2] was not sorted", hint="sorted(...)")
                return "sorted"
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(checks_package, "__path__", [*checks_package.__path__, str(tmp_path)])
    assert "exercise_95_2" in dir(check)
    assert check.exercise_95_2(sorted).passed
    assert not check.exercise_95_2(list).passed


def test_exercise_ids_and_duplicates_are_refused():
    with pytest.raises(ValueError, match="lesson.number"):
        exercise("3-2")
    with pytest.raises(ValueError, match="already has a checker"):
        exercise("97.1")(lambda answer: None)


def test_testing_helpers_pass_and_fail_for_the_right_reasons():
    assert_accepts("97.1", lambda x: 2 * x)
    assert_rejects("97.1", lambda x: x, hint_contains="multiply", message_contains="gave 21")
    assert_not_attempted("97.1")
    with pytest.raises(AssertionError, match="should accept"):
        assert_accepts("97.1", lambda x: x)
    with pytest.raises(AssertionError, match="should reject"):
        assert_rejects("97.1", lambda x: 2 * x)
    with pytest.raises(AssertionError, match="hint should mention"):
        assert_rejects("97.1", lambda x: x, hint_contains="divide")
    with pytest.raises(AssertionError, match="not attempted"):
        assert_not_attempted("97.1", lambda x: 2 * x)


def test_in_a_notebook_a_check_shows_once_and_never_raises():
    notebook = nbformat.v4.new_notebook()
    setup = textwrap.dedent(
        """
        from deepcomposer_edu.checks import Wrong, check, exercise

        @exercise("94.1")
        def doubles(answer):
            if answer(21) != 42:
                raise Wrong("double(21) should be 42", hint="multiply by 2")
        """
    )
    notebook.cells = [
        nbformat.v4.new_code_cell(setup),
        nbformat.v4.new_code_cell("def double(x):\n    raise NotImplementedError\n\ncheck.exercise_94_1(double)"),
        nbformat.v4.new_code_cell("result = check.exercise_94_1(lambda x: 2 * x)\nresult"),
        nbformat.v4.new_code_cell("result"),
    ]
    NotebookClient(notebook, timeout=60, kernel_name="python3").execute()
    stub_cell, right_cell, later_cell = notebook.cells[1:]

    def shown(cell):
        return [output["data"]["text/plain"] for output in cell.outputs if "data" in output]

    assert all(output["output_type"] != "error" for cell in notebook.cells for output in cell.outputs)
    assert shown(stub_cell) == [str(CheckResult("94.1", NOT_ATTEMPTED, run_check("97.1", _stub).message))]
    assert shown(right_cell) == ["Exercise 94.1: correct. well done."]
    assert "text/html" in right_cell.outputs[0]["data"]
    assert shown(later_cell) == ["Exercise 94.1: correct. well done."]  # shown again when asked for again


def _stub(x):
    raise NotImplementedError
