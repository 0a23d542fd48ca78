"""Lesson 02's checkers (deepcomposer_edu/checks/lesson02.py) with right, wrong and untouched answers."""

import numpy as np

from deepcomposer_edu.checks.testing import assert_accepts, assert_not_attempted, assert_rejects


def right_pitches(roll, step):
    return sorted(set(np.nonzero(roll[:, step, :])[1].tolist()))


def test_2_1_sounding_pitches():
    assert_accepts("2.1", right_pitches)
    assert_accepts("2.1", lambda roll, step: np.unique(np.nonzero(roll[:, step, :].any(axis=0))[0]))
    assert_rejects("2.1", lambda roll, step: list(np.nonzero(roll[:, step, :])[1]), hint_contains="still one pitch")
    assert_rejects("2.1", lambda roll, step: right_pitches(roll[:1], step), message_contains="48")
    assert_rejects("2.1", lambda roll, step: right_pitches(roll == 100, step), hint_contains="velocity")
    assert_rejects("2.1", lambda roll, step: right_pitches(roll.transpose(1, 0, 2), min(step, 1)),
                   hint_contains="roll[track, step, pitch]")
    assert_rejects("2.1", lambda roll, step: None, hint_contains="return")
    assert_not_attempted("2.1")


def right_positions(names):
    bar, position, found = -1, 0, []
    for name in names:
        if name == "Bar":
            bar += 1
        elif name.startswith("Position_"):
            position = int(name.split("_")[1])
        elif name.startswith("Pitch_"):
            found.append((bar, position, int(name.split("_")[1])))
    return found


def test_2_2_note_positions():
    assert_accepts("2.2", right_positions)
    assert_rejects("2.2", lambda names: [(b + 1, p, k) for b, p, k in right_positions(names)], hint_contains="from 0")

    def with_drums(names):
        renamed = [name.replace("Drum_", "Pitch_") for name in names]
        return right_positions(renamed)

    assert_rejects("2.2", with_drums, hint_contains="Drum_k")

    def only_after_position(names):
        found, bar, position, fresh = [], -1, 0, False
        for name in names:
            if name == "Bar":
                bar += 1
            elif name.startswith("Position_"):
                position, fresh = int(name.split("_")[1]), True
            elif name.startswith("Pitch_") and fresh:
                found.append((bar, position, int(name.split("_")[1])))
                fresh = False
        return found

    assert_rejects("2.2", only_after_position, hint_contains="share one Position")

    def bars_with_notes_only(names):
        found, bar, position, seen_note = [], -1, 0, True
        for name in names:
            if name == "Bar" and seen_note:
                bar, seen_note = bar + 1, False
            elif name.startswith("Position_"):
                position = int(name.split("_")[1])
            elif name.startswith("Pitch_"):
                found.append((bar, position, int(name.split("_")[1])))
                seen_note = True
        return found

    assert_rejects("2.2", bars_with_notes_only, hint_contains="even one with no notes")
    assert_rejects("2.2", lambda names: "notes", message_contains="tuples")
    assert_not_attempted("2.2")
