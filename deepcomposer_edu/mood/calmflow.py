"""CalmFlow: the calm preset for relaxation and therapy apps, with every rule stated and checkable.

Lesson: lessons/08_mood_and_adaptive_music.ipynb (CalmFlow, and testing that a preset keeps its promises).

The source's CalmFlow promises "tempo locked to 60 BPM + specific harmonic progressions". Here that is:

- tempo exactly 60 BPM (one beat a second, near a resting heart rate), never changing;
- harmony only from `PROGRESSIONS`, cycles of the four consonant major triads I, IV, V and vi, one chord a
  bar (four seconds in 4/4); every melody note that starts a bar is a tone of its chord;
- major mode; the melody in one octave, from the tonic up to the tonic above (`melody_range`);
- no melodic leap wider than `MAX_LEAP` semitones (a perfect fourth): stepwise, singable lines;
- a melody note every two beats, soft and even dynamics (melody velocity 50, no accents), three layers
  (melody, pad, bass) that neither enter nor leave: no sudden changes.

Slow tempo, soft dynamics, legato, small intervals, consonance and major mode are the features listeners
hear as calm and peaceful (Gabrielsson & Lindstrom 2010; Juslin & Laukka 2004). The source's "37% lower
stress in clinical trials" is its own claim; this preset makes no clinical claim.
"""

from __future__ import annotations

from dataclasses import replace

from .mapping import mood_settings, MoodSettings

CALMFLOW_TEMPO = 60.0
MAX_LEAP = 5  # semitones: a perfect fourth
MELODY_VELOCITY = 50
ALLOWED_CHORDS = ("I", "IV", "V", "vi")
PROGRESSIONS = (
    ("I", "IV", "I", "V"),  # the plagal and authentic motions, the most settled of all
    ("I", "vi", "IV", "V"),  # the "fifties" progression
    ("I", "IV", "vi", "V"),
    ("I", "V", "vi", "IV"),
    ("vi", "IV", "I", "V"),
)


def melody_range(tonic: int) -> tuple[int, int]:
    """One octave from the tonic between G3 (55) and F#4 (66) up to the tonic above."""
    low = 55 + (tonic - 7) % 12
    return low, low + 12


def calmflow_settings(tonic: int = 0, genre: str = "cinematic") -> MoodSettings:
    """The CalmFlow settings for a melody whose tonic is pitch class `tonic` (0 = C), played by `genre`'s pack."""
    calm = mood_settings(0.0, genre)  # arousal 0, valence 1: major, half notes, consonant harmony
    return replace(calm, tempo=CALMFLOW_TEMPO, velocity=MELODY_VELOCITY, staccato=False, tension=0,
                   layers=("melody", "pad", "bass"), max_leap=MAX_LEAP, melody_range=melody_range(tonic),
                   progressions=PROGRESSIONS, preset="calmflow")
