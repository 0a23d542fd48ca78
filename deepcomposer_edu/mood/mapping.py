"""From a mood to musical settings: tempo, mode, register, rhythmic density, dynamics, tension, instruments.

Lesson: lessons/08_mood_and_adaptive_music.ipynb (the mapping table, calm against intense).

A mood is a point on Russell's circumplex (Russell 1980): **arousal** (how much energy, 0 calm .. 1 intense)
and **valence** (how pleasant, 0 dark .. 1 bright). The one-number `mood_score` of a game (0 calm .. 1
combat) sets arousal, and valence falls as it rises (a fight is tense, a meadow is bright), unless the
caller gives valence and arousal explicitly.

Each setting is a one-line rule grounded in what listeners report. The reviews behind the rules:
- Gabrielsson & Lindstrom (2010), "The role of structure in the musical expression of emotions", in
  Handbook of Music and Emotion: fast tempo, loud dynamics, high pitch and dense rhythm express activity;
  major mode is heard as happy, minor as sad; dissonant harmony as tense or unpleasant.
- Juslin & Laukka (2004), J. New Music Research 33(3): performers signal arousal with tempo, sound level
  and articulation (staccato when aroused, legato when calm).
- Eerola & Vuoksimaa (2013), Music Perception 30(3): listeners rate dissonant chords as more tense.
- Russell (1980), J. Personality and Social Psychology 39(6): the valence x arousal circumplex.
docs/mood.md prints the same table as `MAPPING` below, with these references.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..audio.instruments import instrument, pack
from ..errors import InvalidArgumentError
from ..styles import Style, resolve_style

LAYERS = ("melody", "pad", "pulse", "bass", "drums")  # every layer the arranger can write
MELODY_STEPS = (2.0, 1.0, 0.5, 0.25)  # beats between melody notes: half notes .. sixteenths
MIN_TEMPO, MAX_TEMPO = 40.0, 200.0

# The table a learner reads (and docs/mood.md prints): setting, rule, finding.
MAPPING = (
    ("tempo", "genre's tempo x (0.5 + 0.75 x arousal), within 40..200 BPM",
     "fast tempo -> activity, slow -> calm (Gabrielsson & Lindstrom 2010; Juslin & Laukka 2004)"),
    ("mode", "major when valence >= 0.5, else minor", "major -> happy, minor -> sad (Gabrielsson & Lindstrom 2010)"),
    ("register", "melody centred on MIDI 56 + 12 x arousal + 4 x valence",
     "high pitch -> active or happy, low -> calm or sad (Gabrielsson & Lindstrom 2010)"),
    ("rhythmic density", "melody note every 2, 1, 1/2 or 1/4 beats as arousal passes 0.25, 0.5, 0.75",
     "dense, fast rhythms -> activity and tension (Gabrielsson & Lindstrom 2010)"),
    ("dynamics", "velocity 40 + 70 x arousal; staccato above arousal 0.6",
     "loud and detached -> high arousal, soft and legato -> calm (Juslin & Laukka 2004)"),
    ("harmonic tension", "chord vocabulary 0/1/2 as (arousal + 1 - valence) / 2 passes 1/3, 2/3",
     "dissonant chords are rated tense (Eerola & Vuoksimaa 2013)"),
    ("instrumentation", "pad always; bass from arousal 0.25, a pulsing arpeggio from 0.5, drums from 0.7",
     "more layers and percussion -> more energy (Gabrielsson & Lindstrom 2010, timbre and texture)"),
)


@dataclass(frozen=True)
class MoodSettings:
    """Everything the arranger needs to write bars for one mood (see `MAPPING` for where each comes from)."""

    mood: float  # the caller's 0..1 score
    valence: float  # 0 dark .. 1 bright
    arousal: float  # 0 calm .. 1 intense
    tempo: float  # BPM
    mode: str  # "major" or "minor"
    register: int  # MIDI pitch the melody is centred on
    melody_step: float  # beats between melody notes
    velocity: int  # melody velocity; the other layers play softer
    staccato: bool  # notes held for half their step instead of all of it
    tension: int  # chord vocabulary: 0 consonant, 1 sevenths and suspensions, 2 dissonant
    layers: tuple[str, ...]  # which of LAYERS play
    style: Style
    programs: dict  # layer -> GM program
    max_leap: int = 12  # largest melodic interval, semitones
    melody_range: tuple[int, int] | None = None  # lowest, highest melody pitch (None: register +- 9)
    progressions: tuple[tuple[str, ...], ...] | None = None  # only these chord cycles (CalmFlow), else free
    preset: str = ""  # "calmflow" for the CalmFlow preset, else ""


def check_number(name: str, value, low: float, high: float) -> float:
    """`value` as a float in low..high, or an `InvalidArgumentError` naming `name`."""
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not is_number or not low <= value <= high:
        raise InvalidArgumentError(f"{name} must be a number from {low:g} to {high:g}, got {value!r}")
    return float(value)


def check_unit(name: str, value) -> float:
    """`value` as a float in 0..1, or an `InvalidArgumentError` naming `name`."""
    return check_number(name, value, 0, 1)


def lerp(low: float, high: float, amount: float) -> float:
    return low + (high - low) * amount


def melody_step(arousal: float) -> float:
    """Beats between melody notes: 2 below arousal 0.25, then 1, 1/2, and 1/4 from 0.75."""
    return MELODY_STEPS[min(3, int(arousal * 4))]


def tension_level(valence: float, arousal: float) -> int:
    """0, 1 or 2: energy and darkness both raise tension."""
    return min(2, int((arousal + 1.0 - valence) / 2.0 * 3))


def layers_for(arousal: float) -> tuple[str, ...]:
    thresholds = {"melody": 0.0, "pad": 0.0, "bass": 0.25, "pulse": 0.5, "drums": 0.7}
    return tuple(layer for layer in LAYERS if arousal >= thresholds[layer])


def programs_for(style: Style) -> dict:
    """GM programs per layer, from the style's instrument pack (audio/instruments.py)."""
    roles = pack(style.pack)
    pulse = roles.harmony[1] if len(roles.harmony) > 1 else roles.harmony[0]
    return {
        "melody": instrument(roles.melody).program, "pad": instrument(roles.harmony[0]).program,
        "pulse": instrument(pulse).program, "bass": instrument(roles.bass).program,
        "drums": instrument(roles.drums).program,
    }


def mood_settings(mood_score: float, genre: str = "cinematic", valence: float | None = None,
                  arousal: float | None = None, bpm: float | None = None) -> MoodSettings:
    """The settings for a mood: `mood_score` 0 (calm) .. 1 (intense); `valence`/`arousal` override its two parts.

    `genre` is a style name or alias from `styles.py` ("cinematic", "jig", ...); `bpm` overrides the tempo.
    """
    mood = check_unit("mood_score", mood_score)
    arousal = mood if arousal is None else check_unit("arousal", arousal)
    valence = 1.0 - mood if valence is None else check_unit("valence", valence)
    style = resolve_style(genre=genre)
    tempo = min(MAX_TEMPO, max(MIN_TEMPO, style.tempo * (0.5 + 0.75 * arousal)))
    if bpm is not None:
        tempo = check_bpm(bpm)
    return MoodSettings(
        mood=mood, valence=valence, arousal=arousal, tempo=round(tempo, 2),
        mode="major" if valence >= 0.5 else "minor",
        register=56 + round(12 * arousal + 4 * valence),
        melody_step=melody_step(arousal),
        velocity=round(lerp(40, 110, arousal)),
        staccato=arousal > 0.6,
        tension=tension_level(valence, arousal),
        layers=layers_for(arousal),
        style=style,
        programs=programs_for(style),
    )


def check_bpm(bpm) -> float:
    return check_number("bpm", bpm, MIN_TEMPO, MAX_TEMPO)
