"""Checkers for lesson 08, mood and adaptive music (lessons/08_mood_and_adaptive_music.ipynb).

8.1 `largest_leap(song)`: the widest step, in semitones, between one melody note and the next (in time
    order); how the lesson checks CalmFlow's "no leap over a fourth".
8.2 `notes_per_bar(song)`: how many notes start in each bar, empty bars included; the lesson plots it
    against the game's intensity.

Every expected value below is worked out by hand in the comment beside it, not by calling the package.
"""

from __future__ import annotations

from ..music.song import Note, Song, TimeSignature, Track
from .framework import Wrong, exercise


def melody(*pitches_and_starts) -> Song:
    """A one-track song from (pitch, start) pairs, each note one beat long, in the order given."""
    return Song(tracks=[Track([Note(pitch, start, start + 1) for pitch, start in pitches_and_starts])])


def _whole_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@exercise("8.1")
def check_largest_leap(largest_leap) -> str:
    cases = [  # (song, widest leap, what it tests)
        (melody((60, 0), (62, 1), (67, 2), (65, 3)), 5, "C D G F: the widest step is D up to G, 5 semitones"),
        (melody((72, 0), (60, 1), (64, 2)), 12, "C5 down to C4 is a leap of 12, even though it goes down"),
        (melody((64, 1), (60, 0), (72, 2)), 8, "stored out of order; in time order C E C5: the widest step is 8"),
        (melody((60, 0)), 0, "one note has no leap at all: 0"),
    ]
    for song, expected, why in cases:
        got = largest_leap(song)
        if not _whole_number(got):
            raise Wrong(f"largest_leap returned {got!r}, not a whole number of semitones",
                        hint="a leap is the difference of two MIDI pitches: an int")
        if got == expected:
            continue
        if expected == 12 and got == 4:
            hint = "a leap down counts as much as a leap up: take abs() of the difference"
        elif expected == 8:
            hint = "compare notes in time order: sorted(notes, key=lambda n: n.start), or song.notes (already sorted)"
        elif expected == 0:
            hint = "with fewer than two notes there is nothing to compare: return 0 (max(..., default=0))"
        else:
            hint = "look at each pair of neighbours: zip(notes, notes[1:]), and keep the largest abs(b.pitch - a.pitch)"
        raise Wrong(f"{why}; your function said {got}", hint=hint)
    return "down counts as much as up, notes go in time order, and one note has no leap."


@exercise("8.2")
def check_notes_per_bar(notes_per_bar) -> str:
    four_four = melody((60, 0), (62, 1), (64, 2), (65, 9))
    three_four = melody((60, 0), (62, 1), (64, 2), (65, 3), (67, 4.5))
    three_four.time_signatures = [TimeSignature(0, 3, 4)]
    two_tracks = Song(tracks=[Track([Note(60, 0, 4)]), Track([Note(48, 0, 2), Note(43, 2, 4), Note(48, 4, 8)])])
    cases = [  # (song, counts, what it tests)
        (four_four, [3, 0, 1], "starts at beats 0, 1, 2 and 9 in 4/4: bar 0 has 3, bar 1 none, bar 2 one"),
        (three_four, [3, 2], "in 3/4 a bar is 3 beats: starts 0, 1, 2 | 3, 4.5"),
        (two_tracks, [3, 1], "two tracks: bar 0 has the held C and two bass notes, bar 1 one bass note"),
        (Song(), [], "a song without notes has no bars"),
    ]
    for song, expected, why in cases:
        got = notes_per_bar(song)
        if not isinstance(got, list) or not all(_whole_number(count) for count in got):
            raise Wrong(f"notes_per_bar returned {got!r}, not a list of whole numbers",
                        hint="build a list of ints, one per bar")
        if got == expected:
            continue
        if expected == [3, 0, 1] and got == [3, 1]:
            hint = "an empty bar still counts, as 0: make a list of zeros as long as the song's bars first"
        elif expected == [3, 2]:
            hint = "a bar lasts song.time_signature.bar_length beats, not always 4"
        elif expected == [3, 1]:
            hint = "count the notes of every track: song.notes has them all"
        else:
            hint = "a note belongs to the bar its start falls in: int(note.start // bar_length)"
        raise Wrong(f"{why}, so {expected}; your function said {got}", hint=hint)
    return "empty bars count as 0, the meter sets the bar length, and every track counts."
