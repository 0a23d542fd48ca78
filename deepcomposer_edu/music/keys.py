"""Keys: naming them, reading them from key signatures, and guessing them from the notes.

Lesson: lessons/02_music_as_data.ipynb (what a key is, and how a program can hear one).

A key is written as a plain string, the way musicians say it: "C major", "F# minor", "Bb major".
MIDI files store a key as a *key signature*: a number of sharps (positive) or flats (negative) and a
major/minor flag; `key_from_signature` and `signature_from_key` convert between the two.

When a file has no key signature, `estimate_key` guesses one with the Krumhansl-Schmuckler algorithm:
count how long each of the 12 pitch classes sounds, then find the key whose "profile" (how strongly
listeners feel each pitch class belongs to that key, measured by Krumhansl and Kessler in 1982)
correlates best with those counts.
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidArgumentError
from .notation import LETTER_PITCH_CLASS
from .song import Song

PITCH_CLASS_NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]

# Key signature (sharps > 0, flats < 0) -> tonic name, for major and for minor keys.
MAJOR_TONICS = {-7: "Cb", -6: "Gb", -5: "Db", -4: "Ab", -3: "Eb", -2: "Bb", -1: "F", 0: "C",
                1: "G", 2: "D", 3: "A", 4: "E", 5: "B", 6: "F#", 7: "C#"}
MINOR_TONICS = {-7: "Ab", -6: "Eb", -5: "Bb", -4: "F", -3: "C", -2: "G", -1: "D", 0: "A",
                1: "E", 2: "B", 3: "F#", 4: "C#", 5: "G#", 6: "D#", 7: "A#"}

# Krumhansl-Kessler key profiles, starting from the tonic (C major / C minor).
MAJOR_PROFILE = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
MINOR_PROFILE = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


def pitch_name(pitch: int) -> str:
    """Scientific pitch name of a MIDI number: 60 -> "C4" (middle C), 61 -> "C#4", 70 -> "Bb4"."""
    return f"{PITCH_CLASS_NAMES[pitch % 12]}{pitch // 12 - 1}"


def key_from_signature(sharps: int, minor: bool) -> str:
    """The key named by a MIDI key signature: (2, False) -> "D major", (-3, True) -> "C minor"."""
    tonics = MINOR_TONICS if minor else MAJOR_TONICS
    if sharps not in tonics:
        raise InvalidArgumentError(f"a key signature has -7..7 sharps, got {sharps}")
    return f"{tonics[sharps]} {'minor' if minor else 'major'}"


def parse_key(name: str) -> tuple[int, bool]:
    """Split a key name into (tonic pitch class 0..11, is_minor): "F# minor" -> (6, True).

    Accepts sharps and flats as '#'/'b' or '♯'/'♭', and "Am"/"A min" style minor keys.
    """
    text = name.strip().replace("♯", "#").replace("♭", "b")
    parts = text.split()
    tonic, mode = (parts[0], " ".join(parts[1:]).lower()) if parts else ("", "")
    if len(parts) == 1 and len(tonic) > 1 and tonic.endswith("m"):
        tonic, mode = tonic[:-1], "minor"
    if mode in ("", "maj", "major"):
        minor = False
    elif mode in ("m", "min", "minor"):
        minor = True
    else:
        raise InvalidArgumentError(f"unknown key {name!r}: expected something like 'C major' or 'F# minor'")
    letter = tonic[:1].upper()
    if letter not in LETTER_PITCH_CLASS or any(sign not in "#b" for sign in tonic[1:]):
        raise InvalidArgumentError(f"unknown key {name!r}: the tonic should be a letter A-G with # or b")
    pitch_class = (LETTER_PITCH_CLASS[letter] + tonic.count("#") - tonic.count("b")) % 12
    return pitch_class, minor


def signature_from_key(name: str) -> tuple[int, bool]:
    """The MIDI key signature (sharps, is_minor) of a key name: "D major" -> (2, False).

    An enharmonic spelling gets the signature with the fewest accidentals ("D# major" -> Eb major, -3).
    """
    pitch_class, minor = parse_key(name)
    tonics = MINOR_TONICS if minor else MAJOR_TONICS
    spelled = name.strip().replace("♯", "#").replace("♭", "b").split()[0].removesuffix("m")
    for sharps, tonic in tonics.items():
        if tonic.lower() == spelled.lower():
            return sharps, minor  # "F# major" -> 6 sharps, "Gb major" -> 6 flats
    matches = [sharps for sharps, tonic in tonics.items() if parse_key(tonic)[0] == pitch_class]
    return min(matches, key=abs), minor


def pitch_class_durations(song: Song) -> np.ndarray:
    """How many beats each pitch class (C, C#, ..., B) sounds, over all pitched tracks. Shape (12,)."""
    durations = np.zeros(12)
    for track in song.tracks:
        if track.is_drum:
            continue
        for note in track.notes:
            durations[note.pitch % 12] += max(note.end - note.start, 0.0)
    return durations


def key_correlations(song: Song) -> dict[str, float]:
    """Correlation of the song's pitch-class durations with each of the 24 key profiles (-1..1)."""
    durations = pitch_class_durations(song)
    scores: dict[str, float] = {}
    if not durations.any() or np.allclose(durations, durations[0]):
        return scores  # nothing to hear, or every pitch class equally: no key stands out
    for minor, profile in ((False, MAJOR_PROFILE), (True, MINOR_PROFILE)):
        for tonic in range(12):
            rotated = np.roll(profile, tonic)  # the profile of the key whose tonic is `tonic`
            name = f"{PITCH_CLASS_NAMES[tonic]} {'minor' if minor else 'major'}"
            scores[name] = float(np.corrcoef(durations, rotated)[0, 1])
    return scores


def estimate_key(song: Song) -> str | None:
    """The most likely key of the song's pitched notes, e.g. "G major"; None if there is nothing to judge."""
    scores = key_correlations(song)
    return max(scores, key=scores.__getitem__) if scores else None
