"""Checkers for lesson 02 (lessons/02_music_as_data.ipynb): reading a pianoroll and reading tokens.

Exercise 2.1: `sounding_pitches(roll, step)`, the MIDI pitches sounding at one time step of a pianoroll of
shape (tracks, steps, 128), in any track, each once, low to high.
Exercise 2.2: `note_positions(names)`, (bar, position, pitch) of every pitched note in a list of REMI token
names, bars counted from 0, drum notes left out.
"""

from __future__ import annotations

import numpy as np

from ..music import tokens
from ..music.song import Note, Song, TimeSignature, Track
from .framework import Wrong, exercise

AXES_HINT = "roll[track, step, pitch]: roll[:, step, :] is every track's 128 pitches at that step"


def _small_roll() -> np.ndarray:
    """2 tracks, 8 steps. Track 0: C4 (60) steps 0-3 at velocity 90, E4 (64) steps 2-5 at 50.
    Track 1: C3 (48) steps 0-7 at 70, and C4 (60) again at step 2."""
    roll = np.zeros((2, 8, 128), dtype=np.uint8)  # (tracks, steps, pitches)
    roll[0, 0:4, 60] = 90
    roll[0, 2:6, 64] = 50
    roll[1, 0:8, 48] = 70
    roll[1, 2, 60] = 100
    return roll


def _pitches(answer, roll, step) -> list[int]:
    got = answer(roll.copy(), step)
    if got is None:
        raise Wrong("your function returned None", hint="end it with `return` and the list of pitches")
    try:
        return [int(pitch) for pitch in got]
    except TypeError:
        raise Wrong(f"your function returned {got!r}, not a list of pitches", hint=AXES_HINT) from None


@exercise("2.1")
def sounding_pitches(answer) -> str:
    roll = _small_roll()
    # Hand-worked: at step 2 every note sounds: 48 (track 1), 60 (both tracks), 64 (track 0).
    cases = [(2, [48, 60, 64]), (0, [48, 60]), (5, [48, 64]), (7, [48])]
    for step, expected in cases:
        got = _pitches(answer, roll, step)
        if got == expected:
            continue
        if sorted(set(got)) == expected:
            raise Wrong(f"at step {step} you gave {got}: each pitch once, from low to high, was expected",
                        hint="a pitch sounding in two tracks is still one pitch: sorted(set(...)) or np.unique")
        if step == 2 and set(got) == {60}:
            raise Wrong("at step 2 you found only pitch 60, the note played at velocity 100",
                        hint="a cell holds the velocity: every value above 0 means the key sounds")
        if step == 2 and got and set(got) <= {60, 64}:
            raise Wrong(f"at step 2 you found {got}, but the bass track plays 48 there too",
                        hint="look at every track, not only the first: " + AXES_HINT)
        raise Wrong(f"at step {step} the sounding pitches are {expected}; your function gave {got}", hint=AXES_HINT)
    silent = np.zeros((1, 4, 128), dtype=np.uint8)
    if _pitches(answer, silent, 1) != []:
        raise Wrong("in a silent pianoroll your function found pitches", hint="only non-zero cells sound")
    return "you read a pianoroll along the right axis: tracks, then time steps, then pitches."


def _two_bar_song() -> Song:
    """4/4. Bar 0: C4+E4 at beat 0 (a chord), G4 at beat 2.5 (step 10); bar 1 empty; bar 2: C5 at beat 8.25.
    A drum track hits a kick (36) at beat 0."""
    piano = Track([Note(60, 0, 1), Note(64, 0, 1), Note(67, 2.5, 3), Note(72, 8.25, 9)], program=0, name="piano")
    drums = Track([Note(36, 0, 0.5)], is_drum=True, name="drums")
    return Song(tracks=[piano, drums], time_signatures=[TimeSignature(0, 4, 4)])


@exercise("2.2")
def note_positions(answer) -> str:
    names = tokens.names(tokens.encode(_two_bar_song()))
    expected = [(0, 0, 60), (0, 0, 64), (0, 10, 67), (2, 1, 72)]
    got = answer(list(names))
    if got is None:
        raise Wrong("your function returned None", hint="end it with `return` and the list of (bar, position, pitch)")
    try:
        got = [tuple(int(value) for value in item) for item in got]
    except (TypeError, ValueError):
        raise Wrong(f"your function returned {got!r}: a list of (bar, position, pitch) tuples was expected",
                    hint="collect the notes in a list: found.append((bar, position, pitch))") from None
    if got == expected:
        return "you can read REMI tokens: bars, positions inside them, and the notes at each position."
    if [(bar - 1, position, pitch) for bar, position, pitch in got] == expected:
        raise Wrong(f"you gave {got}: the bars are counted from 1", hint="count bars from 0: the first Bar token starts bar 0")
    if any(pitch == 36 for _, _, pitch in got):
        raise Wrong(f"you gave {got}, which includes the drum note 36",
                    hint="drum hits are Drum_k tokens, not Pitch_k: keep only the Pitch tokens")
    if (0, 0, 64) not in got and (0, 0, 60) in got:
        raise Wrong(f"you gave {got}: the E4 (64) of the chord at the start is missing",
                    hint="notes at the same position share one Position token: remember the last position you read")
    if (2, 1, 72) not in got and any(pitch == 72 for _, _, pitch in got):
        raise Wrong(f"you gave {got}: the last note is in bar 2 (bar 1 is empty), at position 1",
                    hint="every Bar token starts a new bar, even one with no notes")
    raise Wrong(f"the notes are {expected}; your function gave {got}",
                hint="walk through the names: 'Bar' adds one to the bar, 'Position_p' sets the position, "
                     "'Pitch_k' is a note at the current bar and position")
