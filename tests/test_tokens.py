"""The two token encodings (deepcomposer_edu/music/tokens.py): hand-worked sequences and round trips."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.music import tokens
from deepcomposer_edu.music.ops import quantize
from deepcomposer_edu.music.song import Note, Song, TempoChange, TimeSignature, Track, note_order


def notes_by_track(song, velocity_bins=True):
    """Each track's notes as tuples, velocity as REMI decodes it (8 * (v // 8) + 4)."""
    return [
        [(n.pitch, n.start, n.end, (n.velocity // 8) * 8 + 4 if velocity_bins else n.velocity)
         for n in sorted(track.notes, key=note_order)]
        for track in song.tracks
    ]


def test_remi_tokens_of_a_small_song_worked_by_hand():
    song = Song(
        tracks=[Track([Note(60, 0, 1, 100), Note(64, 1, 1.5, 64), Note(67, 4.25, 5, 80)], program=0)],
        tempos=[TempoChange(0, 120)],
    )
    assert tokens.names(tokens.encode(song)) == [
        "<bos>", "Tempo_120", "Program_0",
        "Bar", "Meter_4/4",
        "Position_0", "Track_0", "Pitch_60", "Duration_4", "Velocity_12",  # 100 // 8 = 12
        "Position_4", "Track_0", "Pitch_64", "Duration_2", "Velocity_8",
        "Bar",
        "Position_1", "Track_0", "Pitch_67", "Duration_3", "Velocity_10",  # beat 4.25 = bar 2, step 1
        "<eos>",
    ]


def test_remi_orders_notes_by_position_then_track_then_pitch_and_marks_drums():
    bass = Track([Note(36, 0, 2)], program=33, name="bass")
    piano = Track([Note(67, 0, 1), Note(60, 0, 1)], program=0, name="piano")
    drums = Track([Note(42, 0, 0.25), Note(36, 0.5, 0.75)], is_drum=True, name="drums")
    song = Song(tracks=[piano, bass, drums], tempos=[TempoChange(0, 90)], time_signatures=[TimeSignature(0, 3, 4)])
    assert tokens.names(tokens.encode(song)) == [
        "<bos>", "Tempo_88", "Program_0", "Program_33", "Drums",  # 90 BPM snaps to a multiple of 4
        "Bar", "Meter_3/4",
        "Position_0",
        "Track_0", "Pitch_60", "Duration_4", "Velocity_10", "Pitch_67", "Duration_4", "Velocity_10",
        "Track_1", "Pitch_36", "Duration_8", "Velocity_10",
        "Track_2", "Drum_42", "Duration_1", "Velocity_10",
        "Position_2", "Track_2", "Drum_36", "Duration_1", "Velocity_10",
        "<eos>",
    ]


def test_remi_round_trip_keeps_tracks_meters_and_quantised_notes():
    melody = Track([Note(72, 0.1, 0.9, 90), Note(74, 3.0, 4.5, 70), Note(76, 7.5, 9.0, 50)], program=73, name="flute")
    drums = Track([Note(38, 1.0, 1.1, 120), Note(38, 8.0, 8.2, 100)], is_drum=True, name="drums")
    song = Song(
        tracks=[melody, drums], tempos=[TempoChange(0, 100)],
        time_signatures=[TimeSignature(0, 3, 4), TimeSignature(6, 6, 8)],
    )
    decoded = tokens.decode(tokens.encode(song))
    assert notes_by_track(decoded) == notes_by_track(quantize(song))
    assert [(t.program, t.is_drum) for t in decoded.tracks] == [(73, False), (0, True)]
    assert [(s.beat, s.numerator, s.denominator) for s in decoded.time_signatures] == [(0, 3, 4), (6, 6, 8)]
    assert decoded.tempo == 100


def test_uncommon_meter_becomes_barsteps_and_keeps_the_bar_length():
    song = Song(tracks=[Track([Note(60, 0, 1), Note(62, 5.5, 6)])], time_signatures=[TimeSignature(0, 11, 8)])
    ids = tokens.encode(song)
    assert "BarSteps_22" in tokens.names(ids)  # 11/8 = 5.5 beats = 22 sixteenths
    decoded = tokens.decode(ids)
    assert decoded.time_signatures[0].bar_length == 5.5
    assert notes_by_track(decoded) == notes_by_track(quantize(song))
    assert decoded.bar_starts() == [0.0, 5.5]


def test_remi_rejects_a_bar_longer_than_its_positions():
    song = Song(tracks=[Track([Note(60, 0, 1)])], time_signatures=[TimeSignature(0, 40, 4)])
    with pytest.raises(InvalidArgumentError, match="longer than"):
        tokens.encode(song)


song_strategy = st.builds(
    lambda tracks, bpm: Song(tracks=tracks, tempos=[TempoChange(0, bpm)]),
    st.lists(
        st.builds(
            lambda notes, program, drum: Track(notes, program=program, is_drum=drum),
            st.lists(
                st.builds(
                    lambda pitch, start, length, velocity: Note(pitch, start, start + length, velocity),
                    st.integers(0, 127), st.floats(0, 40, allow_nan=False), st.floats(0.01, 30), st.integers(1, 127),
                ),
                max_size=12,
            ),
            st.integers(0, 127), st.booleans(),
        ),
        min_size=1, max_size=3,
    ),
    st.sampled_from([60.0, 100.0, 120.0, 180.0]),
)


@settings(max_examples=60, deadline=None)
@given(song_strategy)
def test_remi_round_trip_property(song):
    decoded = tokens.decode(tokens.encode(song))
    assert notes_by_track(decoded) == notes_by_track(quantize(song))


def test_decode_never_fails_on_random_tokens():
    generator = random.Random(0)
    for _ in range(50):
        ids = [generator.randrange(len(tokens.REMI_VOCABULARY)) for _ in range(200)]
        song = tokens.decode(ids)
        assert all(0 <= n.pitch <= 127 and n.end > n.start for n in song.notes)


def test_transpose_remi_moves_pitches_not_drums():
    song = Song(tracks=[Track([Note(60, 0, 1)]), Track([Note(36, 0, 1)], is_drum=True)])
    moved = tokens.transpose_remi(tokens.encode(song), 5)
    assert [(t.is_drum, [n.pitch for n in t.notes]) for t in tokens.decode(moved).tracks] == [(False, [65]), (True, [36])]
    assert tokens.transpose_remi(tokens.encode(song), 100) is None  # 160 is not a MIDI pitch


def satb(soprano, alto, tenor, bass):
    return Song(tracks=[Track(notes, program=52, name=name)
                        for notes, name in zip((soprano, alto, tenor, bass), tokens.CHORALE_VOICES)])


def test_chorale_tokens_worked_by_hand():
    song = satb([Note(72, 0, 1)], [Note(67, 0, 0.5)], [Note(64, 0, 1)], [Note(48, 0, 1)])
    rest = tokens.CHORALE_REST
    assert tokens.encode(song, "jsb_chorale") == [
        72, 67, 64, 48,  # step 0: soprano, alto, tenor, bass
        72, 67, 64, 48,  # step 1: every voice holds (the held pitch repeats)
        72, rest, 64, 48,  # step 2: the alto has stopped
        72, rest, 64, 48,
    ]


def test_chorale_round_trip_and_its_documented_loss():
    song = satb([Note(72, 0, 1), Note(74, 1, 2)], [Note(67, 0, 2)], [Note(64, 0.5, 2)], [Note(48, 0, 1), Note(43, 1, 2)])
    decoded = tokens.decode(tokens.encode(song, "jsb_chorale"), "jsb_chorale")
    assert notes_by_track(decoded, velocity_bins=False) == notes_by_track(song, velocity_bins=False)
    assert [t.name for t in decoded.tracks] == ["Soprano", "Alto", "Tenor", "Bass"]
    # The same pitch struck twice in a row cannot be told from one held note: decoding joins them.
    repeated = satb([Note(72, 0, 1), Note(72, 1, 2)], [Note(67, 0, 2)], [Note(64, 0, 2)], [Note(48, 0, 2)])
    soprano = tokens.decode(tokens.encode(repeated, "jsb_chorale"), "jsb_chorale").tracks[0].notes
    assert [(n.pitch, n.start, n.end) for n in soprano] == [(72, 0, 2)]


def test_chorale_encoding_needs_four_voices():
    with pytest.raises(InvalidArgumentError, match="4 tracks"):
        tokens.encode(Song(tracks=[Track([Note(60, 0, 1)])]), "jsb_chorale")


def test_unknown_encoding_is_a_clear_error():
    with pytest.raises(InvalidArgumentError, match="remi, jsb_chorale"):
        tokens.encode(Song(), "midi-like")


def test_vocabularies_have_unique_names():
    for encoding in tokens.ENCODINGS:
        words = tokens.vocabulary(encoding)
        assert len(words) == len(set(words))
    assert tokens.vocabulary("jsb_chorale")[tokens.CHORALE_REST] == "Rest"
