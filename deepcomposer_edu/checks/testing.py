"""Helpers for testing checkers with pytest: every exercise is tested with a right, a wrong and an untouched answer.

    from deepcomposer_edu.checks.testing import assert_accepts, assert_not_attempted, assert_rejects

    def test_exercise_0_1():
        assert_accepts("0.1", lambda song: len(song.notes))
        assert_rejects("0.1", lambda song: len(song.tracks), hint_contains="every track")
        assert_not_attempted("0.1")
"""

from __future__ import annotations

from typing import Any

from .framework import CORRECT, NOT_ATTEMPTED, WRONG, CheckResult, run_check


def untouched_stub(*args: Any, **kwargs: Any) -> Any:
    """What the learner's function does before they write it (the lesson's generated stub)."""
    raise NotImplementedError("your code here: see the TODO above")


def assert_accepts(exercise_id: str, answer: Any) -> CheckResult:
    """Fail unless the checker of `exercise_id` says `answer` is correct."""
    result = run_check(exercise_id, answer)
    assert result.status == CORRECT, f"exercise {exercise_id} should accept this answer, but said:\n{result}"
    return result


def assert_rejects(
    exercise_id: str, answer: Any, hint_contains: str | None = None, message_contains: str | None = None
) -> CheckResult:
    """Fail unless the checker says `answer` is wrong, with a hint (containing `hint_contains` if given)."""
    result = run_check(exercise_id, answer)
    assert result.status == WRONG, f"exercise {exercise_id} should reject this answer, but said:\n{result}"
    assert result.hint, f"exercise {exercise_id} rejected the answer without a hint:\n{result}"
    if hint_contains is not None:
        assert hint_contains.lower() in result.hint.lower(), f"hint should mention {hint_contains!r}:\n{result}"
    if message_contains is not None:
        assert message_contains.lower() in result.message.lower(), f"message should mention {message_contains!r}:\n{result}"
    return result


def assert_not_attempted(exercise_id: str, answer: Any = untouched_stub) -> CheckResult:
    """Fail unless the checker reports the untouched stub as "not attempted yet" (and raises nothing)."""
    result = run_check(exercise_id, answer)
    assert result.status == NOT_ATTEMPTED, f"exercise {exercise_id} should say 'not attempted', but said:\n{result}"
    return result
