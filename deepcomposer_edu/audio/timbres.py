"""What each General MIDI instrument sounds like in the built-in synthesizer, as a small table.

Lesson: lessons/00_welcome.ipynb (timbre: same pitch, different instrument).

A `Timbre` is a recipe: which harmonics (partials) are loud and how that changes during the note, an ADSR
envelope, and a few touches (vibrato, breath noise, a detuned second voice, a plucked string). The 128 GM
programs share about a dozen recipes, one per instrument family, which is enough to tell a piano from a
flute from a synth pad by ear, and by spectral centroid in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass


def saw(count: int, slope: float = 1.0) -> tuple[float, ...]:
    """Harmonic amplitudes of a sawtooth-like wave: 1, 1/2, 1/3, ... (slope > 1 is duller)."""
    return tuple(1.0 / k**slope for k in range(1, count + 1))


def odd(count: int) -> tuple[float, ...]:
    """Mostly odd harmonics, like a clarinet (a square-ish wave)."""
    return tuple((1.0 / k) if k % 2 else 0.05 / k for k in range(1, count + 1))


@dataclass(frozen=True)
class Timbre:
    """A synthesis recipe. Harmonic k of a note at f Hz sounds at k*f Hz (or ratios[k]*f for bells)."""

    name: str
    harmonics: tuple[float, ...]  # amplitudes of partials 1, 2, 3, ... while the note sustains
    attack_harmonics: tuple[float, ...] | None = None  # amplitudes at the very start (None: the same)
    brightness_time: float = 0.2  # seconds over which attack_harmonics turn into harmonics
    attack: float = 0.01
    decay: float = 0.3
    sustain: float = 0.8
    release: float = 0.1
    vibrato: float = 0.0  # depth in semitones, at 5.5 Hz
    breath: float = 0.0  # level of breath noise (flutes)
    detune_cents: float = 0.0  # a second voice this many cents sharp (synths, ensembles)
    ratios: tuple[float, ...] | None = None  # inharmonic partial ratios (bells, mallets)
    pluck: bool = False  # Karplus-Strong plucked string instead of a harmonic recipe
    pitch_decay: bool = False  # decay shortens for higher notes (piano, mallets)


TIMBRES = {
    t.name: t
    for t in [
        Timbre("piano", harmonics=(1, 0.35, 0.12, 0.06, 0.03), attack_harmonics=(1, 0.7, 0.5, 0.35, 0.25, 0.18, 0.12, 0.08),
               brightness_time=0.25, attack=0.004, decay=1.4, sustain=0.0, release=0.12, pitch_decay=True),
        Timbre("mallet", harmonics=(1, 0.45, 0.2, 0.1), ratios=(1.0, 3.93, 9.54, 2.76),
               attack=0.003, decay=0.7, sustain=0.0, release=0.08, pitch_decay=True),
        Timbre("organ", harmonics=(1, 0.8, 0.55, 0.45, 0.0, 0.3, 0.0, 0.25), attack=0.012, decay=1.0, sustain=1.0, release=0.06),
        Timbre("plucked", harmonics=(1,), pluck=True, attack=0.002, decay=1.0, sustain=1.0, release=0.08),
        Timbre("bass", harmonics=(1, 0.5, 0.2, 0.08), attack_harmonics=(1, 0.8, 0.5, 0.3, 0.2),
               brightness_time=0.08, attack=0.006, decay=0.8, sustain=0.55, release=0.08),
        Timbre("strings", harmonics=saw(14, 1.2), attack=0.12, decay=0.4, sustain=0.85, release=0.25,
               vibrato=0.12, detune_cents=6),
        Timbre("voice", harmonics=(1, 0.5, 0.3, 0.12, 0.05), attack=0.15, decay=0.4, sustain=0.9, release=0.25, vibrato=0.15),
        Timbre("brass", harmonics=saw(12, 0.9), attack_harmonics=(1, 0.4, 0.15, 0.05), brightness_time=0.08,
               attack=0.04, decay=0.3, sustain=0.85, release=0.1, vibrato=0.04),
        Timbre("reed", harmonics=odd(11), attack=0.03, decay=0.3, sustain=0.9, release=0.08, vibrato=0.06, breath=0.02),
        Timbre("flute", harmonics=(1, 0.12, 0.04), attack=0.06, decay=0.3, sustain=0.9, release=0.1, vibrato=0.1, breath=0.012),
        Timbre("lead", harmonics=saw(24), attack=0.008, decay=0.25, sustain=0.8, release=0.08, detune_cents=9),
        Timbre("pad", harmonics=saw(8, 2.0), attack=0.35, decay=0.6, sustain=0.8, release=0.5, detune_cents=12, vibrato=0.03),
    ]
}

# GM program ranges (0-based) and the recipe that plays them; later entries override earlier ones.
_PROGRAM_RANGES = [
    (range(0, 8), "piano"), (range(8, 16), "mallet"), (range(15, 16), "plucked"),  # dulcimer is struck strings
    (range(16, 21), "organ"), (range(21, 24), "reed"),  # accordions and harmonica are free reeds
    (range(24, 32), "plucked"), (range(32, 38), "bass"), (range(38, 40), "lead"),
    (range(40, 45), "strings"), (range(45, 47), "plucked"), (range(47, 48), "mallet"),  # pizzicato, harp, timpani
    (range(48, 52), "strings"), (range(52, 55), "voice"), (range(55, 64), "brass"),
    (range(64, 72), "reed"), (range(72, 80), "flute"), (range(80, 88), "lead"), (range(85, 86), "voice"),
    (range(88, 104), "pad"), (range(104, 108), "plucked"), (range(108, 109), "mallet"),  # sitar..koto, kalimba
    (range(109, 110), "reed"), (range(110, 111), "strings"), (range(111, 112), "reed"),  # bagpipe, fiddle, shanai
    (range(112, 119), "mallet"), (range(119, 128), "pad"),
]
PROGRAM_TIMBRE = {program: name for programs, name in _PROGRAM_RANGES for program in programs}


def timbre_for_program(program: int) -> Timbre:
    """The built-in synthesizer's recipe for GM program `program` (0..127)."""
    return TIMBRES[PROGRAM_TIMBRE[min(max(int(program), 0), 127)]]
