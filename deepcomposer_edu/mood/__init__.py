"""Mood and adaptive music: MoodSense (a mood score -> music), the CalmFlow preset, and bar-by-bar writing.

Lesson: lessons/08_mood_and_adaptive_music.ipynb. The adaptive game engine built on this is `deepcomposer_edu.game`.

- `mapping.py`: mood (valence, arousal) -> tempo, mode, register, density, dynamics, tension, instruments
- `harmony.py`: chord vocabularies by tension, harmonising a bar, voice leading
- `melody.py`: pluggable melody sources (a looped Song, a model composing on demand)
- `arrange.py`: `BarWriter`, one bar at a time with state carried across bar lines
- `calmflow.py`: the CalmFlow preset and its stated rules
- `compose.py`: `generate_for_mood`, the whole-piece function
"""

from .arrange import Bar, BarWriter, bars_to_song
from .calmflow import ALLOWED_CHORDS, CALMFLOW_TEMPO, MAX_LEAP, PROGRESSIONS, calmflow_settings
from .compose import generate_for_mood
from .mapping import MAPPING, MoodSettings, mood_settings
from .melody import ComposedMelody, LoopedMelody, MelodySource

__all__ = [
    "generate_for_mood", "mood_settings", "MoodSettings", "MAPPING", "calmflow_settings", "CALMFLOW_TEMPO",
    "MAX_LEAP", "PROGRESSIONS", "ALLOWED_CHORDS", "Bar", "BarWriter", "bars_to_song", "LoopedMelody",
    "ComposedMelody", "MelodySource",
]
