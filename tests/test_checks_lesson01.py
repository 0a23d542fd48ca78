"""Lesson 01's checkers (deepcomposer_edu/checks/lesson01.py) with right, wrong and untouched answers."""

import math

from deepcomposer_edu.checks.testing import assert_accepts, assert_not_attempted, assert_rejects


def right_quantize(events, tempo, steps_per_beat):
    result = []
    for pitch, start_ms, end_ms in events:
        start = round(start_ms * tempo / 60000 * steps_per_beat) / steps_per_beat
        end = round(end_ms * tempo / 60000 * steps_per_beat) / steps_per_beat
        result.append((pitch, start, max(end, start + 1 / steps_per_beat)))
    return result


def test_exercise_1_1_accepts_a_right_answer_and_lists():
    assert_accepts("1.1", right_quantize)
    assert_accepts("1.1", lambda *args: [list(note) for note in right_quantize(*args)])


def test_exercise_1_1_names_each_typical_mistake():
    def in_seconds(events, tempo, steps):
        return right_quantize(events, 60, steps)  # ms / 1000, as if every tempo were 60 BPM

    def rounds_down(events, tempo, steps):
        return [(p, math.floor(s * tempo / 60000 * steps) / steps, max(math.floor(e * tempo / 60000 * steps) / steps,
                math.floor(s * tempo / 60000 * steps) / steps + 1 / steps)) for p, s, e in events]

    def lets_notes_vanish(events, tempo, steps):
        return [(p, round(s * tempo / 60000 * steps) / steps, round(e * tempo / 60000 * steps) / steps) for p, s, e in events]

    def grid_upside_down(events, tempo, steps):
        return right_quantize(events, tempo, 1 / steps if steps != 1 else 2)

    assert_rejects("1.1", in_seconds, hint_contains="60000 / tempo")
    assert_rejects("1.1", rounds_down, hint_contains="nearest step")
    assert_rejects("1.1", lets_notes_vanish, hint_contains="at least one step")
    assert_rejects("1.1", grid_upside_down, hint_contains="1 / steps_per_beat")
    assert_rejects("1.1", lambda *args: None, hint_contains="return")
    assert_rejects("1.1", lambda events, tempo, steps: right_quantize(events, tempo, steps)[:1], hint_contains="one (pitch")


def test_exercise_1_1_not_attempted():
    assert_not_attempted("1.1")


ODE = "E4 E4 F4 G4 | G4 F4 E4 D4 | C4 C4 D4 E4 | E4/4. D4/8 D4/2"


def test_exercise_1_2_accepts_the_tune_written_several_ways():
    assert_accepts("1.2", lambda: ODE)
    assert_accepts("1.2", lambda: "e4/4 e4 f4 g4 g4 f4 e4 d4 c4 c4 d4 e4 e4/4. d4/8 d4/2")


def test_exercise_1_2_names_the_first_wrong_note():
    result = assert_rejects("1.2", lambda: ODE.replace("F4 E4 D4", "F4 E4 D5"), hint_contains="middle C")
    assert "note 8 should be D4" in result.message and "wrong octave" in result.message
    result = assert_rejects("1.2", lambda: ODE.replace("E4/4.", "E4"), hint_contains="a dot adds half")
    assert "note 13 (E4) should last 1.5 beats (/4.)" in result.message
    assert_rejects("1.2", lambda: ODE.replace(" D4/2", ""), hint_contains="four bars")
    result = assert_rejects("1.2", lambda: ODE.replace("| C4", "| r/4 C4"), hint_contains="a rest")
    assert "note 9 (C4) should start on beat 8; yours starts on beat 9" in result.message
    assert_accepts("1.2", lambda: ODE + " r/2")  # a rest after the last note changes nothing
    result = assert_rejects("1.2", lambda: ODE.replace("G4 |", "H4 |", 1), hint_contains="notation above")
    assert "token 4 'H4'" in result.message
    assert_rejects("1.2", lambda: ODE.split(), hint_contains="one string")


def test_exercise_1_2_not_attempted():
    assert_not_attempted("1.2")
