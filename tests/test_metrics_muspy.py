"""Our metrics agree with MusPy 0.5, an independent implementation, on the same songs.

Each Song is converted to a `muspy.Music` at 24 ticks per beat; every note time in these songs is a whole
number of ticks, so both libraries see exactly the same music. Where MusPy treats a note's end as part of
the note (its beat- and bar-based metrics), we compare against MusPy fed notes one tick shorter, and show
in tests/test_metrics_cases.py with hand-worked cases why the unshortened MusPy answer is wrong.
"""

import math
import random

import pytest

muspy = pytest.importorskip("muspy")

from deepcomposer_edu import metrics  # noqa: E402
from deepcomposer_edu.music import Note, Song, TimeSignature, Track  # noqa: E402

TICKS = 24  # per beat


def to_muspy(song: Song, end_exclusive: bool = False) -> "muspy.Music":
    """The same music as a muspy.Music; `end_exclusive` shortens every note by one tick (see module docstring)."""
    cut = 1 if end_exclusive else 0
    tracks = [
        muspy.Track(
            program=track.program,
            is_drum=track.is_drum,
            notes=[
                muspy.Note(
                    time=round(n.start * TICKS),
                    pitch=n.pitch,
                    duration=max(round((n.end - n.start) * TICKS) - cut, 0),
                    velocity=n.velocity,
                )
                for n in track.notes
            ],
        )
        for track in song.tracks
    ]
    sig = song.time_signature
    return muspy.Music(
        resolution=TICKS,
        tracks=tracks,
        time_signatures=[muspy.TimeSignature(time=0, numerator=sig.numerator, denominator=sig.denominator)],
    )


def random_song(seed: int) -> Song:
    """A song of 1-3 tracks (maybe one of drums) on a 16th, triplet or mixed grid, with rests and chords."""
    rng = random.Random(seed)
    numerator, denominator = rng.choice([(4, 4), (3, 4), (6, 8), (2, 4), (5, 4)])
    grid = rng.choice([1 / 4, 1 / 3, 1 / 6, 1 / 2, 1 / 12])
    tracks = []
    for index in range(rng.randint(1, 3)):
        is_drum = index == 2 or (index == 1 and rng.random() < 0.3)
        low = rng.randint(36, 70)
        notes = []
        t = rng.randint(0, 8) * grid
        for _ in range(rng.randint(1, 40)):
            pitch = rng.randint(35, 81) if is_drum else rng.randint(low, low + rng.choice([0, 5, 12, 24]))
            length = rng.choice([1, 1, 2, 3, 4, 6, 8, 12]) * grid
            notes.append(Note(pitch, t, t + length, rng.randint(30, 120)))
            if rng.random() < 0.3:  # a chord tone, maybe of a different length
                notes.append(Note(min(pitch + rng.randint(1, 12), 127), t, t + rng.choice([1, 2, 4]) * grid))
            t += rng.choice([0, 1, 1, 2, 2, 3, 4, 8, 16]) * grid  # 0: overlapping notes
        tracks.append(Track(notes, program=rng.randint(0, 127), is_drum=is_drum))
    return Song(tracks=tracks, time_signatures=[TimeSignature(0, numerator, denominator)])


def hand_built_songs() -> list[Song]:
    scale = Track([Note(p, i, i + 1) for i, p in enumerate([60, 62, 64, 65, 67, 69, 71, 72])])
    cluster = Track([Note(p, 0, 4) for p in range(60, 72)])
    drums = Track([Note(36, b, b + 0.25) for b in range(8)] + [Note(42, b / 2, b / 2 + 1 / 12) for b in range(16)], is_drum=True)
    gap = Track([Note(60, 0, 4), Note(64, 8, 12)])
    doubled = [Track([Note(60, 0, 2), Note(67, 1, 3)]), Track([Note(60, 1, 4)], program=40)]
    return [
        Song(tracks=[scale]),
        Song(tracks=[cluster]),
        Song(tracks=[scale, drums]),
        Song(tracks=[gap]),
        Song(tracks=doubled),
        Song(tracks=[Track([Note(60, 0.5, 1.25)]), drums], time_signatures=[TimeSignature(0, 3, 4)]),
    ]


SONGS = hand_built_songs() + [random_song(seed) for seed in range(60)]


def same(ours: float, theirs: float) -> bool:
    if math.isnan(ours) or math.isnan(theirs):
        return math.isnan(ours) and math.isnan(theirs)
    return ours == pytest.approx(theirs, abs=1e-9)


def has_pitched_notes(song: Song) -> bool:
    return any(not t.is_drum and t.notes for t in song.tracks)


@pytest.mark.parametrize("ours, theirs", [
    (metrics.n_pitches_used, muspy.n_pitches_used),
    (metrics.n_pitch_classes_used, muspy.n_pitch_classes_used),
    (metrics.pitch_entropy, muspy.pitch_entropy),
    (metrics.pitch_class_entropy, muspy.pitch_class_entropy),
    (metrics.polyphony, muspy.polyphony),
    (metrics.scale_consistency, muspy.scale_consistency),
    (metrics.drum_pattern_consistency, muspy.drum_pattern_consistency),
])
def test_agrees_with_muspy(ours, theirs):
    for index, song in enumerate(SONGS):
        assert same(ours(song), theirs(to_muspy(song))), f"song {index}: ours {ours(song)}, muspy {theirs(to_muspy(song))}"


def test_pitch_range_agrees_with_muspy_whenever_there_are_pitched_notes():
    checked = [song for song in SONGS if has_pitched_notes(song)]
    assert len(checked) > 50
    for song in checked:
        assert metrics.pitch_range(song) == muspy.pitch_range(to_muspy(song))


@pytest.mark.parametrize("root, mode", [(0, "major"), (7, "major"), (9, "minor"), (2, "minor"), (11, "major")])
def test_pitch_in_scale_rate_agrees_with_muspy(root, mode):
    for song in SONGS:
        assert same(metrics.pitch_in_scale_rate(song, root, mode), muspy.pitch_in_scale_rate(to_muspy(song), root, mode))


@pytest.mark.parametrize("meter", ["duple", "triple"])
def test_drum_in_pattern_rate_agrees_with_muspy(meter):
    for song in SONGS:
        assert same(metrics.drum_in_pattern_rate(song, meter), muspy.drum_in_pattern_rate(to_muspy(song), meter))


@pytest.mark.parametrize("threshold", [0, 1, 2, 3])
def test_polyphony_rate_is_muspy_with_threshold_one_less(threshold):
    # MusPy counts time steps with MORE than `threshold` pitches; ours, with AT LEAST `min_pitches`.
    for song in SONGS:
        ours = metrics.polyphony_rate(song, min_pitches=threshold + 1)
        assert same(ours, muspy.polyphony_rate(to_muspy(song), threshold=threshold))


def test_empty_beat_rate_agrees_with_muspy_given_exclusive_note_ends():
    for song in SONGS:
        assert same(metrics.empty_beat_rate(song), muspy.empty_beat_rate(to_muspy(song, end_exclusive=True)))


def test_empty_bar_rate_agrees_with_muspy_empty_measure_rate_given_exclusive_note_ends():
    for song in SONGS:
        bar_ticks = round(song.time_signature.bar_length * TICKS)
        theirs = muspy.empty_measure_rate(to_muspy(song, end_exclusive=True), bar_ticks)
        assert same(metrics.empty_bar_rate(song), theirs)


def test_groove_consistency_agrees_with_muspy_given_exclusive_note_ends():
    for song in SONGS:
        bar_ticks = round(song.time_signature.bar_length * TICKS)
        theirs = muspy.groove_consistency(to_muspy(song, end_exclusive=True), bar_ticks)
        assert same(metrics.groove_consistency(song, steps_per_beat=TICKS), theirs)


def test_the_random_songs_exercise_every_case():
    """Guard against a generator so tame that the agreement above would prove little."""
    values = {name: [metrics.METRICS[name].function(s) for s in SONGS] for name in metrics.METRICS}
    assert 0 < sum(v > 0 for v in values["empty_beat_rate"]) < len(SONGS)
    assert 0 < sum(v > 0 for v in values["empty_bar_rate"]) < len(SONGS)
    assert sum(v > 0 for v in values["polyphony_rate"]) > 10
    assert sum(not math.isnan(v) for v in values["drum_pattern_consistency"]) > 10
    assert sum(0 < v < 1 for v in values["drum_pattern_consistency"]) > 3
    assert sum(0 < v < 1 for v in values["groove_consistency"]) > 10
    assert len({s.time_signature.bar_length for s in SONGS}) >= 4


# --- Where MusPy 0.5 is wrong (hand-worked; see docs/metrics.md) ------------------------------------------


def test_muspy_counts_the_bar_after_a_note_ending_on_the_bar_line_as_filled():
    # bar 1: a whole note (beats 0-4); bar 2: silence; bar 3: a whole note (beats 8-12). One bar of three is empty.
    song = Song(tracks=[Track([Note(60, 0, 4), Note(64, 8, 12)])])
    assert metrics.empty_bar_rate(song) == pytest.approx(1 / 3)
    assert muspy.empty_measure_rate(to_muspy(song), 4 * TICKS) == 0.0  # the silent bar is counted as filled


def test_muspy_counts_the_beat_after_a_note_as_filled():
    # quarter notes on beats 0 and 2 of a 3-beat song: beat 1 is silent.
    song = Song(tracks=[Track([Note(60, 0, 1), Note(62, 2, 3)])])
    assert metrics.empty_beat_rate(song) == pytest.approx(1 / 3)
    assert muspy.empty_beat_rate(to_muspy(song)) == 0.0


def test_muspy_adds_an_empty_bar_after_a_song_that_ends_on_a_bar_line():
    # two bars of identical quarter notes: the rhythm never changes, so groove consistency is 1.
    song = Song(tracks=[Track([Note(60, beat, beat + 1) for beat in range(8)])])
    assert metrics.groove_consistency(song, steps_per_beat=TICKS) == 1.0
    # MusPy compares bar 2 with a phantom third bar: 4 differing onsets of 96 steps, averaged over 2 pairs.
    assert muspy.groove_consistency(to_muspy(song), 4 * TICKS) == pytest.approx(1 - 4 / 192)


def test_muspy_pitch_range_of_a_drums_only_song_is_negative():
    song = Song(tracks=[Track([Note(36, 0, 1), Note(38, 1, 2)], is_drum=True)])
    assert metrics.pitch_range(song) == 0
    assert muspy.pitch_range(to_muspy(song)) == -127  # lowest starts at 127, highest at 0, no pitched note


def test_muspy_default_polyphony_rate_ignores_two_note_intervals():
    # a sustained fifth: two pitches sound all the time. MusPy's docstring says "multiple pitches", but its
    # default threshold=2 counts only steps with MORE than two pitches.
    song = Song(tracks=[Track([Note(60, 0, 4), Note(67, 0, 4)])])
    assert metrics.polyphony_rate(song) == 1.0
    assert muspy.polyphony_rate(to_muspy(song)) == 0.0
