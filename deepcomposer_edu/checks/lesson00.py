"""Checkers for lesson 00 (lessons/00_welcome.ipynb): beats versus seconds, and changing a song as data.

Exercise 0.1: `note_seconds(song, note)`, how many seconds a note sounds. The tempo map turns beats into
seconds, and it may change in the middle of a song.
Exercise 0.2: `up_an_octave(song)`, a new song with every note 12 semitones higher, the given one unchanged.
"""

from __future__ import annotations

import copy
import math

from ..music.song import Note, Song, TempoChange, Track
from .framework import Wrong, exercise

SECONDS_HINT = "song.seconds_at(beat) says when a beat sounds, following every tempo change"


def _seconds_answer(answer, song: Song, note: Note) -> float:
    got = answer(song, note)
    if got is None:
        raise Wrong("your function returned None", hint="end it with `return` and the number of seconds")
    if not isinstance(got, (int, float)) or isinstance(got, bool):
        raise Wrong(f"your function returned {got!r}, not a number of seconds", hint=SECONDS_HINT)
    return float(got)


@exercise("0.1")
def note_seconds(answer) -> str:
    # At 120 BPM a beat lasts 60 / 120 = 0.5 s, so a two-beat note lasts 1 s.
    steady = Song(tracks=[Track([Note(60, 0, 2)])], tempos=[TempoChange(0, 120)])
    got = _seconds_answer(answer, steady, Note(60, 0, 2))
    if math.isclose(got, 2.0):
        raise Wrong(
            "at 120 BPM a note from beat 0 to beat 2 gave 2.0: that is its length in beats, not seconds",
            hint="a beat lasts 60 / bpm seconds; " + SECONDS_HINT,
        )
    if not math.isclose(got, 1.0):
        raise Wrong(f"at 120 BPM a note from beat 0 to beat 2 lasts 1.0 s, your function said {got:g}", hint=SECONDS_HINT)
    # 60 BPM up to beat 4, then 120 BPM: beat 3 -> 4 takes 1 s, beat 4 -> 5 takes 0.5 s.
    speeding_up = Song(tracks=[Track([Note(62, 3, 5)])], tempos=[TempoChange(0, 60), TempoChange(4, 120)])
    got = _seconds_answer(answer, speeding_up, Note(62, 3, 5))
    if not math.isclose(got, 1.5):
        raise Wrong(
            f"with 60 BPM until beat 4 and 120 BPM after, a note from beat 3 to beat 5 lasts 1 + 0.5 = 1.5 s; "
            f"your function said {got:g}",
            hint="the tempo can change during a note: " + SECONDS_HINT,
        )
    return "a note's length in seconds follows the tempo, even when the tempo changes during the note."


def _two_track_song() -> Song:
    melody = Track([Note(72, 0, 1, 90), Note(74, 1, 2, 70), Note(76, 2, 4, 100)], program=73, name="flute")
    bass = Track([Note(48, 0, 4, 60)], program=32, name="bass")
    return Song(tracks=[melody, bass], tempos=[TempoChange(0, 90)], title="two tracks")


def _describe(note: Note) -> str:
    return f"Note(pitch={note.pitch}, start={note.start:g}, end={note.end:g}, velocity={note.velocity})"


@exercise("0.2")
def up_an_octave(answer) -> str:
    original = _two_track_song()
    given = copy.deepcopy(original)
    got = answer(given)
    if not isinstance(got, Song):
        raise Wrong(f"your function returned {got!r}, not a Song", hint="return Song(tracks=..., tempos=song.tempos, ...)")
    if given != original:
        raise Wrong(
            "your function changed the song it was given",
            hint="build new Track and Song objects (dataclasses.replace makes a changed copy) instead of editing the old ones",
        )
    if len(got.tracks) != len(original.tracks):
        raise Wrong(f"the song had {len(original.tracks)} tracks, yours has {len(got.tracks)}", hint="keep every track")
    for before, after in zip(original.tracks, got.tracks):
        if len(after.notes) != len(before.notes):
            raise Wrong(
                f"track {before.name!r} had {len(before.notes)} notes, yours has {len(after.notes)}",
                hint="change every note of every track, and keep them all",
            )
        for old, new in zip(before.notes, after.notes):
            if (new.start, new.end, new.velocity) != (old.start, old.end, old.velocity):
                raise Wrong(f"{_describe(old)} became {_describe(new)}", hint="change only the pitch")
            if new.pitch != old.pitch + 12:
                raise Wrong(
                    f"pitch {old.pitch} became {new.pitch}, a change of {new.pitch - old.pitch:+d} semitones",
                    hint="an octave is 12 semitones (12 keys on the piano, black and white); higher means a larger pitch",
                )
        if (after.program, after.name, after.is_drum) != (before.program, before.name, before.is_drum):
            raise Wrong(f"track {before.name!r} changed its instrument or name", hint="keep each track's program and name")
    if got.tempos != original.tempos or got.time_signatures != original.time_signatures:
        raise Wrong("the tempo or the time signature changed", hint="pass song.tempos and song.time_signatures on")
    return "every note of every track is an octave higher, at the same time and loudness, and the original is unchanged."
