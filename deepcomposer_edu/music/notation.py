"""A melody typed as text: `parse_notes("C4 D4 E4/8 F4/8 G4/2")` -> Song.

Lesson: lessons/01_record_a_melody.ipynb (the fallback when no keyboard or widget is at hand).

When no keyboard can be played (a terminal, a notebook viewer, a test), a melody can still be written down.
The notation is deliberately small, so that it fits on one line of a notebook cell:

    melody  :=  item ( whitespace item )*
    item    :=  note | chord | rest | "|"
    note    :=  LETTER ACCIDENTALS OCTAVE LENGTH?      C4   F#3   Bb4/8   E5/2.
    chord   :=  pitch "+" pitch ( "+" pitch )* LENGTH?   C4+E4+G4/2   (pitch = LETTER ACCIDENTALS OCTAVE)
    rest    :=  "r" LENGTH?                          r   r/8   r/2.

- LETTER is A to G (either case); ACCIDENTALS are any number of `#` (sharp) or `b` (flat) signs.
- OCTAVE is scientific pitch notation: C4 is middle C (MIDI 60), A4 is 440 Hz (MIDI 69); B3 is just below C4.
- LENGTH is `/n`: 1/n of a whole note, so `/1` whole, `/2` half, `/4` quarter, `/8` eighth, `/16` sixteenth,
  and `/3`, `/6`, `/12` the triplet values. Each trailing dot adds half of the value before it (`/4.` is a
  dotted quarter: 1.5 beats). A note without a length is a quarter note (1 beat); lengths are NOT carried
  over from the previous note, so every token reads on its own.
- `|` is a bar line, for the reader only: it is skipped.

Notes follow one another without gaps: each starts where the previous item ended. Beats are quarter notes,
as everywhere in the package (`deepcomposer_edu/music/song.py`).
"""

from __future__ import annotations

import re

from ..errors import InvalidArgumentError
from .song import Note, Song, TempoChange, TimeSignature, Track

LETTER_PITCH_CLASS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
DEFAULT_LENGTH_BEATS = 1.0

_PITCH = re.compile(r"(?P<letter>[A-Ga-g])(?P<accidentals>[#b]*)(?P<octave>-?\d+)$")
_LENGTH = re.compile(r"/(?P<denominator>\d+)(?P<dots>\.*)$")


class NotationError(InvalidArgumentError):
    """A token of a text melody that the notation does not allow; the message names the token."""

    def __init__(self, position: int, token: str, problem: str):
        self.position = position
        self.token = token
        super().__init__(f"token {position} {token!r}: {problem}")


def parse_pitch(text: str) -> int:
    """MIDI number of a pitch name such as "C4" (60), "F#3" (54) or "Bb4" (70).

    Raises InvalidArgumentError naming the text when it is not a pitch or falls outside MIDI's 0..127.
    """
    match = _PITCH.match(text)
    if not match:
        raise InvalidArgumentError(
            f"{text!r} is not a pitch: write a letter A-G, optional # or b, and an octave number (C4, F#3, Bb4)"
        )
    semitones = LETTER_PITCH_CLASS[match["letter"].upper()]
    semitones += match["accidentals"].count("#") - match["accidentals"].count("b")
    pitch = 12 * (int(match["octave"]) + 1) + semitones
    if not 0 <= pitch <= 127:
        raise InvalidArgumentError(f"{text!r} is MIDI pitch {pitch}, outside 0..127 (C-1 to G9)")
    return pitch


def parse_length(text: str) -> float:
    """Length in beats (quarter notes) of a length suffix: "/4" -> 1.0, "/8" -> 0.5, "/2." -> 3.0, "" -> 1.0."""
    if text == "":
        return DEFAULT_LENGTH_BEATS
    match = _LENGTH.match(text)
    if not match:
        raise InvalidArgumentError(f"{text!r} is not a length: write /1, /2, /4, /8, /16 ... with optional dots")
    denominator = int(match["denominator"])
    if not 1 <= denominator <= 64:
        raise InvalidArgumentError(f"{text!r}: the length /n needs n between 1 and 64")
    beats = 4.0 / denominator
    value = beats
    for _ in match["dots"]:
        value /= 2
        beats += value
    return beats


def parse_notes(
    text: str,
    *,
    tempo: float = 120.0,
    time_signature: tuple[int, int] = (4, 4),
    velocity: int = 80,
    program: int = 0,
    title: str = "",
) -> Song:
    """The melody written in `text` (see the module docstring for the notation) as a one-track Song.

    >>> [note.pitch for note in parse_notes("C4 E4 G4/2").notes]
    [60, 64, 67]

    Raises `NotationError` naming the first token that is not a note, chord, rest or bar line.
    """
    if not 1 <= velocity <= 127:
        raise InvalidArgumentError(f"velocity must be 1..127, got {velocity}")
    numerator, denominator = time_signature
    notes: list[Note] = []
    beat = 0.0
    for position, token in enumerate(text.split(), start=1):
        if token == "|":
            continue
        try:
            pitches, length = _parse_token(token)
        except InvalidArgumentError as error:
            raise NotationError(position, token, str(error)) from None
        notes.extend(Note(pitch, beat, beat + length, velocity) for pitch in pitches)
        beat += length
    return Song(
        tracks=[Track(notes=notes, program=program, name=title or "melody")],
        tempos=[TempoChange(0.0, tempo)],
        time_signatures=[TimeSignature(0.0, numerator, denominator)],
        title=title,
    )


def _parse_token(token: str) -> tuple[list[int], float]:
    """The pitches (none for a rest) and the length in beats of one token."""
    slash = token.find("/")
    body, suffix = (token, "") if slash < 0 else (token[:slash], token[slash:])
    length = parse_length(suffix)
    if body in ("r", "R"):
        return [], length
    if body == "":
        raise InvalidArgumentError("a length needs a note or a rest before it (C4/8, r/8)")
    return [parse_pitch(part) for part in body.split("+")], length
