"""Checkers for lesson 07, style transfer (lessons/07_style_transfer.ipynb).

7.1 `onset_steps(melody, bar_length)`: where each note of a `Melody` starts inside its bar, in sixteenth-note
    steps (0 = on the bar line); the lesson draws it for a jig and a chorale, a feature the style classifier
    reads (`transfer/classify.py`).
7.2 `transfer_strength(melodies, style, judge)`: the share (0..1) of melodies that the judge names `style`;
    how issue 11 measures style transfer (`scripts/evaluate_style_transfer.py`).

Every expected value below is worked out by hand in the comment beside it, not by calling the package.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..transfer.melody import Melody
from .framework import Wrong, exercise


def melody(*onsets: float) -> Melody:
    """A melody of quarter notes (all on C5) starting at `onsets`, in beats from its first bar line."""
    onsets_array = np.array(onsets, dtype=np.float64)
    return Melody(np.full(len(onsets), 72, dtype=np.int64), onsets_array, np.full(len(onsets), 0.25))


def _as_whole_numbers(got) -> list | None:
    """`got` as a list, if it is a list, tuple or 1-D array of whole numbers; otherwise None."""
    if isinstance(got, np.ndarray) and got.ndim == 1:
        got = got.tolist()
    if not isinstance(got, (list, tuple)):
        return None
    if not all(isinstance(value, numbers.Integral) and not isinstance(value, bool) for value in got):
        return None
    return [int(value) for value in got]


@exercise("7.1")
def check_onset_steps(onset_steps) -> str:
    cases = [  # (melody, bar length in beats, steps, what it tests)
        (melody(0, 1, 2.5, 4, 5.75), 4.0, [0, 4, 10, 0, 7],
         "in 4/4 (16 steps a bar), onsets 0, 1, 2.5 | 4, 5.75 are steps 0, 4, 10 | 0, 7"),
        (melody(0, 1.5, 3, 4.5, 5.5), 3.0, [0, 6, 0, 6, 10],
         "in 6/8 a bar is 3 beats (12 steps): onsets 0, 1.5 | 3, 4.5, 5.5 are steps 0, 6 | 0, 6, 10"),
        (melody(0, 0.3333333, 0.6666667), 4.0, [0, 1, 3],
         "a triplet at 0, 1/3, 2/3 of a beat is nearest to steps 0, 1 (1.33) and 3 (2.67)"),
        (melody(0, 3.9999999, 6), 4.0, [0, 0, 8],
         "an onset at 3.9999999 (a bar line, written with a rounding error) is step 0 of the next bar; 6 is step 8"),
        (melody(), 4.0, [], "a melody without notes has no onsets"),
    ]
    for notes, bar_length, expected, why in cases:
        returned = onset_steps(notes, bar_length)
        got = _as_whole_numbers(returned)
        if got is None:
            raise Wrong(f"onset_steps returned {returned!r}, not a list of whole numbers",
                        hint="a step is a whole number: int(round(...)) for each note, collected in a list")
        if got == expected:
            continue
        if bar_length == 3.0 and got == [0, 6, 12, 2, 6]:
            hint = "a bar lasts bar_length beats (3 in 6/8), not always 4: use the argument"
        elif expected == [0, 1, 3] and got == [0, 1, 2]:
            hint = "int() cuts 2.67 down to 2: round() to the nearest step instead"
        elif expected == [0, 0, 8] and got and got[1] == 16:
            hint = ("round to the grid first (steps from the melody's start), then take the remainder by the "
                    "bar's steps: round(onset * 4) % round(bar_length * 4)")
        elif got and max(got) >= round(bar_length * 4):
            hint = "each bar starts again at step 0: take the remainder (%) by the steps in a bar"
        else:
            hint = "a beat has 4 sixteenth steps: step = round(onset * 4) % round(bar_length * 4)"
        raise Wrong(f"{why}, so {expected}; your function said {got}", hint=hint)
    return "steps are rounded to the sixteenth grid, counted from each bar line, and the meter sets the bar."


class _Judge:
    """A stand-in for the style classifier: it names the style written in each melody's label."""

    def __init__(self, verdicts: dict[str, str]):
        self.verdicts = verdicts

    def predict(self, melodies) -> list[str]:
        if isinstance(melodies, str):
            melodies = [melodies]
        return [self.verdicts[item] for item in melodies]


@exercise("7.2")
def check_transfer_strength(transfer_strength) -> str:
    judge = _Judge({"tune A": "irish", "tune B": "irish", "tune C": "chorale", "tune D": "irish", "tune E": "scottish"})
    four = ["tune A", "tune B", "tune C", "tune D"]
    cases = [  # (melodies, style, share, what it tests)
        (four, "irish", 0.75, "the judge names 3 of 4 melodies irish: a share of 3/4 = 0.75"),
        (four, "chorale", 0.25, "the judge names 1 of the same 4 melodies chorale: 0.25"),
        (["tune E", "tune C"], "irish", 0.0, "the judge names neither of these irish: 0.0"),
        ([], "irish", 0.0, "with no melodies nothing was judged: say 0.0 rather than divide by zero"),
    ]
    for melodies, style, expected, why in cases:
        try:
            got = transfer_strength(list(melodies), style, judge)
        except ZeroDivisionError:
            if melodies:
                raise
            raise Wrong(f"{why}; your function divided by zero",
                        hint="start with `if not melodies: return 0.0`") from None
        if isinstance(got, bool) or not isinstance(got, numbers.Real):
            raise Wrong(f"transfer_strength returned {got!r}, not a number",
                        hint="return the share as a float between 0 and 1")
        if abs(float(got) - expected) <= 1e-9:
            continue
        if expected == 0.75 and abs(float(got) - 3) <= 1e-9:
            hint = "that is a count, not a share: divide by the number of melodies"
        elif expected == 0.75 and abs(float(got) - 75) <= 1e-9:
            hint = "a share between 0 and 1 is asked for, not a percentage: leave out the * 100"
        elif expected == 0.25 and abs(float(got) - 0.75) <= 1e-9:
            hint = "count the melodies judged as `style` (the argument), not always irish"
        else:
            hint = "judge.predict(melodies) names a style for each melody; count those equal to `style`, / len(melodies)"
        raise Wrong(f"{why}; your function said {got}", hint=hint)
    return "a share of the melodies, between 0 and 1, for any style, and 0.0 when there is nothing to judge."
