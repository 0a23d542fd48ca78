"""Exercise checkers for the lessons: `from deepcomposer_edu.checks import check`, then `check.exercise_0_1(answer)`.

The framework (registry, results, what a learner sees) is in `framework.py`; each lesson's checkers are in
`lessonNN.py`, imported the first time one of its exercises is checked; `testing.py` helps test checkers.
Lesson 00 (lessons/00_welcome.ipynb) runs the first check.
"""

from .framework import CORRECT, NOT_ATTEMPTED, WRONG, CheckResult, Wrong, check, exercise, run_check

__all__ = ["CORRECT", "NOT_ATTEMPTED", "WRONG", "CheckResult", "Wrong", "check", "exercise", "run_check"]
