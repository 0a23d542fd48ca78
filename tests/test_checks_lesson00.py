"""Lesson 00's checkers (deepcomposer_edu/checks/lesson00.py) with right, wrong and untouched answers."""

from dataclasses import replace

from deepcomposer_edu.checks.testing import assert_accepts, assert_not_attempted, assert_rejects
from deepcomposer_edu.music import Song, Track


def test_0_1_note_seconds():
    assert_accepts("0.1", lambda song, note: song.seconds_at(note.end) - song.seconds_at(note.start))
    assert_rejects("0.1", lambda song, note: note.end - note.start, message_contains="in beats", hint_contains="60 / bpm")
    assert_rejects("0.1", lambda song, note: (note.end - note.start) * 60 / song.tempo, message_contains="1.5 s",
                   hint_contains="tempo can change")
    assert_rejects("0.1", lambda song, note: None, hint_contains="return")
    assert_rejects("0.1", lambda song, note: "1 second", message_contains="not a number")
    assert_rejects("0.1", lambda song: 1.0, message_contains="TypeError")  # forgot the second parameter
    assert_not_attempted("0.1")


def _shifted(semitones):
    def shift(song):
        tracks = [replace(t, notes=[replace(n, pitch=n.pitch + semitones) for n in t.notes]) for t in song.tracks]
        return replace(song, tracks=tracks)

    return shift


def test_0_2_up_an_octave():
    assert_accepts("0.2", _shifted(12))
    assert_rejects("0.2", _shifted(1), message_contains="+1 semitones", hint_contains="12 semitones")
    assert_rejects("0.2", _shifted(-12), message_contains="-12")
    assert_rejects("0.2", lambda song: song.notes, message_contains="not a Song")

    def in_place(song):
        for track in song.tracks:
            track.notes = [replace(n, pitch=n.pitch + 12) for n in track.notes]
        return song

    assert_rejects("0.2", in_place, message_contains="changed the song it was given")

    def first_track_only(song):
        return replace(song, tracks=[_shifted(12)(song).tracks[0]])

    assert_rejects("0.2", first_track_only, message_contains="2 tracks")

    def longer_notes(song):
        tracks = [replace(t, notes=[replace(n, pitch=n.pitch + 12, end=n.end + 1) for n in t.notes]) for t in song.tracks]
        return replace(song, tracks=tracks)

    assert_rejects("0.2", longer_notes, hint_contains="only the pitch")

    def forgets_tempo(song):
        return Song(tracks=_shifted(12)(song).tracks)

    assert_rejects("0.2", forgets_tempo, message_contains="tempo")

    def loses_instruments(song):
        return Song(tracks=[Track(t.notes) for t in _shifted(12)(song).tracks], tempos=song.tempos)

    assert_rejects("0.2", loses_instruments, message_contains="instrument")
    assert_not_attempted("0.2")
