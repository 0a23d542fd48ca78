"""The pygame demo runs headless (SDL dummy drivers) with scripted input, and the music it records follows
the player's intensity: more notes, faster and louder while fighting, calmer after."""

import os
import statistics
import subprocess
import sys

import pytest

from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.game.demo import FPS, GameState, parse_script, run
from deepcomposer_edu.mood.mapping import melody_step
from deepcomposer_edu.music import read_midi

pytest.importorskip("pygame")


def test_fighting_raises_intensity_and_resting_lowers_it():
    state = GameState(intensity=0.1)
    for _ in range(FPS):  # one second of fighting: +0.35
        state.step({"fight"}, 1 / FPS)
    assert state.intensity == pytest.approx(0.45)
    for _ in range(FPS):  # one second of walking holds it
        state.step({"right"}, 1 / FPS)
    assert state.intensity == pytest.approx(0.45)
    for _ in range(FPS):  # one second standing still: -0.15
        state.step(set(), 1 / FPS)
    assert state.intensity == pytest.approx(0.30)


@pytest.mark.parametrize("script", ["0-10", "10-5:fight", "0-10:dance", "a-b:fight", "0-10:"])
def test_bad_scripts_are_refused(script):
    with pytest.raises(InvalidArgumentError, match="script part"):
        parse_script(script)


def test_headless_session_music_follows_scripted_input():
    # 5 s exploring, 10 s fighting, 15 s resting
    result = run(frames=900, script="0-150:idle,150-450:fight,450-900:idle", headless=True, seed=1)
    assert result.frames == 900 and len(result.intensity) == 900
    assert max(result.intensity) == result.intensity[449] and result.intensity[-1] < result.intensity[449]
    song = result.song
    melody = next(t for t in song.tracks if t.name == "melody").notes
    bars = result.bars  # per bar: the game time it was written and the intensity then
    density = [sum(1 for n in melody if 4 * b <= n.start < 4 * b + 4) for b in range(len(bars))]
    loudness = [statistics.mean(n.velocity for n in melody if 4 * b <= n.start < 4 * b + 4) for b in range(len(bars))]
    fight = [i for i, bar in enumerate(bars) if 6.0 <= bar["time"] < 15.0]
    before = [i for i, bar in enumerate(bars) if bar["time"] < 5.0]
    after = [i for i, bar in enumerate(bars) if bar["time"] > 25.0]
    assert fight and before and after
    assert min(density[i] for i in fight[1:]) > max(density[i] for i in before)
    assert max(density[i] for i in after) < max(density[i] for i in fight)
    assert statistics.mean(loudness[i] for i in fight) > statistics.mean(loudness[i] for i in before) + 20
    # tempo of each bar as recorded in the MIDI file rises and falls with the fight
    tempo_at = lambda beat: [c.bpm for c in song.tempos if c.beat <= beat + 2][-1]
    assert tempo_at(4 * fight[-1]) > tempo_at(4 * before[-1]) and tempo_at(4 * after[-1]) < tempo_at(4 * fight[-1])
    # within one bar: every bar's rhythm is the one of the intensity at the bar line where it was written
    for index, bar in enumerate(bars):
        onsets = sorted(n.start for n in melody if 4 * index <= n.start < 4 * index + 4)
        if len(onsets) >= 2:
            assert min(b - a for a, b in zip(onsets, onsets[1:])) == melody_step(bar["intensity"])


def test_demo_command_records_midi_headless(tmp_path):
    out = tmp_path / "session.mid"
    command = [sys.executable, "-m", "deepcomposer_edu.game", "--headless", "--frames", "450",
               "--script", "0-150:fight,150-450:idle", "--record", str(out)]
    env = {**os.environ, "DEEPCOMPOSER_HOME": str(tmp_path / "home")}
    first = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert first.returncode == 0, first.stderr
    assert read_midi(out).duration_seconds > 10
    again = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert again.returncode == 2 and "already exists" in again.stderr
    bad = subprocess.run([*command[:-2], "--script", "0-9:jump"], capture_output=True, text=True, timeout=120, env=env)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def test_speaker_plays_whole_bars_and_carries_the_ringing_tail_over(monkeypatch):
    import pygame

    from deepcomposer_edu.game import AdaptiveEngine
    from deepcomposer_edu.game.demo import bar_seconds
    from deepcomposer_edu.game.screen import Speaker

    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    pygame.init()
    try:
        speaker = Speaker(pygame, enabled=True)
        rate = pygame.mixer.get_init()[0]
        engine = AdaptiveEngine(mood=0.9)
        first = engine.next_bar()
        speaker.queue(engine, first)
        playing = speaker.channel.get_sound()
        assert playing.get_length() == pytest.approx(bar_seconds(first), abs=2 / rate)  # exactly one bar of sound
        assert len(speaker.carry) > 0 and abs(speaker.carry).max() > 0  # the tail waits for the next bar
        speaker.queue(engine, engine.next_bar())
        assert speaker.channel.get_queue() is not None  # the next bar follows without a gap
    finally:
        pygame.quit()
