"""Key names, MIDI key signatures and key estimation (deepcomposer_edu/music/keys.py)."""

import pytest

from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.music.keys import (
    PITCH_CLASS_NAMES,
    estimate_key,
    key_correlations,
    key_from_signature,
    parse_key,
    pitch_name,
    signature_from_key,
)
from deepcomposer_edu.music.ops import transpose
from deepcomposer_edu.music.song import Note, Song, Track


@pytest.mark.parametrize("sharps, minor, name", [
    (0, False, "C major"), (2, False, "D major"), (-3, False, "Eb major"), (7, False, "C# major"),
    (0, True, "A minor"), (1, True, "E minor"), (-3, True, "C minor"), (-7, True, "Ab minor"),
])
def test_key_signatures_name_their_keys_and_back(sharps, minor, name):
    assert key_from_signature(sharps, minor) == name
    assert signature_from_key(name) == (sharps, minor)


def test_spelling_decides_between_enharmonic_signatures():
    assert signature_from_key("F# major") == (6, False)
    assert signature_from_key("Gb major") == (-6, False)
    assert signature_from_key("D# major") == (-3, False)  # no D# major signature: Eb major, 3 flats


@pytest.mark.parametrize("text, expected", [
    ("F# minor", (6, True)), ("Bb", (10, False)), ("Am", (9, True)), ("C♯ min", (1, True)),
    ("eb major", (3, False)), ("Cb major", (11, False)),
])
def test_parse_key_reads_common_spellings(text, expected):
    assert parse_key(text) == expected


@pytest.mark.parametrize("text", ["", "H major", "C lydian", "C#x minor"])
def test_parse_key_rejects_what_it_cannot_read(text):
    with pytest.raises(InvalidArgumentError):
        parse_key(text)


def test_out_of_range_signature_is_refused():
    with pytest.raises(InvalidArgumentError):
        key_from_signature(8, False)


def test_pitch_names():
    assert [pitch_name(p) for p in (60, 61, 69, 70, 21, 127, 0)] == ["C4", "C#4", "A4", "Bb4", "A0", "G9", "C-1"]


def melody(pitches, lengths=None) -> Song:
    lengths = lengths or [1] * len(pitches)
    notes, beat = [], 0.0
    for pitch, length in zip(pitches, lengths):
        notes.append(Note(pitch, beat, beat + length))
        beat += length
    return Song(tracks=[Track(notes)])


C_MAJOR_TUNE = melody([60, 64, 67, 72, 71, 67, 65, 64, 62, 67, 60], [2, 1, 1, 2, 1, 1, 1, 1, 1, 1, 4])
A_MINOR_TUNE = melody([69, 72, 76, 74, 72, 71, 68, 69, 64, 69], [2, 1, 1, 1, 1, 1, 1, 2, 1, 4])


def test_estimate_key_of_plain_tunes():
    assert estimate_key(C_MAJOR_TUNE) == "C major"
    assert estimate_key(A_MINOR_TUNE) == "A minor"


@pytest.mark.parametrize("semitones", range(-5, 7))
def test_estimate_moves_with_transposition(semitones):
    # the method compares against all 24 rotated profiles, so moving the tune moves its key with it
    assert estimate_key(transpose(C_MAJOR_TUNE, semitones)) == f"{PITCH_CLASS_NAMES[semitones % 12]} major"


def test_drums_do_not_vote_and_silence_has_no_key():
    noisy = Song(tracks=C_MAJOR_TUNE.tracks + [Track([Note(61, b, b + 4) for b in range(40)], is_drum=True)])
    assert estimate_key(noisy) == "C major"
    assert estimate_key(Song()) is None
    assert key_correlations(melody([60 + i for i in range(12)])) == {}  # all twelve equally: no key stands out
