"""Pianorolls both ways (deepcomposer_edu/music/pianoroll.py): layout (tracks, steps, 128), uint8 velocities."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.music.pianoroll import crop_pitches, from_pianoroll, pad_pitches, to_onset_roll, to_pianoroll
from deepcomposer_edu.music.song import Note, Song, Track


def test_layout_is_tracks_steps_pitches_with_velocities():
    song = Song(tracks=[Track([Note(60, 0, 1, 90), Note(64, 0.5, 1.25, 50)]), Track([Note(36, 1, 2, 100)])])
    roll = to_pianoroll(song, steps_per_beat=4)
    assert roll.shape == (2, 8, 128) and roll.dtype == np.uint8
    assert roll[0, :, 60].tolist() == [90, 90, 90, 90, 0, 0, 0, 0]
    assert roll[0, :, 64].tolist() == [0, 0, 50, 50, 50, 0, 0, 0]
    assert roll[1, :, 36].tolist() == [0, 0, 0, 0, 100, 100, 100, 100]
    assert roll.sum() == 90 * 4 + 50 * 3 + 100 * 4  # nothing else is set


def test_short_notes_take_one_step_and_louder_overlap_wins():
    song = Song(tracks=[Track([Note(60, 0, 0.1, 30), Note(60, 0, 0.5, 70), Note(60, 0.25, 0.5, 20)])])
    assert to_pianoroll(song, 4)[0, :, 60].tolist() == [70, 70]


def test_steps_argument_pads_or_cuts():
    song = Song(tracks=[Track([Note(60, 0, 2)])])
    assert to_pianoroll(song, 2, steps=6)[0, :, 60].tolist() == [80, 80, 80, 80, 0, 0]
    assert to_pianoroll(song, 2, steps=2)[0, :, 60].tolist() == [80, 80]


def test_from_pianoroll_turns_runs_into_notes():
    roll = np.zeros((4, 128), dtype=np.uint8)  # one track, 4 steps
    roll[0:2, 60] = 90
    roll[1:4, 67] = [40, 41, 42]  # velocity of a run is its first step's
    song = from_pianoroll(roll, steps_per_beat=2, programs=[5], names=["Keys"], tempo=90)
    assert [(n.pitch, n.start, n.end, n.velocity) for n in song.tracks[0].notes] == [
        (60, 0.0, 1.0, 90), (67, 0.5, 2.0, 40)]
    assert (song.tracks[0].program, song.tracks[0].name, song.tempo) == (5, "Keys", 90.0)


def test_repeated_notes_merge_without_onsets_and_split_with_them():
    song = Song(tracks=[Track([Note(60, 0, 1), Note(60, 1, 2), Note(62, 0, 2)])])
    roll, onsets = to_pianoroll(song, 4), to_onset_roll(song, 4)
    merged = from_pianoroll(roll, 4)
    assert [(n.pitch, n.start, n.end) for n in merged.tracks[0].notes] == [(60, 0, 2), (62, 0, 2)]
    split = from_pianoroll(roll, 4, onsets=onsets)
    assert [(n.pitch, n.start, n.end) for n in split.tracks[0].notes] == [(60, 0, 1), (62, 0, 2), (60, 1, 2)]


def test_bool_roll_uses_the_given_velocity():
    roll = np.zeros((1, 2, 128), dtype=bool)
    roll[0, :, 72] = True
    assert [(n.pitch, n.velocity) for n in from_pianoroll(roll, velocity=64).tracks[0].notes] == [(72, 64)]


def test_crop_and_pad_are_inverse_for_notes_inside_the_range():
    song = Song(tracks=[Track([Note(48, 0, 1), Note(83, 1, 2)])])
    roll = to_pianoroll(song)
    cropped = crop_pitches(roll, 48, 84)  # C3 up to B5
    assert cropped.shape == (1, 8, 36)
    assert cropped[0, 0, 0] == 80 and cropped[0, 4, 35] == 80
    assert np.array_equal(pad_pitches(cropped, 48), roll)


@pytest.mark.parametrize("call", [
    lambda: crop_pitches(np.zeros((1, 4, 128)), 60, 60),
    lambda: crop_pitches(np.zeros((1, 4, 128)), -1, 10),
    lambda: pad_pitches(np.zeros((1, 4, 36)), 100),
    lambda: from_pianoroll(np.zeros((1, 4, 36))),
    lambda: from_pianoroll(np.zeros((2, 4, 128)), programs=[0]),
    lambda: to_pianoroll(Song(tracks=[Track([Note(60, 0, 1)])]), steps_per_beat=0),
])
def test_bad_arguments_raise_invalid_argument(call):
    with pytest.raises(InvalidArgumentError):
        call()


def test_absurd_roll_size_is_refused_before_allocating():
    song = Song(tracks=[Track([Note(60, 0, 10_000_000)])])
    with pytest.raises(InvalidArgumentError, match="MB"):
        to_pianoroll(song, 96)


notes_on_grid = st.lists(
    st.tuples(st.integers(0, 127), st.integers(0, 63), st.integers(1, 16), st.integers(1, 127)), max_size=40
)


@settings(max_examples=150, deadline=None)
@given(notes_on_grid, st.integers(1, 8))
def test_round_trip_with_onsets_gives_back_every_note_on_the_grid(raw, steps_per_beat):
    # Notes of one pitch that overlap cannot survive a pianoroll, so keep the first of any overlapping pair.
    kept, busy_until = [], {}
    for pitch, start, length, velocity in sorted(raw):
        if start >= busy_until.get(pitch, 0):
            kept.append(Note(pitch, start / steps_per_beat, (start + length) / steps_per_beat, velocity))
            busy_until[pitch] = start + length
    song = Song(tracks=[Track(sorted(kept, key=lambda n: (n.start, n.pitch)))])
    back = from_pianoroll(to_pianoroll(song, steps_per_beat), steps_per_beat,
                          onsets=to_onset_roll(song, steps_per_beat))
    assert back.tracks[0].notes == song.tracks[0].notes
