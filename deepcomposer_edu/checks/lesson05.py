"""Checkers for lesson 05 (lessons/05_judging_music.ipynb): an honest empty-bar rate, and intra-set distances.

Exercise 5.1: `empty_bar_rate(song)`, the share of bars in which no note (drums included) sounds. The quiet
bugs it guards against are real ones from published code: counting the bars WITH notes, treating a note that
ends on a bar line as reaching into the next bar, counting only where notes start, and assuming 4/4.
Exercise 5.2: `intra_set_distances(values)`, |x_i - x_j| for every pair of different pieces, each pair once
(Yang and Lerch 2018; `metrics/compare.py`).
"""

from __future__ import annotations

import math

import numpy as np

from ..music.song import Note, Song, TimeSignature, Track
from .framework import Wrong, exercise

BARS_HINT = "song.bar_starts() gives the beat where each bar begins; a bar is empty when no note overlaps it"


def _rate(answer, song: Song, what: str) -> float:
    got = answer(song)
    if got is None:
        raise Wrong("your function returned None", hint="end it with `return` and the share of empty bars")
    try:
        value = float(got)
    except (TypeError, ValueError):
        raise Wrong(f"for {what} your function returned {got!r}, not a number", hint=BARS_HINT) from None
    if not 0.0 <= value <= 1.0:
        raise Wrong(f"for {what} your function returned {value:g}: a share of bars is between 0 and 1",
                    hint="divide the number of empty bars by the number of bars")
    return value


@exercise("5.1")
def empty_bar_rate(answer) -> str:
    # Bars of 4/4: [0,4) whole note, [4,8) silent, [8,12) whole note. One of three bars is empty.
    gap = Song(tracks=[Track([Note(60, 0, 4), Note(64, 8, 12)])])
    got = _rate(answer, gap, "a whole note, a silent bar, a whole note")
    if math.isclose(got, 2 / 3):
        raise Wrong("for a whole note, a silent bar and a whole note you returned 2/3: that is the share of bars "
                    "WITH notes", hint="count the bars in which nothing sounds")
    if math.isclose(got, 0.0):
        raise Wrong("for a whole note, a silent bar and a whole note you returned 0, but the middle bar is silent",
                    hint="a note ending exactly on a bar line (end == bar start) does not sound in the next bar")
    if not math.isclose(got, 1 / 3):
        raise Wrong(f"for a whole note, a silent bar and a whole note the answer is 1/3; you returned {got:g}",
                    hint=BARS_HINT)
    # A note from beat 2 to 6 sounds in bars 1 and 2; bar 3 [8,12) is silent; bar 4 has a note: 1 of 4.
    held = Song(tracks=[Track([Note(60, 2, 6), Note(64, 12, 16)])])
    got = _rate(answer, held, "a note held over a bar line")
    if not math.isclose(got, 1 / 4):
        raise Wrong(f"with a note from beat 2 to beat 6, silence from 8 to 12 and a note from 12 to 16, one bar of "
                    f"four is empty; you returned {got:g}",
                    hint="a note held over a bar line sounds in both bars: look at start AND end, not only the start")
    # 3/4: bars [0,3) [3,6) [6,9); notes in the first and last.
    waltz = Song(tracks=[Track([Note(60, 0, 1), Note(62, 6, 7)])], time_signatures=[TimeSignature(0, 3, 4)])
    got = _rate(answer, waltz, "a song in 3/4")
    if not math.isclose(got, 1 / 3):
        raise Wrong(f"in 3/4 (bars of 3 beats) with notes in bars 1 and 3 only, one bar of three is empty; you "
                    f"returned {got:g}", hint="bars are not always 4 beats long: " + BARS_HINT)
    drums = Song(tracks=[Track([Note(60, 0, 4), Note(64, 8, 12)]), Track([Note(38, 5, 5.25)], is_drum=True)])
    got = _rate(answer, drums, "a bar with only a drum hit")
    if not math.isclose(got, 0.0):
        raise Wrong(f"a bar with only a snare hit is not empty, so no bar of three is; you returned {got:g}",
                    hint="count the notes of every track, drum tracks too")
    return "silent bars counted right: held notes, bar-line endings, 3/4 and drums all handled."


def _distances(answer, values) -> list[float]:
    got = answer(values)
    if got is None:
        raise Wrong("your function returned None", hint="return a list (or array) of distances")
    try:
        return sorted(float(d) for d in np.asarray(got, dtype=float).ravel())
    except (TypeError, ValueError):
        raise Wrong(f"your function returned {got!r}, not a list of numbers",
                    hint="return a list of distances") from None


@exercise("5.2")
def intra_set_distances(answer) -> str:
    got = _distances(answer, [0.0, 1.0, 3.0])
    expected = [1.0, 2.0, 3.0]  # |0-1|, |0-3|, |1-3|
    if any(d < 0 for d in got):
        raise Wrong(f"for [0, 1, 3] you returned {got}: a distance is never negative", hint="use abs(a - b)")
    if got.count(0.0) >= 3:  # i == j pairs: three zeros for three pieces
        raise Wrong(f"for [0, 1, 3] you returned {got}: it includes each piece's distance to itself",
                    hint="pair each piece only with the pieces after it: for j in range(i + 1, len(values))")
    if got == sorted(expected * 2):
        raise Wrong(f"for [0, 1, 3] you returned {got}: every pair appears twice (i, j) and (j, i)",
                    hint="pair each piece only with the pieces after it: for j in range(i + 1, len(values))")
    if len(got) != len(expected) or not np.allclose(got, expected):
        raise Wrong(f"for [0, 1, 3] the distances are [1, 2, 3] (in any order); you returned {got}",
                    hint="for every pair i < j: abs(values[i] - values[j])")
    if _distances(answer, [2.5]) != []:
        raise Wrong("a set of one piece has no pairs, so no distances; your function returned some",
                    hint="for every pair i < j: abs(values[i] - values[j])")
    if _distances(answer, np.array([2.0, 2.0])) != [0.0]:
        raise Wrong("two pieces with the same value are at distance 0: [2, 2] should give [0]",
                    hint="for every pair i < j: abs(values[i] - values[j])")
    return "every pair once, as absolute differences: the intra-set distances of Yang and Lerch."
