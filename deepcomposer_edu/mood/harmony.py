"""Chords for a mood: vocabularies from consonant to tense, harmonising a bar, voice leading, changing mode.

Lesson: lessons/08_mood_and_adaptive_music.ipynb (harmonic tension, and why CalmFlow keeps to four chords).

A chord is a Roman numeral: a root (semitones above the key's tonic) and the intervals stacked on it.
Each mood picks a vocabulary by its tension level (0 consonant triads, 1 adds sevenths and suspensions,
2 adds dissonant chords: diminished sevenths, the Neapolitan, a dominant with a flat ninth); listeners rate
dissonant chords as more tense (Eerola & Vuoksimaa 2013). A bar is harmonised by the chord of the
vocabulary whose tones cover most of the bar's melody, and each chord is *voice-led* from the previous one:
of all its close voicings, the one whose notes move least, so chord changes never jump.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..music.song import Note


@dataclass(frozen=True)
class Chord:
    name: str  # Roman numeral, e.g. "V7"
    root: int  # semitones above the tonic
    intervals: tuple[int, ...]  # semitones above the root

    def pitch_classes(self, tonic: int) -> set[int]:
        return {(tonic + self.root + interval) % 12 for interval in self.intervals}


MAJOR, MINOR, DOM7, DIM, DIM7, SUS4 = (0, 4, 7), (0, 3, 7), (0, 4, 7, 10), (0, 3, 6), (0, 3, 6, 9), (0, 5, 7)
CHORDS = {chord.name: chord for chord in [
    Chord("I", 0, MAJOR), Chord("ii", 2, MINOR), Chord("iii", 4, MINOR), Chord("IV", 5, MAJOR),
    Chord("V", 7, MAJOR), Chord("vi", 9, MINOR), Chord("Isus4", 0, SUS4), Chord("ii7", 2, (0, 3, 7, 10)),
    Chord("IVmaj7", 5, (0, 4, 7, 11)), Chord("V7", 7, DOM7), Chord("vii°7", 11, DIM7), Chord("bVI", 8, MAJOR),
    Chord("bVII", 10, MAJOR), Chord("V7b9", 7, (0, 4, 7, 10, 13)),
    Chord("i", 0, MINOR), Chord("iv", 5, MINOR), Chord("III", 3, MAJOR), Chord("VI", 8, MAJOR),
    Chord("VII", 10, MAJOR), Chord("v", 7, MINOR), Chord("isus4", 0, SUS4), Chord("ii°", 2, DIM),
    Chord("iv7", 5, (0, 3, 7, 10)), Chord("bII", 1, MAJOR), Chord("i(add9)", 0, (0, 2, 3, 7)),
]}

# mode -> tension level -> the chords that level adds to the ones below it.
VOCABULARY = {
    "major": (("I", "IV", "V", "vi"), ("ii7", "IVmaj7", "V7", "Isus4", "iii"), ("vii°7", "bVI", "bVII", "V7b9")),
    "minor": (("i", "iv", "VI", "III", "VII"), ("V", "V7", "isus4", "iv7"), ("vii°7", "bII", "ii°", "i(add9)")),
}
TONIC_CHORD = {"major": "I", "minor": "i"}
MODE_SHIFT = {"minor": {4: 3, 9: 8, 11: 10}, "major": {3: 4, 8: 9, 10: 11}}  # pitch class above tonic -> new one
SCALES = {"major": (0, 2, 4, 5, 7, 9, 11), "minor": (0, 2, 3, 5, 7, 8, 10)}
PAD_LOW, PAD_HIGH = 48, 72  # the pad's voicings stay between C3 and C5


def vocabulary(mode: str, tension: int) -> list[Chord]:
    """Every chord a mood may use: the levels up to `tension` of its mode's vocabulary."""
    return [CHORDS[name] for level in VOCABULARY[mode][: tension + 1] for name in level]


def to_mode(pitch: int, tonic: int, mode: str) -> int:
    """The pitch moved into `mode` (relative to `tonic`): in minor the major 3rd, 6th and 7th drop a semitone; in major
    the minor ones rise."""
    degree = (pitch - tonic) % 12
    return pitch + MODE_SHIFT[mode].get(degree, degree) - degree


def scale_pitch_classes(tonic: int, mode: str) -> set[int]:
    return {(tonic + step) % 12 for step in SCALES[mode]}


def choose_chord(melody: list[Note], tonic: int, chords: list[Chord], previous: Chord | None,
                 rng: random.Random) -> Chord:
    """The chord whose tones cover most of the bar's melody (weighted by duration).

    A tone outside the chord costs half what a tone inside earns; repeating the previous chord loses a
    little, so the harmony moves; ties are broken by `rng` (the caller's seed), so the choice is repeatable.
    """
    def fit(chord: Chord) -> float:
        tones = chord.pitch_classes(tonic)
        score = sum(n.duration * (1.0 if n.pitch % 12 in tones else -0.5) for n in melody)
        return score - (0.25 if chord == previous else 0.0) + rng.random() * 1e-3

    return max(chords, key=fit)


def voicings(chord: Chord, tonic: int, low: int = PAD_LOW, high: int = PAD_HIGH) -> list[tuple[int, ...]]:
    """Every close-position voicing of the chord (each inversion, each octave) inside low..high."""
    tones = [tonic + chord.root + interval for interval in chord.intervals[:4]]
    found = []
    for inversion in range(len(tones)):
        stacked = tones[inversion:] + [tone + 12 for tone in tones[:inversion]]
        for octave in range(11):
            voicing = tuple(tone + 12 * octave for tone in stacked)
            if low <= voicing[0] and voicing[-1] <= high:
                found.append(voicing)
    return found


def voice_lead(chord: Chord, tonic: int, previous: tuple[int, ...] | None) -> tuple[int, ...]:
    """The voicing of `chord` whose notes move least from `previous` (the one nearest middle C at the start)."""
    options = voicings(chord, tonic)

    def movement(voicing: tuple[int, ...]) -> float:
        if not previous:
            return abs(sum(voicing) / len(voicing) - 60)
        return sum(min(abs(pitch - old) for old in previous) for pitch in voicing) + \
            sum(min(abs(old - pitch) for pitch in voicing) for old in previous)

    return min(options, key=lambda voicing: (movement(voicing), voicing))
