"""Operations on songs (deepcomposer_edu/music/ops.py), each checked against a hand-worked result."""

import copy

import pytest

from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.music.ops import (
    change_tempo,
    concatenate,
    merge_tracks,
    quantize,
    skyline,
    slice_bars,
    split_tracks,
    transpose,
)
from deepcomposer_edu.music.song import Note, Song, TempoChange, TimeSignature, Track


def notes(song, index=0):
    return [(n.pitch, n.start, n.end) for n in song.tracks[index].notes]


def two_bar_song():
    melody = Track([Note(60, 0, 1), Note(62, 1, 2), Note(64, 2, 5), Note(65, 5, 8)], program=0, name="Lead")
    drums = Track([Note(36, 0, 0.5), Note(38, 4, 4.5)], name="Drums", is_drum=True)
    return Song(tracks=[melody, drums], tempos=[TempoChange(0, 100), TempoChange(4, 80)], key="C major")


def test_ops_never_change_their_input():
    song = two_bar_song()
    before = copy.deepcopy(song)
    for result in (quantize(song, 2), transpose(song, 3), slice_bars(song, 1, 2), concatenate(song, song),
                   change_tempo(song, 60), merge_tracks(song), split_tracks(song), skyline(song)):
        assert result is not song
    assert song == before


def test_quantize_snaps_to_the_nearest_step_and_keeps_tiny_notes():
    song = Song(tracks=[Track([Note(60, 0.1, 0.9), Note(62, 1.13, 1.2), Note(64, 2.6, 3.4)])])
    # grid of quarter beats: 0.1 -> 0, 0.9 -> 1; 1.13 -> 1.25 and 1.2 -> 1.25 would vanish, so one step
    assert notes(quantize(song, 4)) == [(60, 0.0, 1.0), (62, 1.25, 1.5), (64, 2.5, 3.5)]


def test_quantize_rejects_a_bad_grid():
    with pytest.raises(InvalidArgumentError, match="steps_per_beat"):
        quantize(two_bar_song(), 0)


def test_transpose_moves_pitched_notes_and_the_key_but_not_drums():
    moved = transpose(two_bar_song(), 2)
    assert [p for p, _, _ in notes(moved)] == [62, 64, 66, 67]
    assert [p for p, _, _ in notes(moved, 1)] == [36, 38]
    assert moved.key == "D major"
    assert transpose(two_bar_song(), -1).key == "B major"


def test_transpose_refuses_to_leave_the_midi_range():
    song = Song(tracks=[Track([Note(120, 0, 1)])])
    with pytest.raises(InvalidArgumentError, match="outside MIDI's 0..127"):
        transpose(song, 8)
    assert notes(transpose(song, 7)) == [(127, 0.0, 1.0)]


def test_slice_bars_counts_from_zero_trims_crossing_notes_and_restarts_at_zero():
    sliced = slice_bars(two_bar_song(), 1, 2)  # bar 1 = beats 4..8
    assert notes(sliced) == [(64, 0.0, 1.0), (65, 1.0, 4.0)]  # 64 was 2..5: trimmed to 4..5
    assert notes(sliced, 1) == [(38, 0.0, 0.5)]
    assert sliced.tempos == [TempoChange(0.0, 80)]  # the tempo in force at beat 4


def test_slice_bars_follows_meter_changes_and_keeps_changes_inside():
    song = Song(
        tracks=[Track([Note(60, beat, beat + 1) for beat in range(12)])],
        time_signatures=[TimeSignature(0, 3, 4), TimeSignature(6, 2, 4)],
        tempos=[TempoChange(0, 100), TempoChange(7, 50)],
    )
    # bars: 0..3, 3..6 (3/4), then 6..8, 8..10 (2/4); bars 1..3 = beats 3..8
    sliced = slice_bars(song, 1, 3)
    assert [start for _, start, _ in notes(sliced)] == [0, 1, 2, 3, 4]
    assert sliced.time_signatures == [TimeSignature(0, 3, 4), TimeSignature(3, 2, 4)]
    assert sliced.tempos == [TempoChange(0, 100), TempoChange(4, 50)]


def test_slice_bars_to_the_end_and_bad_ranges():
    assert notes(slice_bars(two_bar_song(), 1)) == [(64, 0.0, 1.0), (65, 1.0, 4.0)]
    for start, end in [(-1, 2), (2, 2), (3, 1)]:
        with pytest.raises(InvalidArgumentError):
            slice_bars(two_bar_song(), start, end)


def test_concatenate_starts_each_song_on_the_next_bar_line_and_carries_tempo_and_meter():
    first = Song(tracks=[Track([Note(60, 0, 5)], name="Lead")], tempos=[TempoChange(0, 100)])  # ends in bar 1
    second = Song(tracks=[Track([Note(67, 0, 3)], name="Lead"), Track([Note(40, 0, 3)], name="Bass")],
                  tempos=[TempoChange(0, 140)], time_signatures=[TimeSignature(0, 3, 4)])
    joined = concatenate(first, second)
    assert notes(joined) == [(60, 0.0, 5.0), (67, 8.0, 11.0)]  # 2 bars of 4/4, then the second song
    assert [t.name for t in joined.tracks] == ["Lead", "Bass"]
    assert notes(joined, 1) == [(40, 8.0, 11.0)]
    assert joined.tempos == [TempoChange(0, 100), TempoChange(8, 140)]
    assert joined.time_signatures == [TimeSignature(0, 4, 4), TimeSignature(8, 3, 4)]


def test_change_tempo_scales_later_changes_and_keeps_beats():
    faster = change_tempo(two_bar_song(), 150)  # 100 -> 150: x1.5, so 80 -> 120
    assert faster.tempos == [TempoChange(0, 150), TempoChange(4, 120)]
    assert notes(faster) == notes(two_bar_song())
    assert faster.duration_seconds == pytest.approx(two_bar_song().duration_seconds / 1.5)
    with pytest.raises(InvalidArgumentError):
        change_tempo(two_bar_song(), 0)


def test_merge_tracks_keeps_pitched_and_drums_apart():
    song = Song(tracks=[Track([Note(60, 0, 1)], program=4, name="Keys"), Track([Note(36, 0, 1)], is_drum=True),
                        Track([Note(40, 0.5, 1)], program=33, name="Bass")])
    merged = merge_tracks(song)
    assert [(t.program, t.name, t.is_drum) for t in merged.tracks] == [(4, "Keys", False), (0, "", True)]
    assert notes(merged) == [(60, 0.0, 1.0), (40, 0.5, 1.0)]


def test_split_tracks_makes_two_hands_at_middle_c():
    piano = Track([Note(48, 0, 1), Note(60, 0, 1), Note(72, 1, 2), Note(59, 1, 2)], name="Piano", program=1)
    split = split_tracks(Song(tracks=[piano, Track([Note(36, 0, 1)], is_drum=True)]))
    assert [(t.name, t.program) for t in split.tracks] == [("Piano (high)", 1), ("Piano (low)", 1), ("", 0)]
    assert notes(split, 0) == [(60, 0.0, 1.0), (72, 1.0, 2.0)]
    assert notes(split, 1) == [(48, 0.0, 1.0), (59, 1.0, 2.0)]


def test_merge_undoes_split():
    piano = Track([Note(48, 0, 1), Note(60, 0, 1), Note(72, 1, 2)], name="Piano")
    song = Song(tracks=[piano])
    assert merge_tracks(split_tracks(song)).tracks[0].notes == piano.notes


def test_skyline_keeps_the_top_line_and_makes_it_monophonic():
    chords = Track([
        Note(60, 0, 2), Note(64, 0, 2), Note(67, 0, 1),  # C major chord, G on top for one beat
        Note(72, 1, 3),                                   # a high C enters while the chord sounds
        Note(65, 2, 3),                                   # hidden: the high C is still sounding
        Note(62, 3, 4), Note(55, 3, 4),                   # D on top
    ])
    line = skyline(Song(tracks=[chords, Track([Note(80, 0, 4)], is_drum=True)]))
    assert len(line.tracks) == 1
    assert notes(line) == [(67, 0.0, 1.0), (72, 1.0, 3.0), (62, 3.0, 4.0)]


def test_skyline_cuts_a_held_lower_note_when_a_higher_one_starts():
    song = Song(tracks=[Track([Note(60, 0, 4), Note(67, 2, 3)])])
    assert notes(skyline(song)) == [(60, 0.0, 2.0), (67, 2.0, 3.0)]
