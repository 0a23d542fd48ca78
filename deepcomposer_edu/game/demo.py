"""A small pygame game whose music follows the player: fight and it swells, rest and it calms down.

Lesson: lessons/08_mood_and_adaptive_music.ipynb (the same loop, simulated, drives the engine in the notebook).
Run it with `python -m deepcomposer_edu.game` (arrow keys move, hold SPACE to fight, Esc quits).

The game is a loop of frames. Each frame the player's actions change the **intensity** (0..1): fighting
raises it by `RISE_PER_SECOND`, moving holds it, standing still lets it fall by `FALL_PER_SECOND`. The music
runs on its own clock: whenever the bars written so far are about to run out, the engine is given the
current intensity as its mood and writes the next bar, so the music follows the player within one bar.

Everything the game decides lives in `GameState.step`, which knows nothing of pygame, so a test can run
hundreds of frames headless (SDL's dummy video and audio drivers) with scripted input and read the
recorded MIDI back. Frames advance a fixed 1/`FPS` second each, so a scripted run is repeatable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..errors import InvalidArgumentError
from ..music.song import Song
from .engine import AdaptiveEngine

FPS = 30
RISE_PER_SECOND = 0.35  # intensity gained per second of fighting
FALL_PER_SECOND = 0.15  # intensity lost per second of standing still
LOOKAHEAD_S = 0.3  # with sound, each bar is written this early so it can be rendered in time
SPEED = 160.0  # pixels per second
SIZE = (480, 320)
ACTIONS = ("left", "right", "up", "down", "fight", "idle")
DEMO_SCRIPT = "0-150:idle,150-600:fight,600-660:right,660-1200:idle"  # explore, fight, walk away, rest


@dataclass
class GameState:
    """The player's position and the game's intensity; `step` advances it by one frame."""

    x: float = SIZE[0] / 2
    y: float = SIZE[1] / 2
    intensity: float = 0.1

    def step(self, actions: set[str], dt: float) -> None:
        dx = ("right" in actions) - ("left" in actions)
        dy = ("down" in actions) - ("up" in actions)
        self.x = min(SIZE[0] - 10, max(10, self.x + dx * SPEED * dt))
        self.y = min(SIZE[1] - 10, max(10, self.y + dy * SPEED * dt))
        if "fight" in actions:
            self.intensity = min(1.0, self.intensity + RISE_PER_SECOND * dt)
        elif not (dx or dy):
            self.intensity = max(0.0, self.intensity - FALL_PER_SECOND * dt)


@dataclass
class MusicClock:
    """Asks the engine for the next bar whenever the music written so far is about to run out."""

    engine: AdaptiveEngine
    lookahead: float = 0.0  # seconds: write a bar this long before it is due (time to render its sound)
    written_until: float = 0.0  # seconds of music written
    log: list[dict] = field(default_factory=list)  # per bar: when it was asked for, at which intensity

    def update(self, now: float, intensity: float) -> list:
        """The bars written at time `now` (seconds), in a mood equal to the game's intensity."""
        bars = []
        while self.written_until <= now + self.lookahead + 1e-9:
            self.engine.set_mood(round(intensity, 4))
            bar = self.engine.next_bar()
            self.log.append({"bar": bar.index, "time": round(now, 4), "intensity": round(intensity, 4),
                             "starts": round(self.written_until, 4)})
            self.written_until += bar_seconds(bar)
            bars.append(bar)
        return bars


def bar_seconds(bar) -> float:
    """How long a bar lasts, following its tempo changes (the tempo at its start carries over from before)."""
    changes = sorted(bar.tempos) or []
    tempo = bar.settings.tempo if not changes or changes[0].beat > 0 else changes[0].bpm
    seconds, beat = 0.0, 0.0
    for change in changes:
        seconds += (change.beat - beat) * 60.0 / tempo
        beat, tempo = change.beat, change.bpm
    return seconds + (bar.length - beat) * 60.0 / tempo


def parse_script(text: str) -> list[tuple[int, int, set[str]]]:
    """ "0-120:idle,120-360:fight+right" -> [(0, 120, {"idle"}), (120, 360, {"fight", "right"})].

    Times are frames, the end excluded.
    """
    script = []
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        frames, sep, actions = part.partition(":")
        first, dash, last = frames.partition("-")
        try:
            start, end = int(first), int(last)
        except ValueError:
            raise InvalidArgumentError(f"script part {part!r}: expected START-END:ACTION, e.g. 0-120:fight") from None
        chosen = set(filter(None, actions.split("+")))
        unknown = chosen - set(ACTIONS)
        if not sep or not dash or end <= start or start < 0 or unknown or not chosen:
            raise InvalidArgumentError(
                f"script part {part!r}: expected START-END:ACTION with END > START and actions from "
                f"{', '.join(ACTIONS)}")
        script.append((start, end, chosen))
    return script


def scripted_actions(script: list[tuple[int, int, set[str]]], frame: int) -> set[str]:
    return set().union(*(actions for start, end, actions in script if start <= frame < end)) - {"idle"}


@dataclass
class GameResult:
    song: Song  # the music the game played
    intensity: list[float]  # per frame
    bars: list[dict]  # per bar: when it was asked for and at which intensity
    frames: int


def run(frames: int | None = None, script: str | None = None, headless: bool = False, seed: int = 0,
        genre: str = "cinematic", mute: bool = False, melody: Song | None = None) -> GameResult:
    """Play the game for `frames` frames (None: until the window is closed), scripted or from the keyboard.

    `headless` uses SDL's dummy drivers (no window, no sound) and advances time a fixed 1/FPS per frame.
    """
    if frames is not None and (isinstance(frames, bool) or not isinstance(frames, int) or frames < 1):
        raise InvalidArgumentError(f"frames must be a whole number >= 1, got {frames!r}")
    if headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ["SDL_AUDIODRIVER"] = "dummy"
    plan = parse_script(script) if script else None
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    from .screen import Screen, Speaker

    pygame.init()
    try:
        screen = Screen(pygame)
        speaker = Speaker(pygame, enabled=not (mute or headless))
        engine = AdaptiveEngine(melody, genre=genre, seed=seed, mood=0.1)
        state, clock = GameState(), pygame.time.Clock()
        music = MusicClock(engine, lookahead=0.0 if headless else LOOKAHEAD_S)
        curve: list[float] = []
        frame = 0
        while frames is None or frame < frames:
            actions, quit_asked = screen.read_input(plan, frame)
            if quit_asked:
                break
            state.step(actions, 1.0 / FPS)
            curve.append(round(state.intensity, 4))
            for bar in music.update(frame / FPS, state.intensity):
                speaker.queue(engine, bar)
            screen.draw(state, music.log[-1] if music.log else None)
            if not headless:
                clock.tick(FPS)
            frame += 1
        return GameResult(engine.recording(), curve, music.log, frame)
    finally:
        pygame.quit()
