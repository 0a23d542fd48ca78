"""How an exercise is checked: a registry of checkers, and the result a learner sees.

Each lesson's checkers live in `checks/lessonNN.py`, one function per exercise:

    @exercise("0.1")
    def count_notes(answer):
        if answer(tiny_song) != 3:
            raise Wrong("a song with three notes gave ...", hint="len(song.notes) counts every track")
        return "your function counts the notes of every track"

In the notebook, `check.exercise_0_1(count_notes)` runs that checker on the learner's function and shows
one of three results: correct, wrong (what is wrong, and a hint), or not attempted yet (the learner's stub
still raises `NotImplementedError`). No exception ever escapes a check cell: a crash in the learner's code is
reported as wrong, with its one-line message. Lesson 00 (lessons/00_welcome.ipynb) has the first check.
"""

from __future__ import annotations

import html
import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from typing import Any, Callable

CORRECT, WRONG, NOT_ATTEMPTED = "correct", "wrong", "not attempted"

_EXERCISE_ID = re.compile(r"^(\d+)\.(\d+)$")
_ATTRIBUTE = re.compile(r"^exercise_(\d+)_(\d+)$")
_CHECKERS: dict[str, Callable[[Any], str | None]] = {}


class Wrong(Exception):
    """Raised by a checker: `message` says what is wrong, `hint` how to get closer."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass
class CheckResult:
    """What a check says: `status` is "correct", "wrong" or "not attempted"; `message` and `hint` explain."""

    exercise: str
    status: str
    message: str
    hint: str | None = None
    _shown_in_cell: int | None = field(default=None, repr=False, compare=False)

    @property
    def passed(self) -> bool:
        return self.status == CORRECT

    @property
    def headline(self) -> str:
        verdict = {CORRECT: "correct", WRONG: "not right yet", NOT_ATTEMPTED: "not attempted yet"}[self.status]
        return f"Exercise {self.exercise}: {verdict}."

    def __str__(self) -> str:
        text = f"{self.headline} {self.message}"
        if self.hint:
            text += f"\nHint: {self.hint}"
        return text

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = {CORRECT: "#2e7d32", WRONG: "#c62828", NOT_ATTEMPTED: "#6d6d6d"}[self.status]
        body = html.escape(self.message)
        if self.hint:
            body += f"<br>Hint: {html.escape(self.hint)}"
        return (
            f'<div style="border-left: 4px solid {colour}; padding: 4px 10px">'
            f'<b style="color: {colour}">{html.escape(self.headline)}</b> {body}</div>'
        )

    def _ipython_display_(self) -> None:
        # The check call displays its result at once (so `result = check...` mid-cell still shows it);
        # when the same result is also the cell's last value, IPython would show it a second time.
        from IPython import get_ipython
        from IPython.display import publish_display_data

        cell = getattr(get_ipython(), "execution_count", None)
        if cell is not None and cell == self._shown_in_cell:
            return
        self._shown_in_cell = cell
        publish_display_data({"text/plain": str(self), "text/html": self._repr_html_()})


def exercise(exercise_id: str) -> Callable:
    """Register the decorated function as the checker of exercise `exercise_id` ("lesson.number", e.g. "3.2")."""
    if not _EXERCISE_ID.match(exercise_id):
        raise ValueError(f"exercise id {exercise_id!r} should look like '3.2' (lesson.number)")

    def register(checker: Callable[[Any], str | None]) -> Callable[[Any], str | None]:
        if exercise_id in _CHECKERS and _CHECKERS[exercise_id] is not checker:
            raise ValueError(f"exercise {exercise_id} already has a checker: {_CHECKERS[exercise_id].__qualname__}")
        _CHECKERS[exercise_id] = checker
        return checker

    return register


def run_check(exercise_id: str, answer: Any) -> CheckResult:
    """Run the checker of `exercise_id` on `answer` and say how it went (never raises for the learner's errors)."""
    checker = find_checker(exercise_id)
    try:
        message = checker(answer)
    except Wrong as wrong:
        return CheckResult(exercise_id, WRONG, wrong.message, wrong.hint)
    except NotImplementedError:
        return CheckResult(
            exercise_id,
            NOT_ATTEMPTED,
            "Replace the `raise NotImplementedError` in the exercise cell with your code, "
            "run that cell, then run this check again.",
        )
    except Exception as error:  # the learner's code crashed: that is an answer too
        first_line = (str(error).strip().splitlines() or [""])[0]
        raised = f"your code raised {type(error).__name__}" + (f": {first_line}" if first_line else "")
        return CheckResult(
            exercise_id,
            WRONG,
            raised,
            "call your function yourself in a new cell to see the whole error message",
        )
    return CheckResult(exercise_id, CORRECT, message or "well done.")


def find_checker(exercise_id: str) -> Callable[[Any], str | None]:
    """The checker registered for `exercise_id`, importing `checks/lessonNN.py` on first use."""
    match = _EXERCISE_ID.match(exercise_id)
    if not match:
        raise ValueError(f"exercise id {exercise_id!r} should look like '3.2' (lesson.number)")
    if exercise_id not in _CHECKERS:
        _import_lesson(int(match.group(1)))
    if exercise_id not in _CHECKERS:
        lesson = int(match.group(1))
        known = ", ".join(sorted(i for i in _CHECKERS if i.split(".")[0] == str(lesson))) or "none"
        raise AttributeError(
            f"there is no check for exercise {exercise_id} (lesson {lesson:02d} has: {known}); "
            "check the exercise number in the cell above"
        )
    return _CHECKERS[exercise_id]


def _import_lesson(lesson: int) -> None:
    try:
        importlib.import_module(f"{__package__}.lesson{lesson:02d}")
    except ModuleNotFoundError as error:
        if error.name != f"{__package__}.lesson{lesson:02d}":
            raise


def _show(result: CheckResult) -> None:
    try:
        from IPython import get_ipython
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        result._ipython_display_()
    else:
        print(result)


class Checks:
    """`check.exercise_3_2(answer)`: check exercise 3.2, show the result, and return it as a `CheckResult`."""

    def __getattr__(self, name: str) -> Callable[[Any], CheckResult]:
        match = _ATTRIBUTE.match(name)
        if not match:
            raise AttributeError(f"check.{name}: checks are named like check.exercise_3_2 (lesson 3, exercise 2)")
        exercise_id = f"{int(match.group(1))}.{int(match.group(2))}"
        find_checker(exercise_id)  # an unknown exercise fails here, as an AttributeError

        def check_exercise(answer: Any) -> CheckResult:
            result = run_check(exercise_id, answer)
            _show(result)
            return result

        check_exercise.__name__ = name
        check_exercise.__doc__ = f"Check your answer to exercise {exercise_id}."
        return check_exercise

    def __dir__(self) -> list[str]:
        for module in pkgutil.iter_modules(importlib.import_module(__package__).__path__):
            if re.fullmatch(r"lesson\d+", module.name):
                _import_lesson(int(module.name[len("lesson"):]))
        return sorted("exercise_" + exercise_id.replace(".", "_") for exercise_id in _CHECKERS)


check = Checks()
