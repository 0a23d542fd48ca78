"""The text notation fallback (deepcomposer_edu/music/notation.py), against hand-worked pitches and beats."""

import pytest

from deepcomposer_edu.errors import DeepComposerError
from deepcomposer_edu.music.notation import NotationError, parse_length, parse_notes, parse_pitch


@pytest.mark.parametrize(
    "name, pitch",
    [("C4", 60), ("A4", 69), ("B3", 59), ("F#3", 54), ("Bb4", 70), ("bb4", 70), ("c5", 72), ("Cb4", 59),
     ("E#4", 65), ("C##4", 62), ("C-1", 0), ("G9", 127)],
)
def test_pitch_names_follow_scientific_pitch_notation(name, pitch):
    assert parse_pitch(name) == pitch


@pytest.mark.parametrize(
    "suffix, beats",
    [("", 1.0), ("/1", 4.0), ("/2", 2.0), ("/4", 1.0), ("/8", 0.5), ("/16", 0.25), ("/2.", 3.0), ("/4.", 1.5),
     ("/4..", 1.75), ("/12", 1 / 3), ("/6", 2 / 3)],
)
def test_lengths_are_fractions_of_a_whole_note(suffix, beats):
    assert parse_length(suffix) == pytest.approx(beats)


def test_a_melody_is_laid_out_note_after_note():
    song = parse_notes("C4 D4 E4/8 r/8 G4/2. | A4/4", tempo=90, time_signature=(3, 4), title="demo")
    # hand-worked: quarter, quarter, eighth, (eighth rest), dotted half, quarter
    assert [(n.pitch, n.start, n.end) for n in song.notes] == [
        (60, 0.0, 1.0), (62, 1.0, 2.0), (64, 2.0, 2.5), (67, 3.0, 6.0), (69, 6.0, 7.0)
    ]
    assert song.tempo == 90
    assert (song.time_signature.numerator, song.time_signature.denominator) == (3, 4)
    assert song.title == "demo" and len(song.tracks) == 1


def test_a_length_is_not_carried_over_to_the_next_note():
    song = parse_notes("C4/8 D4")
    assert [n.duration for n in song.notes] == [0.5, 1.0]


def test_a_chord_sounds_its_pitches_together():
    song = parse_notes("C4+E4+G4/2 F4")
    assert [(n.pitch, n.start, n.end) for n in song.notes] == [(60, 0, 2), (64, 0, 2), (67, 0, 2), (65, 2, 3)]


def test_velocity_and_program_reach_the_song():
    song = parse_notes("C4 D4", velocity=100, program=73)
    assert {n.velocity for n in song.notes} == {100}
    assert song.tracks[0].program == 73


def test_empty_text_is_an_empty_song():
    assert parse_notes("  ").note_count == 0


@pytest.mark.parametrize(
    "text, position, token, words",
    [
        ("C4 D4 H4", 3, "H4", "not a pitch"),
        ("C4 D", 2, "D", "not a pitch"),
        ("C4/5/", 1, "C4/5/", "not a length"),
        ("C4/0", 1, "C4/0", "between 1 and 64"),
        ("G9 A9", 2, "A9", "outside 0..127"),
        ("C4 /4", 2, "/4", "needs a note or a rest"),
        ("C4+ E4", 1, "C4+", "not a pitch"),
        ("x", 1, "x", "not a pitch"),
    ],
)
def test_a_bad_token_is_named_with_its_position(text, position, token, words):
    with pytest.raises(NotationError) as caught:
        parse_notes(text)
    message = str(caught.value)
    assert f"token {position} {token!r}" in message and words in message
    assert "\n" not in message
    assert isinstance(caught.value, DeepComposerError)
