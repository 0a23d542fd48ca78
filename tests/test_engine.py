"""The adaptive engine: switches mood within one bar of an event, without jumps, deterministically,
driven by events, a mood score or a live metric, with any melody source."""

import pytest

from deepcomposer_edu.client import client
from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.examples import example_theme
from deepcomposer_edu.game import AdaptiveEngine
from deepcomposer_edu.mood import ComposedMelody
from deepcomposer_edu.music import Note, Song, Track, midi_bytes
from deepcomposer_edu.styles import get_style

CINEMATIC = get_style("cinematic").tempo  # the engine's default genre; tempo = this x (0.5 + 0.75 x arousal)

HELD = Song(tracks=[Track([Note(60 + 2 * i, 4.0 * i, 4.0 * i + 4.0) for i in range(4)])], key="C major")


def test_switches_mood_at_the_next_bar_line():
    engine = AdaptiveEngine(HELD, mood=0.1)
    calm = [engine.next_bar() for _ in range(2)]
    assert [len(bar.notes["melody"]) for bar in calm] == [2, 2]
    engine.trigger("combat_start")  # mood 0.9
    bar = engine.next_bar()  # the very next bar is already in the new mood
    assert bar.settings.mood == 0.9
    assert len(bar.notes["melody"]) == 16 and "drums" in bar.notes
    assert bar.tempos[-1].bpm == pytest.approx(CINEMATIC * (0.5 + 0.75 * 0.9), abs=0.01)
    assert bar.tempos[-1].beat < bar.length
    assert {n.pitch % 12 for n in bar.notes["melody"]} <= {0, 2, 3, 5, 7, 8, 10}  # minor at once


def test_changes_glide_instead_of_jumping():
    engine = AdaptiveEngine(example_theme(), mood=0.0, seed=3)
    for mood in (0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.95, 0.1):
        engine.set_mood(mood)
        engine.next_bar()
    song = engine.recording()
    tempos = [change.bpm for change in song.tempos]
    assert max(abs(b - a) for a, b in zip(tempos, tempos[1:])) <= 20  # 60 -> 150 BPM in quarter-beat steps
    melody = next(t for t in song.tracks if t.name == "melody").notes
    assert max(abs(b.pitch - a.pitch) for a, b in zip(melody, melody[1:])) <= 12
    for bar_line in (8.0, 16.0, 24.0):  # loudness 40 -> 110: the first note of the bar starts near the old level
        before = [n for n in melody if n.start < bar_line][-1]
        after = next(n for n in melody if n.start >= bar_line)
        assert abs(after.velocity - before.velocity) <= 12


def test_layers_fade_in_and_out():
    engine = AdaptiveEngine(HELD, mood=0.1)
    engine.next_bar()
    engine.set_mood(0.95)
    entering = engine.next_bar().notes["drums"]
    steady = engine.next_bar().notes["drums"]
    kicks = lambda notes: [n.velocity for n in notes if n.pitch == 36]
    assert kicks(entering)[0] < kicks(steady)[0]  # the drums come in quietly ...
    engine.set_mood(0.1)
    leaving = engine.next_bar()
    assert "drums" in leaving.notes and kicks(leaving.notes["drums"])[1] < kicks(steady)[1]  # ... and fade out
    assert "drums" not in engine.next_bar().notes


def test_follow_smooths_a_live_metric_and_events_are_named():
    engine = AdaptiveEngine(HELD, mood=0.2)
    assert engine.follow(5, low=0, high=10, smoothing=0.5) == pytest.approx(0.5 * 0.2 + 0.5 * 0.5)
    assert engine.follow(20, low=0, high=10, smoothing=0.0) == 1.0  # clipped to the top
    assert engine.trigger("heal") == pytest.approx(0.9)
    assert engine.trigger("rest") == 0.0 and engine.trigger("heal") == 0.0
    with pytest.raises(InvalidArgumentError, match="unknown game event 'explode'"):
        engine.trigger("explode")
    with pytest.raises(InvalidArgumentError, match="mood must be a number from 0 to 1"):
        engine.set_mood(3)
    with pytest.raises(InvalidArgumentError, match="unknown style"):
        AdaptiveEngine(HELD, genre="polka")


def test_same_seed_and_events_give_the_same_music():
    def session(seed):
        engine = AdaptiveEngine(example_theme(), seed=seed)
        for event in ("explore", "enemy_spotted", "combat_start", "hit", "combat_end", "rest"):
            engine.trigger(event)
            engine.next_bars(2)
        return midi_bytes(engine.recording())

    assert session(4) == session(4)
    assert session(4) != session(5)


def test_next_bars_is_a_song_from_beat_zero_with_its_tempo():
    engine = AdaptiveEngine(HELD, mood=0.5)
    engine.next_bars(3)
    later = engine.next_bars(2)
    assert later.bar_count() == 2 and min(n.start for n in later.notes) == 0.0
    assert later.tempo == pytest.approx(CINEMATIC * (0.5 + 0.75 * 0.5), abs=0.01)


def test_a_model_can_be_the_melody_source(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPCOMPOSER_HOME", str(tmp_path))
    registry = client(tmp_path / "models")
    registry.create_model("tiny", [example_theme()])
    from deepcomposer_edu import composers

    model, tensors = registry.registry.load("tiny")
    composer = composers.model_type(model.card.type).load(tensors, model.card.settings)
    engine = AdaptiveEngine(ComposedMelody(composer, seed=1, chunk_bars=4), mood=0.6)
    bars = [engine.next_bar() for _ in range(10)]  # three chunks composed on demand
    assert all(bar.notes["melody"] for bar in bars)
    again = AdaptiveEngine(ComposedMelody(composer, seed=1, chunk_bars=4), mood=0.6)
    assert midi_bytes(engine.recording()) == midi_bytes(again.next_bars(10))
