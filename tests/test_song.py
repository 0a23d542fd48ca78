"""The Song's beat/second arithmetic and bar layout (deepcomposer_edu/music/song.py)."""

import pytest

from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.music import Note, Song, TempoChange, TimeSignature, Track


def test_seconds_follow_every_tempo_change():
    song = Song(tempos=[TempoChange(0, 60), TempoChange(4, 120)])
    assert song.seconds_at(2) == pytest.approx(2.0)  # 60 BPM: a beat a second
    assert song.seconds_at(4) == pytest.approx(4.0)
    assert song.seconds_at(6) == pytest.approx(5.0)  # two beats at 120 BPM: one second


def test_beat_at_inverts_seconds_at():
    song = Song(tempos=[TempoChange(0, 90), TempoChange(3, 140), TempoChange(10, 50)])
    for beat in [0, 1.5, 3, 7.25, 10, 17]:
        assert song.beat_at(song.seconds_at(beat)) == pytest.approx(beat)


def test_bar_starts_follow_meter_changes():
    song = Song(
        tracks=[Track([Note(60, 0, 13)])],
        time_signatures=[TimeSignature(0, 3, 4), TimeSignature(6, 6, 8), TimeSignature(9, 2, 2)],
    )
    assert song.bar_starts() == [0, 3, 6, 9]  # 3/4, 3/4, 6/8 (3 beats), then 2/2 (4 beats) to 13
    assert song.bar_count() == 4
    assert song.bar_lines() == [0, 3, 6, 9, 13]  # ... and the 2/2 bar closes at 9 + 4
    assert song.bar_lines(until_beat=5) == [0, 3, 6]  # the bars up to beat 5, closed at 6


def test_notes_are_listed_in_time_then_pitch_order():
    song = Song(tracks=[Track([Note(67, 1, 2), Note(60, 0, 1)]), Track([Note(48, 0, 2)])])
    assert [(n.start, n.pitch) for n in song.notes] == [(0, 48), (0, 60), (1, 67)]
    assert song.end_beat == 2


def test_tempo_must_be_positive():
    with pytest.raises(InvalidArgumentError):
        Song(tempos=[TempoChange(0, 0)])


def test_missing_opening_tempo_and_meter_are_filled_in():
    song = Song(tempos=[TempoChange(4, 100)], time_signatures=[TimeSignature(8, 3, 4)])
    assert song.tempos[0] == TempoChange(0.0, 100)
    assert song.time_signatures[0] == TimeSignature(0.0, 3, 4)
