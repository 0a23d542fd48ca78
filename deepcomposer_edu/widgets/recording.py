"""From played notes to a Song: milliseconds to beats, then onto a grid.

Lesson: lessons/01_record_a_melody.ipynb.

A keyboard (the `KeyboardRecorder` widget in a browser, or a MIDI port read by `ports.record_from_port`)
reports each note it hears as a `NoteEvent`: which key (pitch), how hard (velocity), and when it started and
ended, counted from the first beat of the recording, in milliseconds or already in beats.

Turning those events into a `Song` takes two small steps, both plain functions here:

1. Time to beats. At `tempo` beats per minute one beat lasts 60000 / tempo ms, so beats = ms * tempo / 60000.
2. Quantise. Nobody plays exactly on the beat, so every start and end moves to the nearest step of a grid
   with `steps_per_beat` steps per beat (4: a sixteenth-note grid), with `music.ops.quantize`, which also
   makes sure a note never vanishes: one whose start and end snap to the same step keeps one step.

Two more rules keep the result playable:
- one key never sounds twice at once (MIDI cannot say that): the earlier note ends where the later one starts;
- only the recording is kept: what ends before beat 0 (played during the count-in) is dropped, a note
  begun a little early starts at 0, and with `bars` nothing reaches past the last bar.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..errors import InvalidArgumentError
from ..music.ops import quantize
from ..music.song import Note, Song, TempoChange, TimeSignature, Track, note_order


DENOMINATORS = (1, 2, 4, 8, 16)  # note values a time signature's beat may have


@dataclass(frozen=True)
class NoteEvent:
    """One played note: pitch (MIDI 0..127), velocity (1..127), start and end in ms or beats (see `unit`)."""

    pitch: int
    velocity: int
    start: float
    end: float

    @classmethod
    def from_dict(cls, data: Mapping, unit: str = "ms") -> "NoteEvent":
        """An event from the widget's JSON: {"pitch", "velocity", "start_ms", "end_ms", "start", "end"}.

        `unit="ms"` reads start_ms/end_ms, `unit="beats"` reads start/end.
        """
        keys = ("start_ms", "end_ms") if unit == "ms" else ("start", "end")
        try:
            return cls(int(data["pitch"]), int(data["velocity"]), float(data[keys[0]]), float(data[keys[1]]))
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidArgumentError(f"note event {dict(data)!r} lacks a valid {error}") from None


def ms_to_beats(ms: float, tempo: float) -> float:
    """Milliseconds after beat 0 to beats, at `tempo` beats (quarter notes) per minute."""
    return ms * tempo / 60000.0


def quantize_events(
    events: Iterable[NoteEvent], steps_per_beat: int | None = 4, end_beat: float | None = None
) -> list[Note]:
    """Notes from events timed in BEATS: snapped to the grid (None keeps the played timing), in time order.

    Applies the rules of the module docstring; `end_beat` is where the recording stops.
    """
    played = []
    for event in events:
        _check_event(event)
        played.append(Note(event.pitch, event.start, event.end, min(max(event.velocity, 1), 127)))
    if steps_per_beat:
        played = quantize(Song(tracks=[Track(played)]), steps_per_beat).notes
    kept = []
    for note in played:
        start, end = max(note.start, 0.0), note.end if end_beat is None else min(note.end, end_beat)
        if end > start:
            kept.append(Note(note.pitch, start, end, note.velocity))
    return _one_sound_per_key(sorted(kept, key=note_order))


def events_to_song(
    events: Iterable[NoteEvent | Mapping],
    *,
    unit: str = "ms",
    tempo: float = 120.0,
    time_signature: tuple[int, int] = (4, 4),
    steps_per_beat: int | None = 4,
    bars: int | None = None,
    program: int = 0,
    title: str = "",
) -> Song:
    """A one-track Song from played events (NoteEvents or the widget's dicts), timed in `unit` "ms" or "beats".

    `bars` (optional) is the length of the recording; notes outside it are dropped or trimmed.
    """
    if unit not in ("ms", "beats"):
        raise InvalidArgumentError(f"unit must be 'ms' or 'beats', got {unit!r}")
    if not tempo > 0:
        raise InvalidArgumentError(f"tempo must be positive, got {tempo}")
    if steps_per_beat is not None and steps_per_beat < 1:
        raise InvalidArgumentError(f"steps_per_beat must be 1 or more (or None), got {steps_per_beat}")
    meter = TimeSignature(0.0, *time_signature)
    in_beats = []
    for event in events:
        if not isinstance(event, NoteEvent):
            event = NoteEvent.from_dict(event, unit)
        if unit == "ms":
            event = NoteEvent(event.pitch, event.velocity, ms_to_beats(event.start, tempo), ms_to_beats(event.end, tempo))
        in_beats.append(event)
    end_beat = None if bars is None else bars * meter.bar_length
    notes = quantize_events(in_beats, steps_per_beat, end_beat)
    return Song(
        tracks=[Track(notes=notes, program=program, name=title or "recording")],
        tempos=[TempoChange(0.0, tempo)],
        time_signatures=[meter],
        title=title,
    )


def parse_time_signature(value: str | tuple[int, int]) -> tuple[int, int]:
    """(3, 4) from "3/4" or (3, 4); the numerator 1..16, the denominator a power of two up to 16."""
    try:
        numerator, denominator = (int(part) for part in value.split("/")) if isinstance(value, str) else value
        numerator, denominator = int(numerator), int(denominator)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"time signature {value!r}: write it as '3/4' or (3, 4)") from None
    if not 1 <= numerator <= 16 or denominator not in DENOMINATORS:
        raise InvalidArgumentError(f"time signature {value!r}: beats 1..16 over 1, 2, 4, 8 or 16")
    return numerator, denominator


def _check_event(event: NoteEvent) -> None:
    if not 0 <= event.pitch <= 127:
        raise InvalidArgumentError(f"note event {event}: pitch must be 0..127")
    if not (math.isfinite(event.start) and math.isfinite(event.end)) or event.end < event.start:
        raise InvalidArgumentError(f"note event {event}: end must be a number not before start")


def _one_sound_per_key(notes: list[Note]) -> list[Note]:
    """Trim each note that is still sounding when its key is struck again (notes sorted by start)."""
    kept: list[Note | None] = []
    last_index_of_pitch: dict[int, int] = {}
    for note in notes:
        previous_index = last_index_of_pitch.get(note.pitch)
        if previous_index is not None:
            previous = kept[previous_index]
            if previous.end > note.start:
                trimmed = Note(previous.pitch, previous.start, note.start, previous.velocity)
                kept[previous_index] = trimmed if trimmed.end > trimmed.start else None
        last_index_of_pitch[note.pitch] = len(kept)
        kept.append(note)
    return [note for note in kept if note is not None]
