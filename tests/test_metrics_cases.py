"""Hand-made songs with answers worked out on paper: a C major scale, empty bars, a chromatic cluster,
drum loops, and the metrics MusPy lacks (qualified notes, pitch classes per bar, tonal distance)."""

import math

import pytest

from deepcomposer_edu import metrics
from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.music import Note, Song, TimeSignature, Track

C_MAJOR = [60, 62, 64, 65, 67, 69, 71, 72]  # C4 D E F G A B C5


def c_major_scale() -> Song:
    return Song(tracks=[Track([Note(p, i, i + 1) for i, p in enumerate(C_MAJOR)])])


def test_c_major_scale():
    song = c_major_scale()
    assert metrics.pitch_range(song) == 12
    assert metrics.n_pitches_used(song) == 8
    assert metrics.n_pitch_classes_used(song) == 7
    assert metrics.pitch_entropy(song) == pytest.approx(3.0)  # 8 pitches, once each: log2(8)
    # C twice (2/8), six others once (1/8): -(1/4 log2 1/4 + 6/8 log2 1/8) = 1/2 + 9/4
    assert metrics.pitch_class_entropy(song) == pytest.approx(2.75)
    assert metrics.polyphony(song) == 1.0
    assert metrics.polyphony_rate(song) == 0.0
    assert metrics.pitch_in_scale_rate(song, root=0, mode="major") == 1.0
    assert metrics.pitch_in_scale_rate(song, root=7, mode="major") == pytest.approx(7 / 8)  # F is not in G major
    assert metrics.pitch_in_scale_rate(song, root=9, mode="minor") == 1.0  # A minor: same notes
    assert metrics.scale_consistency(song) == 1.0
    assert metrics.empty_beat_rate(song) == 0.0
    assert metrics.empty_bar_rate(song) == 0.0
    assert metrics.groove_consistency(song) == 1.0  # both bars: onsets on beats 1, 2, 3, 4
    assert metrics.qualified_note_rate(song) == 1.0
    assert metrics.pitch_classes_per_bar(song) == 4.0  # C D E F | G A B C
    assert math.isnan(metrics.tonal_distance(song))  # one track: nothing to compare
    assert math.isnan(metrics.drum_pattern_consistency(song))


def test_an_empty_bar_in_the_middle_counts_as_empty():
    song = Song(tracks=[Track([Note(60, 0, 4), Note(64, 8, 12)])])  # whole note, silent bar, whole note
    assert metrics.empty_bar_rate(song) == pytest.approx(1 / 3)
    assert metrics.empty_beat_rate(song) == pytest.approx(4 / 12)


def test_a_note_held_over_the_bar_line_fills_both_bars():
    song = Song(tracks=[Track([Note(60, 2, 6), Note(64, 12, 16)])])  # bars 1, 2 filled; 3 empty; 4 filled
    assert metrics.empty_bar_rate(song) == pytest.approx(1 / 4)


def test_a_drum_hit_fills_a_bar_too():
    melody = Track([Note(60, 0, 4), Note(64, 8, 12)])
    drums = Track([Note(38, 5, 5.25)], is_drum=True)
    assert metrics.empty_bar_rate(Song(tracks=[melody, drums])) == 0.0


def test_empty_bar_rate_follows_meter_changes():
    # 4/4 then 3/4 from beat 4: bars [0,4) [4,7) [7,10). The first note ends exactly on the bar line at 4.
    song = Song(
        tracks=[Track([Note(60, 0, 4), Note(62, 7, 10)])],
        time_signatures=[TimeSignature(0, 4, 4), TimeSignature(4, 3, 4)],
    )
    assert metrics.empty_bar_rate(song) == pytest.approx(1 / 3)
    song_68 = Song(tracks=[Track([Note(60, 0, 1), Note(60, 6, 7)])], time_signatures=[TimeSignature(0, 6, 8)])
    assert metrics.empty_bar_rate(song_68) == pytest.approx(1 / 3)  # 6/8 bars are 3 beats: [0,3) [3,6) [6,9)


def test_chromatic_cluster():
    song = Song(tracks=[Track([Note(p, 0, 4) for p in range(60, 72)])])  # all 12 pitches held for a bar
    assert metrics.pitch_range(song) == 11
    assert metrics.n_pitches_used(song) == 12
    assert metrics.n_pitch_classes_used(song) == 12
    assert metrics.pitch_entropy(song) == pytest.approx(math.log2(12))
    assert metrics.pitch_class_entropy(song) == pytest.approx(math.log2(12))
    assert metrics.polyphony(song) == 12.0
    assert metrics.polyphony_rate(song) == 1.0
    assert metrics.polyphony_rate(song, min_pitches=13) == 0.0
    assert metrics.scale_consistency(song) == pytest.approx(7 / 12)  # any scale holds 7 of the 12
    assert metrics.pitch_classes_per_bar(song) == 12.0


def test_polyphony_weighs_time_and_counts_a_doubled_pitch_once():
    # C held 0-4; E joins 2-4; a second track doubles C 0-2. Distinct pitches: 1 for 2 beats, 2 for 2 beats.
    song = Song(tracks=[Track([Note(60, 0, 4), Note(64, 2, 4)]), Track([Note(60, 0, 2)])])
    assert metrics.polyphony(song) == pytest.approx(1.5)
    assert metrics.polyphony_rate(song) == pytest.approx(0.5)


def drum_loop(offbeat: float) -> Song:
    """Two bars: kick on 1 and 3, snare on 2 and 4, hi-hat on each beat and at `offbeat` after it."""
    hits = []
    for beat in range(8):
        hits.append(Note(36 if beat % 2 == 0 else 38, beat, beat + 0.25))
        hits.append(Note(42, beat, beat + 0.1))
        hits.append(Note(42, beat + offbeat, beat + offbeat + 0.1))
    return Song(tracks=[Track(hits, is_drum=True)])


def test_straight_drum_loop():
    song = drum_loop(offbeat=0.5)
    assert metrics.drum_in_pattern_rate(song, "duple") == 1.0
    assert metrics.drum_in_pattern_rate(song, "triple") == pytest.approx(16 / 24)  # the 8th-note hi-hats miss
    assert metrics.drum_pattern_consistency(song) == 1.0
    assert metrics.groove_consistency(song) == 1.0
    assert metrics.empty_bar_rate(song) == 0.0
    assert metrics.n_pitches_used(song) == 0  # drums are not pitches
    assert math.isnan(metrics.pitch_entropy(song))


def test_swung_drum_loop_is_in_the_triplet_pattern():
    song = drum_loop(offbeat=2 / 3)
    assert metrics.drum_in_pattern_rate(song, "duple") == pytest.approx(16 / 24)
    assert metrics.drum_in_pattern_rate(song, "triple") == 1.0
    assert metrics.drum_pattern_consistency(song) == 1.0


def test_sloppy_drums_are_out_of_pattern():
    song = drum_loop(offbeat=0.45)  # neither a 16th nor a triplet
    assert metrics.drum_pattern_consistency(song) == pytest.approx(16 / 24)


def test_groove_consistency_counts_changed_onsets():
    # bar 1: onsets on beats 0,1,2,3; bar 2: 0,1,2 and 3.5 -> two of 16 grid steps differ (4 steps per beat).
    song = Song(tracks=[Track([Note(60, b, b + 0.5) for b in [0, 1, 2, 3, 4, 5, 6, 7.5]])])
    assert metrics.groove_consistency(song, steps_per_beat=4) == pytest.approx(1 - 2 / 16)


def test_groove_consistency_across_a_meter_change_compares_over_the_longer_bar():
    song = Song(
        tracks=[Track([Note(60, b, b + 1) for b in [0, 1, 2, 3, 4, 5, 6]])],
        time_signatures=[TimeSignature(0, 4, 4), TimeSignature(4, 3, 4)],
    )
    assert metrics.groove_consistency(song, steps_per_beat=4) == pytest.approx(1 - 1 / 16)  # beat 4 missing


def test_qualified_note_rate_uses_a_32nd_note():
    notes = [Note(60, 0, 1 / 8), Note(62, 1, 1 + 1 / 16), Note(64, 2, 2 + 1 / 24), Note(65, 3, 4)]
    drums = Track([Note(42, 0, 0.01)], is_drum=True)  # drum hits are short by nature: not counted
    song = Song(tracks=[Track(notes), drums])
    assert metrics.qualified_note_rate(song) == pytest.approx(2 / 4)  # the 32nd and the quarter qualify


def test_pitch_classes_per_bar_skips_empty_bars_and_counts_held_notes():
    notes = [Note(60, 0, 2), Note(64, 0, 2), Note(67, 2, 6), Note(74, 4, 5), Note(69, 12, 13)]
    song = Song(tracks=[Track(notes)])
    # bar 1 {C, E, G}; bar 2 {G (held), D}; bar 3 empty; bar 4 {A}: (3 + 2 + 1) / 3
    assert metrics.pitch_classes_per_bar(song) == pytest.approx(2.0)


def test_tonal_distance_hand_worked():
    # Harte et al.'s centroid of a lone pitch class p: (sin, cos)(7πp/6), (sin, cos)(3πp/2), 0.5 (sin, cos)(2πp/3)
    # C (p=0): (0, 1, 0, 1, 0, 0.5); F# (p=6): (0, -1, 0, -1, 0, 0.5). Distance: sqrt(2² + 2²) = 2√2.
    c = Track([Note(60, b, b + 1) for b in range(4)])
    f_sharp = Track([Note(66, b, b + 1) for b in range(4)])
    assert metrics.tonal_distance(Song(tracks=[c, f_sharp])) == pytest.approx(2 * math.sqrt(2))
    c_low = Track([Note(48, 0, 4)])
    assert metrics.tonal_distance(Song(tracks=[c, c_low])) == pytest.approx(0.0)  # octaves do not matter
    # half a beat of C then half of F#: chroma (0.5, 0.5) -> centroid (0, 0, 0, 0, 0, 0.5); against C: √2
    mixed = Track([Note(60, b, b + 0.5) for b in range(4)] + [Note(66, b + 0.5, b + 1) for b in range(4)])
    assert metrics.tonal_distance(Song(tracks=[c, mixed])) == pytest.approx(math.sqrt(2))
    # three tracks: pairs (C, C) = 0, (C, F#) = 2√2 twice
    assert metrics.tonal_distance(Song(tracks=[c, c_low, f_sharp])) == pytest.approx(4 * math.sqrt(2) / 3)


def test_tonal_distance_only_compares_beats_where_both_tracks_sound():
    first = Track([Note(60, 0, 2)])
    second = Track([Note(66, 2, 4)])
    assert math.isnan(metrics.tonal_distance(Song(tracks=[first, second])))
    drums = Track([Note(66, 0, 2)], is_drum=True)
    assert math.isnan(metrics.tonal_distance(Song(tracks=[first, drums])))


def test_an_empty_song_gives_nan_or_zero_never_an_error():
    values = metrics.compute_metrics(Song())
    counts = {"pitch_range", "n_pitches_used", "n_pitch_classes_used"}
    for name, value in values.items():
        assert (value == 0) if name in counts else math.isnan(value), name


def test_bad_scale_or_meter_names_are_clear_errors():
    with pytest.raises(InvalidArgumentError, match="dorian"):
        metrics.pitch_in_scale_rate(c_major_scale(), 0, "dorian")
    with pytest.raises(InvalidArgumentError, match="waltz"):
        metrics.drum_in_pattern_rate(c_major_scale(), "waltz")


def test_every_metric_has_a_unit_and_a_meaning():
    for metric in metrics.METRICS.values():
        assert metric.unit and metric.meaning
        assert metric.function.__doc__.strip()
