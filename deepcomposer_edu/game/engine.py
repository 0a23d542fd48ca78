"""The adaptive music engine: an endless stream of bars whose mood follows a game.

Lesson: lessons/08_mood_and_adaptive_music.ipynb (a simulated game session drives the engine).

    engine = AdaptiveEngine(genre="cinematic", seed=0)   # the example theme, looped, as the melody
    engine.trigger("explore")                            # a game event ...
    engine.set_mood(0.9)                                 # ... or a mood score directly ...
    engine.follow(enemies_near, low=0, high=5)           # ... or a live game metric, smoothed
    bar = engine.next_bar()                              # the next bar, in the newest mood
    song = engine.recording()                            # everything played so far, as one Song

Mood changes wait for the next bar line: `next_bar()` always writes in the mood set last, so the music
switches within one bar of the event (never mid-bar), and `arrange.BarWriter` glides tempo and loudness
and fades layers so the switch has no jumps. The melody is any `MelodySource` (`mood/melody.py`): the
example theme by default, a Song of yours, or a model composing as it goes (`ComposedMelody`).
"""

from __future__ import annotations

import threading

from ..errors import InvalidArgumentError
from ..music.keys import PITCH_CLASS_NAMES
from ..music.song import Song, TimeSignature
from ..mood.arrange import Bar, BarWriter, bars_to_song
from ..mood.compose import settings_for
from ..mood.mapping import MoodSettings, check_unit
from ..mood.melody import LoopedMelody, MelodySource

# Game events and what they do to the mood: ("set", value) jumps to a level, ("add", delta) nudges it.
TRIGGERS = {
    "rest": ("set", 0.0),
    "explore": ("set", 0.25),
    "enemy_spotted": ("set", 0.6),
    "combat_start": ("set", 0.9),
    "boss": ("set", 1.0),
    "combat_end": ("set", 0.3),
    "hit": ("add", 0.1),
    "heal": ("add", -0.1),
}
MAX_RECORDED_BARS = 10_000  # a long-running server keeps only this many bars for `recording()`


class AdaptiveEngine:
    """Writes bars one at a time in the current mood; thread-safe, so a server or game loop can share one."""

    def __init__(self, melody: MelodySource | Song | None = None, genre: str = "cinematic", seed: int = 0,
                 mood: float = 0.2):
        if melody is None:
            from ..examples import example_theme

            melody = example_theme()
        self.source: MelodySource = LoopedMelody(melody) if isinstance(melody, Song) else melody
        self.genre = genre
        self.mood = check_unit("mood", mood)
        self.valence: float | None = None
        self.arousal: float | None = None
        self.writer = BarWriter(self.source.tonic, self.source.mode, self.source.bar_length, seed)
        self.settings = settings_for(self.mood, genre, self.source.tonic)  # checks the genre now
        self.bars: list[Bar] = []
        self.lock = threading.Lock()

    # --- the trigger API ---

    def set_mood(self, score: float, valence: float | None = None, arousal: float | None = None) -> None:
        """From the next bar on, play at mood `score` (0 calm .. 1 intense), optionally with valence/arousal."""
        score = check_unit("mood", score)
        valence = None if valence is None else check_unit("valence", valence)
        arousal = None if arousal is None else check_unit("arousal", arousal)
        with self.lock:
            self.mood, self.valence, self.arousal = score, valence, arousal

    def trigger(self, event: str) -> float:
        """Apply a named game event (see `TRIGGERS`); returns the new mood."""
        if event not in TRIGGERS:
            raise InvalidArgumentError(f"unknown game event {event!r}; events are {', '.join(TRIGGERS)}")
        how, value = TRIGGERS[event]
        with self.lock:
            self.mood = value if how == "set" else min(1.0, max(0.0, self.mood + value))
            self.valence = self.arousal = None
            return self.mood

    def follow(self, value: float, low: float = 0.0, high: float = 1.0, smoothing: float = 0.5) -> float:
        """Steer the mood by a live game metric: `value` from `low` to `high` becomes 0..1, smoothed.

        `smoothing` 0 follows the metric at once; closer to 1 it moves more slowly (exponential smoothing),
        so a flickering metric does not make the music flicker. Returns the new mood.
        """
        if not high > low:
            raise InvalidArgumentError(f"follow: high ({high}) must be above low ({low})")
        smoothing = check_unit("smoothing", smoothing)
        level = min(1.0, max(0.0, (float(value) - low) / (high - low)))
        with self.lock:
            self.mood = smoothing * self.mood + (1.0 - smoothing) * level
            self.valence = self.arousal = None
            return self.mood

    # --- the music ---

    def next_bar(self) -> Bar:
        """Write the next bar in the current mood."""
        with self.lock:
            self.settings = self._settings()
            bar = self.writer.write(self.settings, self.source.bar(self.writer.state.bar_index))
            self.bars.append(bar)
            del self.bars[:-MAX_RECORDED_BARS]
            return bar

    def next_bars(self, count: int) -> Song:
        """The next `count` bars as a Song starting at beat 0 (what a game engine schedules next)."""
        bars = [self.next_bar() for _ in range(count)]
        return bars_to_song(bars, self.time_signature, self.settings.programs, key=self.key, title="adaptive music")

    def recording(self) -> Song:
        """Every bar written so far (the last `MAX_RECORDED_BARS`), as one Song."""
        with self.lock:
            bars = list(self.bars)
        return bars_to_song(bars, self.time_signature, self.settings.programs, key=self.key, title="adaptive music")

    @property
    def time_signature(self) -> TimeSignature:
        return getattr(self.source, "time_signature", TimeSignature(0.0, 4, 4))

    @property
    def key(self) -> str:
        return f"{PITCH_CLASS_NAMES[self.source.tonic]} {self.settings.mode}"

    def _settings(self) -> MoodSettings:
        return settings_for(self.mood, self.genre, self.source.tonic, self.valence, self.arousal)

    def state(self) -> dict:
        """What the engine is doing, as plain values (the server's GET /state)."""
        with self.lock:
            upcoming = self._settings()
            return {"bar": self.writer.state.bar_index, "beat": self.writer.state.start, "mood": round(self.mood, 4),
                    "tempo": upcoming.tempo, "mode": upcoming.mode, "layers": list(upcoming.layers),
                    "genre": upcoming.style.name, "key": f"{PITCH_CLASS_NAMES[self.source.tonic]} {upcoming.mode}"}
