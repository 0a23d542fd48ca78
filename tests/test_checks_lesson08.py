"""Lesson 08's checkers (deepcomposer_edu/checks/lesson08.py) with right, wrong and untouched answers."""

from deepcomposer_edu.checks.testing import assert_accepts, assert_not_attempted, assert_rejects


def largest_leap(song):
    notes = song.notes
    return max((abs(b.pitch - a.pitch) for a, b in zip(notes, notes[1:])), default=0)


def test_8_1_largest_leap():
    assert_accepts("8.1", largest_leap)
    def by_start(song):
        pitches = [n.pitch for n in sorted(song.tracks[0].notes, key=lambda n: n.start)]
        return max([0] + [abs(b - a) for a, b in zip(pitches, pitches[1:])])

    assert_accepts("8.1", by_start)
    assert_rejects("8.1", lambda song: max((b.pitch - a.pitch for a, b in zip(song.notes, song.notes[1:])), default=0),
                   hint_contains="abs()")
    unsorted = lambda song: max((abs(b.pitch - a.pitch) for a, b in zip(song.tracks[0].notes, song.tracks[0].notes[1:])),
                                default=0)
    assert_rejects("8.1", unsorted, hint_contains="time order")
    assert_rejects("8.1", lambda song: max(abs(b.pitch - a.pitch) for a, b in zip(song.notes, song.notes[1:])),
                   message_contains="your code raised")  # max() of nothing for one note
    assert_rejects("8.1", lambda song: float(largest_leap(song)), message_contains="whole number")
    assert_not_attempted("8.1")


def notes_per_bar(song):
    if not song.notes:
        return []
    bar = song.time_signature.bar_length
    counts = [0] * (int(max(n.start for n in song.notes) // bar) + 1)
    for note in song.notes:
        counts[int(note.start // bar)] += 1
    return counts


def test_8_2_notes_per_bar():
    assert_accepts("8.2", notes_per_bar)

    def skips_empty_bars(song):
        return [count for count in notes_per_bar(song) if count]

    def always_four_beats(song):
        counts = {}
        for note in song.notes:
            counts[int(note.start // 4)] = counts.get(int(note.start // 4), 0) + 1
        return [counts.get(i, 0) for i in range(max(counts) + 1)] if counts else []

    def first_track_only(song):
        return notes_per_bar(type(song)(tracks=song.tracks[:1], time_signatures=song.time_signatures))

    assert_rejects("8.2", skips_empty_bars, hint_contains="empty bar")
    assert_rejects("8.2", always_four_beats, hint_contains="bar_length")
    assert_rejects("8.2", first_track_only, hint_contains="every track")
    assert_rejects("8.2", lambda song: tuple(notes_per_bar(song)), message_contains="list")
    assert_not_attempted("8.2")
