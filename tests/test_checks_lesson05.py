"""Lesson 05's checkers (deepcomposer_edu/checks/lesson05.py) with right, wrong and untouched answers."""

import numpy as np

from deepcomposer_edu import metrics
from deepcomposer_edu.metrics.compare import intra_set_distances
from deepcomposer_edu.checks.testing import assert_accepts, assert_not_attempted, assert_rejects


def empty_bar_rate(song, count_filled=False, inclusive_end=False, onsets_only=False, bar_beats=None, drums=True):
    """A learner's empty-bar rate, right by default, with switches for the usual mistakes."""
    notes = [n for t in song.tracks if drums or not t.is_drum for n in t.notes]
    starts = [i * bar_beats for i in range(int(-(-song.end_beat // bar_beats)))] if bar_beats else song.bar_starts()
    ends = starts[1:] + [starts[-1] + (bar_beats or song.time_signature_at(starts[-1]).bar_length)]
    filled = 0
    for start, end in zip(starts, ends):
        if onsets_only:
            sounding = any(start <= n.start < end for n in notes)
        elif inclusive_end:
            sounding = any(n.start < end and n.end >= start for n in notes)
        else:
            sounding = any(n.start < end and n.end > start for n in notes)
        filled += sounding
    return (filled if count_filled else len(starts) - filled) / len(starts)


def test_5_1_empty_bar_rate():
    assert_accepts("5.1", empty_bar_rate)
    assert_accepts("5.1", metrics.empty_bar_rate)
    assert_rejects("5.1", lambda s: empty_bar_rate(s, count_filled=True), message_contains="WITH notes")
    assert_rejects("5.1", lambda s: empty_bar_rate(s, inclusive_end=True), hint_contains="ending exactly on a bar line")
    assert_rejects("5.1", lambda s: empty_bar_rate(s, onsets_only=True), hint_contains="held over a bar line")
    assert_rejects("5.1", lambda s: empty_bar_rate(s, bar_beats=4), hint_contains="not always 4 beats")
    assert_rejects("5.1", lambda s: empty_bar_rate(s, drums=False), hint_contains="drum tracks too")
    assert_rejects("5.1", lambda s: 1.5, hint_contains="divide")
    assert_rejects("5.1", lambda s: None, hint_contains="return")
    assert_not_attempted("5.1")


def pairs(values, self_pairs=False, both_orders=False, signed=False):
    out = []
    for i, a in enumerate(values):
        for j, b in enumerate(values):
            if (i < j) or (both_orders and i > j) or (self_pairs and i == j):
                out.append(a - b if signed else abs(a - b))
    return out


def test_5_2_intra_set_distances():
    assert_accepts("5.2", pairs)
    assert_accepts("5.2", intra_set_distances)
    assert_accepts("5.2", lambda v: np.abs(np.subtract.outer(v, v))[np.triu_indices(len(v), 1)])
    assert_rejects("5.2", lambda v: pairs(v, signed=True), hint_contains="abs")
    assert_rejects("5.2", lambda v: pairs(v, self_pairs=True), message_contains="to itself")
    assert_rejects("5.2", lambda v: pairs(v, self_pairs=True, both_orders=True), message_contains="to itself")
    assert_rejects("5.2", lambda v: pairs(v, both_orders=True), message_contains="twice")
    assert_rejects("5.2", lambda v: [abs(v[i] - v[i + 1]) for i in range(len(v) - 1)], message_contains="[1, 2, 3]")
    assert_rejects("5.2", lambda v: [0.0] if len(v) == 1 else pairs(v), message_contains="no pairs")
    assert_rejects("5.2", lambda v: None, hint_contains="return")
    assert_not_attempted("5.2")
