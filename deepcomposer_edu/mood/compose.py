"""`generate_for_mood`: a base melody re-composed for a mood (MoodSense), or as CalmFlow.

Lesson: lessons/08_mood_and_adaptive_music.ipynb (hear the same theme calm and intense).

    from deepcomposer_edu.mood import generate_for_mood
    combat = generate_for_mood("combat.mid", mood_score=0.87, genre="cinematic", seed=1)
    calm = generate_for_mood(theme, "calm")              # the CalmFlow preset: 60 BPM, four chords

The base melody (its top line) is written again bar by bar by `arrange.BarWriter` with the settings of
`mapping.mood_settings`, so the result has as many bars as the base (or `bars`, looping the base). The same
base, mood, genre and seed always give the same Song, and so byte-identical MIDI.
"""

from __future__ import annotations

import os

from ..errors import InvalidArgumentError
from ..music.keys import PITCH_CLASS_NAMES
from ..music.song import Song
from .arrange import BarWriter, bars_to_song
from .calmflow import CALMFLOW_TEMPO, calmflow_settings
from .mapping import MoodSettings, check_bpm, mood_settings
from .melody import MAX_BARS, LoopedMelody

CALM_WORDS = ("calm", "calmflow")


def load_base(base_melody: Song | str | os.PathLike) -> Song:
    """A Song as it is, or a MIDI file read into one."""
    if isinstance(base_melody, Song):
        return base_melody
    if isinstance(base_melody, (str, os.PathLike)):
        from ..music.midi import read_midi

        return read_midi(base_melody)
    raise InvalidArgumentError(f"base_melody must be a Song or a MIDI file's path, got {type(base_melody).__name__}")


def settings_for(mood_score: float | str, genre: str, tonic: int, valence=None, arousal=None, bpm=None) -> MoodSettings:
    """The mood's settings; `mood_score` "calm" (or "calmflow") means the CalmFlow preset."""
    if isinstance(mood_score, str):
        if mood_score.strip().lower() not in CALM_WORDS:
            raise InvalidArgumentError(f"mood {mood_score!r}: give a number from 0 (calm) to 1 (intense), or 'calm'")
        if valence is not None or arousal is not None:
            raise InvalidArgumentError("CalmFlow fixes its own valence and arousal; leave valence and arousal out")
        if bpm is not None and check_bpm(bpm) != CALMFLOW_TEMPO:
            raise InvalidArgumentError(f"CalmFlow locks the tempo at {CALMFLOW_TEMPO:g} BPM; got bpm={bpm!r}")
        return calmflow_settings(tonic, genre)
    return mood_settings(mood_score, genre, valence=valence, arousal=arousal, bpm=bpm)


def generate_for_mood(base_melody: Song | str | os.PathLike, mood_score: float | str, genre: str = "cinematic",
                      seed: int = 0, valence: float | None = None, arousal: float | None = None,
                      bpm: float | None = None, bars: int | None = None) -> Song:
    """The base melody re-composed for a mood: 0 (calm) .. 1 (intense), or "calm" for the CalmFlow preset.

    `genre`: a style name or alias ("cinematic", "jig", "chorale", ...) that picks the instruments and the
    tempo range; `valence`/`arousal` (0..1) override the two parts of the mood; `bpm` fixes the tempo;
    `bars` loops or cuts the base to that many bars. Bad values raise `InvalidArgumentError`.
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidArgumentError(f"seed must be a whole number, got {seed!r}")
    if bars is not None and (isinstance(bars, bool) or not isinstance(bars, int) or not 1 <= bars <= MAX_BARS):
        raise InvalidArgumentError(f"bars must be a whole number from 1 to {MAX_BARS}, got {bars!r}")
    base = load_base(base_melody)
    source = LoopedMelody(base)
    settings = settings_for(mood_score, genre, source.tonic, valence, arousal, bpm)
    writer = BarWriter(source.tonic, source.mode, source.bar_length, seed)
    written = [writer.write(settings, source.bar(index)) for index in range(bars or len(source))]
    key = f"{PITCH_CLASS_NAMES[source.tonic]} {settings.mode}"
    mood = "CalmFlow" if settings.preset else f"mood {settings.mood:g}"
    title = f"{base.title or 'melody'}: {mood}, {settings.style.name}"
    return bars_to_song(written, source.time_signature, settings.programs, key=key, title=title)
