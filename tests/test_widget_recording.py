"""Played note events to a quantised Song (deepcomposer_edu/widgets/recording.py), worked out by hand.

At 120 BPM a beat lasts 500 ms, so ms / 500 = beats; on a grid of 4 steps per beat a step is 0.25 beats.
"""

import pytest

from deepcomposer_edu.errors import DeepComposerError, InvalidArgumentError
from deepcomposer_edu.widgets.recording import NoteEvent, events_to_song, ms_to_beats, quantize_events


def triples(song):
    return [(n.pitch, n.start, n.end) for n in song.notes]


def test_milliseconds_become_beats_at_the_tempo():
    assert ms_to_beats(500, 120) == 1.0
    assert ms_to_beats(1000, 90) == 1.5
    assert ms_to_beats(-250, 120) == -0.5


def test_played_timing_snaps_to_the_nearest_sixteenth():
    events = [NoteEvent(60, 80, 510, 740), NoteEvent(62, 80, 1010, 1480), NoteEvent(64, 80, 1620, 2130)]
    # 1.02..1.48 -> 1.0..1.5; 2.02..2.96 -> 2.0..3.0; 3.24..4.26 -> 3.25..4.25
    assert triples(events_to_song(events, tempo=120)) == [(60, 1.0, 1.5), (62, 2.0, 3.0), (64, 3.25, 4.25)]


def test_a_coarser_grid_moves_notes_further():
    events = [NoteEvent(60, 80, 620, 1100)]  # 1.24..2.2 beats
    assert triples(events_to_song(events, tempo=120, steps_per_beat=1)) == [(60, 1.0, 2.0)]
    assert triples(events_to_song(events, tempo=120, steps_per_beat=2)) == [(60, 1.0, 2.0)]
    assert triples(events_to_song(events, tempo=120, steps_per_beat=4)) == [(60, 1.25, 2.25)]


def test_no_grid_keeps_the_timing_as_played():
    song = events_to_song([NoteEvent(60, 80, 510, 740)], tempo=120, steps_per_beat=None)
    assert song.notes[0].start == pytest.approx(1.02) and song.notes[0].end == pytest.approx(1.48)


def test_a_very_short_note_keeps_one_step():
    song = events_to_song([NoteEvent(62, 80, 1000, 1020)], tempo=120)  # 2.0..2.04 snaps to 2.0..2.0
    assert triples(song) == [(62, 2.0, 2.25)]


def test_the_count_in_is_not_recorded_but_an_early_note_is():
    events = [
        NoteEvent(64, 80, -900, -600),  # during the count-in: dropped
        NoteEvent(65, 80, -40, 480),  # a little early for beat 0: 0..1
        NoteEvent(67, 80, -400, 300),  # held across beat 0: only the part after it, 0..0.5
    ]
    assert triples(events_to_song(events, tempo=120)) == [(65, 0.0, 1.0), (67, 0.0, 0.5)]


def test_nothing_reaches_past_the_last_bar():
    events = [NoteEvent(69, 80, 1900, 2600), NoteEvent(71, 80, 2100, 2300)]  # 3.8..5.2, 4.2..4.6 beats
    song = events_to_song(events, tempo=120, bars=1)  # one 4/4 bar: beats 0..4
    assert triples(song) == [(69, 3.75, 4.0)]
    three_four = events_to_song([NoteEvent(60, 80, 1250, 2000)], tempo=120, time_signature=(3, 4), bars=1)
    assert triples(three_four) == [(60, 2.5, 3.0)]


def test_one_key_never_sounds_twice_at_once():
    events = [NoteEvent(60, 80, 0, 600), NoteEvent(60, 90, 500, 900), NoteEvent(62, 80, 0, 600)]
    # 0..1.25 and 1.0..1.75 overlap on the same key: the first ends where the second starts
    assert triples(events_to_song(events, tempo=120)) == [(60, 0.0, 1.0), (62, 0.0, 1.25), (60, 1.0, 1.75)]
    twice = events_to_song([NoteEvent(60, 70, 0, 500), NoteEvent(60, 90, 10, 480)], tempo=120)
    assert [(n.pitch, n.start, n.end, n.velocity) for n in twice.notes] == [(60, 0.0, 1.0, 90)]


def test_events_in_beats_and_the_widgets_dicts():
    from_beats = events_to_song([NoteEvent(60, 80, 0.98, 2.1)], unit="beats", tempo=75)
    assert triples(from_beats) == [(60, 1.0, 2.0)]
    widget_note = {"pitch": 72, "velocity": 101, "start_ms": 250.0, "end_ms": 500.0, "start": 0.5, "end": 1.0}
    assert triples(events_to_song([widget_note], unit="ms", tempo=120)) == [(72, 0.5, 1.0)]
    assert triples(events_to_song([widget_note], unit="beats", tempo=60)) == [(72, 0.5, 1.0)]


def test_the_song_carries_tempo_meter_velocity_and_title():
    song = events_to_song([NoteEvent(60, 0, 0, 500), NoteEvent(61, 300, 500, 1000)], tempo=96,
                          time_signature=(6, 8), title="take 1", program=40)
    assert song.tempo == 96 and (song.time_signature.numerator, song.time_signature.denominator) == (6, 8)
    assert [n.velocity for n in song.notes] == [1, 127]  # clamped into MIDI's 1..127
    assert song.title == "take 1" and song.tracks[0].program == 40 and len(song.tracks) == 1


def test_quantize_events_returns_notes_in_time_order():
    notes = quantize_events([NoteEvent(64, 80, 2.0, 3.0), NoteEvent(60, 80, 0.1, 0.9)], steps_per_beat=4)
    assert [(n.pitch, n.start) for n in notes] == [(60, 0.0), (64, 2.0)]


@pytest.mark.parametrize(
    "events, settings, words",
    [
        ([NoteEvent(128, 80, 0, 100)], {}, "pitch must be 0..127"),
        ([NoteEvent(60, 80, 500, 100)], {}, "end must be a number not before start"),
        ([NoteEvent(60, 80, 0, float("nan"))], {}, "end must be a number"),
        ([{"pitch": 60, "velocity": 80, "start_ms": 0}], {}, "end_ms"),
        ([], {"unit": "seconds"}, "unit must be 'ms' or 'beats'"),
        ([], {"tempo": 0}, "tempo must be positive"),
        ([], {"steps_per_beat": 0}, "steps_per_beat must be 1 or more"),
    ],
)
def test_bad_events_and_settings_are_named(events, settings, words):
    with pytest.raises(InvalidArgumentError) as caught:
        events_to_song(events, **settings)
    assert words in str(caught.value)
    assert isinstance(caught.value, DeepComposerError)
