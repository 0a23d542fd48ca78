"""The Markov melody chain (deepcomposer_edu/models/markov.py) and its composer (deepcomposer_edu/composers.py)."""

import pytest
import torch

from deepcomposer_edu.composers import MODEL_TYPES, melody_of, settings_for
from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.models.markov import MarkovConfig, MarkovMelody, event_id, event_parts, melody_events
from deepcomposer_edu.music import Note, Song, TimeSignature, Track

CONFIG = MarkovConfig(order=2)


def melody(*rows):
    return torch.tensor(rows, dtype=torch.long).reshape(len(rows), 3)


def parts(events):
    return [(event_parts(CONFIG, event), position) for event, position in events]


def test_event_ids_round_trip_for_notes_and_rests():
    for interval in (None, -12, -1, 0, 5, 12):
        for duration in (1, 7, 16):
            assert event_parts(CONFIG, event_id(CONFIG, interval, duration)) == (interval, duration)


def test_a_melody_becomes_intervals_durations_rests_and_bar_positions():
    # C D E(half) | rest, C, G(held 40 steps): worked by hand, 16 steps a bar
    tune = melody((60, 0, 4), (62, 4, 4), (64, 8, 8), (60, 20, 4), (67, 24, 40))
    assert parts(melody_events(CONFIG, tune, 16)) == [
        ((0, 4), 0), ((2, 4), 4), ((2, 8), 8), ((None, 4), 0), ((-4, 4), 4), ((7, 16), 8),
    ]


def test_long_rests_are_split_and_wide_leaps_clipped_to_an_octave():
    tune = melody((60, 0, 2), (79, 22, 2))  # a 20-step gap, then a leap of 19 semitones
    assert parts(melody_events(CONFIG, tune, 16)) == [((0, 2), 0), ((None, 16), 2), ((None, 4), 2), ((12, 2), 6)]


def test_counts_are_per_context_and_bar_position():
    config = MarkovConfig(order=1)
    tune = melody((60, 0, 4), (62, 4, 4), (60, 8, 4), (62, 12, 4))  # C D C D, quarter notes
    model = MarkovMelody.fit(config, [(tune, 16), (tune, 16)])
    tensors = model.state_dict()
    up, down, first = event_id(config, 2, 4), event_id(config, -2, 4), event_id(config, 0, 4)
    order0 = {tuple(c): (n, k) for c, n, k in zip(tensors["contexts_0"].tolist(), tensors["next_0"].tolist(),
                                                  tensors["counts_0"].tolist())}
    assert order0 == {(0,): (first, 2), (4,): (up, 2), (8,): (down, 2), (12,): (up, 2)}
    order1 = {tuple(c): (n, k) for c, n, k in zip(tensors["contexts_1"].tolist(), tensors["next_1"].tolist(),
                                                  tensors["counts_1"].tolist())}
    assert order1 == {(config.start, 0): (first, 2), (first, 4): (up, 2), (up, 8): (down, 2), (down, 12): (up, 2)}
    assert tensors["start_pitches"][60] == 2 and tensors["start_pitches"].sum() == 2
    assert tensors["pitch_range"].tolist() == [60, 62]


def test_a_chain_with_one_continuation_everywhere_gives_back_its_melody():
    tune = melody((60, 0, 4), (62, 4, 2), (64, 6, 2), (65, 8, 8), (64, 16, 4), (60, 20, 12))
    model = MarkovMelody.fit(CONFIG, [(tune, 16)])
    sampled = model.sample(32, 16, torch.Generator().manual_seed(5))
    assert sampled.tolist() == tune.tolist()


def test_back_off_finds_a_continuation_when_the_long_context_leads_nowhere():
    # After C D the only continuation seen (orders 2 and 1) is an 8-step E, which does not fit in the 4
    # steps left. Order 0 at bar position 8 has also seen a 4-step step up (bar 2): the chain must take it,
    # where without back-off it would rest and hold the D.
    tune = melody((60, 0, 4), (62, 4, 4), (64, 8, 8), (62, 16, 4), (60, 20, 4), (62, 24, 4), (60, 28, 4))
    model = MarkovMelody.fit(CONFIG, [(tune, 16)])
    for seed in range(10):
        assert model.sample(12, 16, torch.Generator().manual_seed(seed)).tolist() == [[60, 0, 4], [62, 4, 4], [64, 8, 4]]


def test_low_temperature_picks_the_most_common_continuation():
    common = melody((60, 0, 4), (62, 4, 4), (64, 8, 8))
    rare = melody((60, 0, 4), (59, 4, 4), (57, 8, 8))
    model = MarkovMelody.fit(CONFIG, [(common, 16)] * 9 + [(rare, 16)])
    for seed in range(20):
        assert model.sample(16, 16, torch.Generator().manual_seed(seed), temperature=0.05)[1, 0] == 62


def test_samples_stay_in_range_fill_the_length_exactly_and_never_overlap():
    tunes = [melody((60 + i, 0, 2), (64 + i, 2, 3), (67 + i, 5, 3), (72 + i, 8, 4), (71 + i, 12, 2), (60 + i, 14, 2))
             for i in range(5)]
    model = MarkovMelody.fit(MarkovConfig(order=3), [(t, 16) for t in tunes])
    low, high = model.state_dict()["pitch_range"].tolist()
    for seed in range(15):
        sampled = model.sample(64, 16, torch.Generator().manual_seed(seed))
        pitches, starts, durations = sampled.T.tolist()
        assert all(low <= p <= high for p in pitches)
        assert all(d >= 1 for d in durations)
        assert all(s + d <= next_s for s, d, next_s in zip(starts, durations, starts[1:]))
        assert starts[-1] + durations[-1] == 64


def test_same_seed_same_melody_and_weights_round_trip():
    tunes = [melody((60, 0, 2), (62, 2, 2), (64, 4, 4), (62, 8, 2), (60, 10, 6)),
             melody((60, 0, 4), (64, 4, 2), (62, 6, 2), (60, 8, 8)), melody((62, 0, 2), (60, 2, 2), (59, 4, 12))]
    model = MarkovMelody.fit(CONFIG, [(t, 16) for t in tunes])
    reloaded = MarkovMelody(CONFIG, {k: v.clone() for k, v in model.state_dict().items()})
    draws = [model.sample(128, 16, torch.Generator().manual_seed(s)).tolist() for s in range(6)]
    assert draws[0] == reloaded.sample(128, 16, torch.Generator().manual_seed(0)).tolist()
    assert len({str(d) for d in draws}) > 1  # different seeds, different melodies


# --- the composer: Songs in, Songs out ---------------------------------------------------------------------


def waltz(shift: int) -> Song:
    notes = [Note(60 + shift, 0, 1), Note(64 + shift, 1, 2), Note(67 + shift, 2, 3),
             Note(65 + shift, 3, 4.5), Note(64 + shift, 4.5, 5), Note(62 + shift, 5, 6)]
    accompaniment = [Note(48 + shift, 0, 3), Note(43 + shift, 3, 6)]  # lower: the skyline drops it
    return Song(tracks=[Track(notes, program=73), Track(accompaniment, program=32)],
                time_signatures=[TimeSignature(0, 3, 4)])


def test_melody_of_takes_the_top_line_on_a_sixteenth_grid():
    tune, steps_per_bar = melody_of(waltz(0))
    assert steps_per_bar == 12
    assert tune.tolist() == [[60, 0, 4], [64, 4, 4], [67, 8, 4], [65, 12, 6], [64, 18, 2], [62, 20, 4]]


def test_the_markov_composer_writes_whole_bars_in_the_training_meter():
    kind = MODEL_TYPES["markov"]
    trained = kind.train([waltz(s) for s in range(4)], settings_for(kind, {"order": 2}), seed=0)
    assert trained.settings["time_signature"] == [3, 4] and trained.settings["program"] == 73
    assert trained.metrics["songs"] == 4 and trained.metrics["notes"] == 24
    composer = kind.load(trained.tensors, trained.settings)
    song = composer.generate(seconds=10.0, seed=1)
    # 120 BPM, 3/4: a bar is 1.5 s, so 10 s rounds to 7 bars = 21 beats, ending on the bar line
    assert song.end_beat == 21.0 and song.time_signature.numerator == 3
    assert len(song.tracks) == 1 and song.tracks[0].program == 73


def test_unknown_or_bad_settings_are_refused():
    kind = MODEL_TYPES["markov"]
    with pytest.raises(InvalidArgumentError, match="unknown setting 'depth'"):
        settings_for(kind, {"depth": 3})
    with pytest.raises(InvalidArgumentError, match="whole number"):
        settings_for(kind, {"order": "three"})
    with pytest.raises(InvalidArgumentError, match="max_duration >= 1"):
        kind.train([waltz(0)], settings_for(kind, {"max_duration": 0}), seed=0)
