"""Lesson 07's checkers (deepcomposer_edu/checks/lesson07.py) with right, wrong and untouched answers."""

import numpy as np

from deepcomposer_edu.checks.testing import assert_accepts, assert_not_attempted, assert_rejects


def onset_steps(melody, bar_length):
    steps_per_bar = round(bar_length * 4)
    return [round(onset * 4) % steps_per_bar for onset in melody.onsets]


def test_7_1_onset_steps():
    assert_accepts("7.1", onset_steps)
    assert_accepts("7.1", lambda melody, bar_length: np.round(melody.onsets * 4).astype(int) % round(bar_length * 4))

    def always_four_beats(melody, bar_length):
        return onset_steps(melody, 4.0)

    def truncated(melody, bar_length):
        return [int(onset * 4) % round(bar_length * 4) for onset in melody.onsets]

    def remainder_first(melody, bar_length):
        return [round((onset % bar_length) * 4) for onset in melody.onsets]

    def no_remainder(melody, bar_length):
        return [round(onset * 4) for onset in melody.onsets]

    def in_beats(melody, bar_length):
        return [round(onset % bar_length) for onset in melody.onsets]

    assert_rejects("7.1", always_four_beats, hint_contains="bar_length")
    assert_rejects("7.1", truncated, hint_contains="round()")
    assert_rejects("7.1", remainder_first, hint_contains="round to the grid first")
    assert_rejects("7.1", no_remainder, hint_contains="remainder")
    assert_rejects("7.1", in_beats, hint_contains="4 sixteenth steps")
    assert_rejects("7.1", lambda melody, bar_length: [float(s) for s in onset_steps(melody, bar_length)],
                   message_contains="whole numbers")
    assert_not_attempted("7.1")


def transfer_strength(melodies, style, judge):
    if not melodies:
        return 0.0
    return sum(verdict == style for verdict in judge.predict(melodies)) / len(melodies)


def test_7_2_transfer_strength():
    assert_accepts("7.2", transfer_strength)

    def one_at_a_time(melodies, style, judge):
        verdicts = [judge.predict(melody)[0] for melody in melodies]
        return verdicts.count(style) / len(verdicts) if verdicts else 0

    assert_accepts("7.2", one_at_a_time)

    def count(melodies, style, judge):
        return sum(verdict == style for verdict in judge.predict(melodies))

    def percent(melodies, style, judge):
        return 100 * transfer_strength(melodies, style, judge)

    def always_irish(melodies, style, judge):
        return transfer_strength(melodies, "irish", judge)

    def divides_by_zero(melodies, style, judge):
        return sum(verdict == style for verdict in judge.predict(melodies)) / len(melodies)

    assert_rejects("7.2", count, hint_contains="count, not a share")
    assert_rejects("7.2", percent, hint_contains="percentage")
    assert_rejects("7.2", always_irish, hint_contains="`style`")
    assert_rejects("7.2", divides_by_zero, hint_contains="if not melodies")
    assert_rejects("7.2", lambda melodies, style, judge: str(transfer_strength(melodies, style, judge)),
                   message_contains="not a number")
    assert_not_attempted("7.2")
