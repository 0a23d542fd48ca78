"""Pianorolls: a Song as a picture of which keys sound when, the input and output of the GAN.

Lesson: lessons/02_music_as_data.ipynb (making and reading pianorolls) and lessons/03_gans.ipynb (the GAN
draws them).

The one layout used everywhere in this package:

    roll[track, step, pitch] = velocity        shape (tracks, time steps, 128), dtype uint8

- a time step is 1/`steps_per_beat` of a beat (4 steps per beat: sixteenth notes);
- pitch is the MIDI note number 0..127 (60 = middle C); `crop_pitches` keeps a smaller range, as models
  do to save memory, and `pad_pitches` puts a cropped roll back into the full 128;
- the value is the note's velocity 1..127, and 0 means silence.

A note from beat `start` to `end` covers steps round(start * steps_per_beat) up to (not including)
round(end * steps_per_beat), at least one step. Where notes overlap, the louder velocity wins.

Going back (`from_pianoroll`), each run of non-zero steps of one pitch becomes one note, with the velocity
of its first step. A pianoroll alone cannot tell a long note from the same key struck twice in a row;
`to_onset_roll` records where notes begin, and passing it as `onsets=` to `from_pianoroll` splits runs
there, so repeated notes come back as they were.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import InvalidArgumentError
from .song import Note, Song, TempoChange, TimeSignature, Track

PITCHES = 128
MAX_CELLS = 256 * 1024 * 1024  # 256 MB of uint8: a bigger roll is almost surely a mistake on a laptop


def _steps_of(song: Song, steps_per_beat: int, steps: int | None) -> int:
    if not isinstance(steps_per_beat, (int, np.integer)) or steps_per_beat < 1:
        raise InvalidArgumentError(f"steps_per_beat must be a whole number >= 1, got {steps_per_beat!r}")
    if steps is None:
        steps = int(np.ceil(round(song.end_beat * steps_per_beat, 6)))
    if steps < 0:
        raise InvalidArgumentError(f"steps must not be negative, got {steps}")
    cells = max(len(song.tracks), 1) * steps * PITCHES
    if cells > MAX_CELLS:
        raise InvalidArgumentError(
            f"a pianoroll of {len(song.tracks)} tracks x {steps:,} steps x 128 pitches would take "
            f"{cells / 2**20:,.0f} MB (the limit is {MAX_CELLS / 2**20:,.0f} MB): slice the song or use fewer steps per beat"
        )
    return steps


def _note_steps(note: Note, steps_per_beat: int) -> tuple[int, int]:
    """The steps a note covers: [first, last + 1), at least one step."""
    first = round(note.start * steps_per_beat)
    return first, max(round(note.end * steps_per_beat), first + 1)


def to_pianoroll(song: Song, steps_per_beat: int = 4, steps: int | None = None) -> np.ndarray:
    """The song as velocities, shape (tracks, steps, 128), uint8. `steps` fixes the length (pads or cuts)."""
    steps = _steps_of(song, steps_per_beat, steps)
    roll = np.zeros((len(song.tracks), steps, PITCHES), dtype=np.uint8)  # (tracks, steps, 128)
    for index, track in enumerate(song.tracks):
        if track.notes:
            _draw_notes(roll[index], track.notes, steps_per_beat)
    return roll


def _draw_notes(roll: np.ndarray, notes: list[Note], steps_per_beat: int) -> None:
    """Write the notes' velocities into one track's (steps, 128) roll, all notes at once."""
    pitch = np.array([note.pitch for note in notes])  # (notes,)
    velocity = np.clip([int(note.velocity) for note in notes], 1, 127).astype(np.uint8)
    first = np.rint(np.array([note.start for note in notes]) * steps_per_beat).astype(np.int64)
    stop = np.maximum(np.rint(np.array([note.end for note in notes]) * steps_per_beat).astype(np.int64), first + 1)
    first, stop = np.minimum(first, roll.shape[0]), np.minimum(stop, roll.shape[0])  # notes past `steps` are cut
    lengths = stop - first
    if lengths.sum() > 4 * roll.size:  # piles of long overlapping notes: draw them one by one instead
        for p, v, a, b in zip(pitch, velocity, first, stop):
            np.maximum(roll[a:b, p], v, out=roll[a:b, p])
        return
    # Every covered cell as (step, pitch): a note of length n covers first, first + 1, ..., first + n - 1.
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    cell_steps = np.repeat(first, lengths) + offsets
    np.maximum.at(roll, (cell_steps, np.repeat(pitch, lengths)), np.repeat(velocity, lengths))  # louder wins


def to_onset_roll(song: Song, steps_per_beat: int = 4, steps: int | None = None) -> np.ndarray:
    """Where notes begin: True at each note's first step, shape (tracks, steps, 128), bool."""
    steps = _steps_of(song, steps_per_beat, steps)
    onsets = np.zeros((len(song.tracks), steps, PITCHES), dtype=bool)  # (tracks, steps, 128)
    for index, track in enumerate(song.tracks):
        for note in track.notes:
            first, _ = _note_steps(note, steps_per_beat)
            if first < steps:
                onsets[index, first, note.pitch] = True
    return onsets


def from_pianoroll(
    roll: np.ndarray,
    steps_per_beat: int = 4,
    programs: Sequence[int] | None = None,
    is_drum: Sequence[bool] | None = None,
    tempo: float = 120.0,
    onsets: np.ndarray | None = None,
    names: Sequence[str] | None = None,
    time_signature: tuple[int, int] = (4, 4),
    velocity: int = 80,
) -> Song:
    """A Song from a pianoroll of shape (tracks, steps, 128) or (steps, 128) for one track.

    Values are velocities (0 = silent, clipped to 127); a bool roll plays every note at `velocity`.
    `programs`, `is_drum` and `names` give one value per track (defaults: piano, not drums, "track N").
    `onsets` (same shape, bool) starts a new note wherever it is True inside a run.
    """
    roll = np.asarray(roll)
    if roll.ndim == 2:
        roll = roll[np.newaxis]
        onsets = None if onsets is None else np.asarray(onsets)[np.newaxis]
    if roll.ndim != 3 or roll.shape[2] != PITCHES:
        raise InvalidArgumentError(
            f"a pianoroll has shape (tracks, steps, 128), got {roll.shape}; "
            "use pad_pitches to put a cropped roll back into 128 pitches"
        )
    if not isinstance(steps_per_beat, (int, np.integer)) or steps_per_beat < 1:
        raise InvalidArgumentError(f"steps_per_beat must be a whole number >= 1, got {steps_per_beat!r}")
    if onsets is not None and np.shape(onsets) != roll.shape:
        raise InvalidArgumentError(f"onsets must have the roll's shape {roll.shape}, got {np.shape(onsets)}")
    track_count = roll.shape[0]
    programs = list(programs) if programs is not None else [0] * track_count
    drums = list(is_drum) if is_drum is not None else [False] * track_count
    names = list(names) if names is not None else [f"track {index + 1}" for index in range(track_count)]
    for label, values in (("programs", programs), ("is_drum", drums), ("names", names)):
        if len(values) != track_count:
            raise InvalidArgumentError(f"{label} needs one value per track ({track_count}), got {len(values)}")
    if roll.dtype == bool:
        velocities = np.where(roll, np.uint8(min(max(velocity, 1), 127)), np.uint8(0))
    else:
        velocities = np.clip(np.nan_to_num(roll), 0, 127).astype(np.uint8)

    tracks = []
    for index in range(track_count):
        track_onsets = None if onsets is None else np.asarray(onsets[index], dtype=bool)
        notes = _runs_to_notes(velocities[index], steps_per_beat, track_onsets)
        tracks.append(Track(notes=notes, program=int(programs[index]), name=str(names[index]),
                            is_drum=bool(drums[index])))
    numerator, denominator = time_signature
    return Song(tracks=tracks, tempos=[TempoChange(0.0, float(tempo))],
                time_signatures=[TimeSignature(0.0, numerator, denominator)])


def _runs_to_notes(velocities: np.ndarray, steps_per_beat: int, onsets: np.ndarray | None) -> list[Note]:
    """Notes from one track's (steps, 128) velocities: a note per run of non-zero steps (split at onsets)."""
    steps = velocities.shape[0]
    active = velocities.T > 0  # (128, steps): one row per pitch, so nonzero() lists notes pitch by pitch
    before = np.pad(active, ((0, 0), (1, 0)))[:, :-1]  # the step before each step
    after = np.pad(active, ((0, 0), (0, 1)))[:, 1:]  # the step after
    starts = active & ~before
    if onsets is not None:
        starts |= active & onsets.T
    run_ends = active & ~after  # last step of each run
    start_pitch, start_step = np.nonzero(starts)
    end_pitch, end_step = np.nonzero(run_ends)
    # Number every (pitch, step) cell in row order, so "the next run end after this start" is a search.
    start_key = start_pitch * (steps + 1) + start_step
    end_key = end_pitch * (steps + 1) + end_step
    stop = end_step[np.searchsorted(end_key, start_key)] + 1  # end of the run holding each start
    # With onsets, a run can hold several starts: each note then ends where the next one of its pitch starts.
    next_step = np.append(start_step[1:], steps + 1)
    same_pitch = np.append(start_pitch[1:] == start_pitch[:-1], False)
    stop = np.where(same_pitch & (next_step < stop), next_step, stop)
    first_velocity = velocities[start_step, start_pitch]
    notes = [
        Note(int(pitch), int(first) / steps_per_beat, int(last) / steps_per_beat, int(velocity))
        for pitch, first, last, velocity in zip(start_pitch, start_step, stop, first_velocity)
    ]
    notes.sort(key=lambda note: (note.start, note.pitch))
    return notes


def crop_pitches(roll: np.ndarray, low: int, high: int) -> np.ndarray:
    """Keep pitches `low` up to (not including) `high` of the last axis: (..., 128) -> (..., high - low).

    Notes outside the range are dropped. Returns a view, like any numpy slice.
    """
    if not 0 <= low < high <= PITCHES:
        raise InvalidArgumentError(f"pitch range {low}:{high} must satisfy 0 <= low < high <= 128")
    if np.shape(roll)[-1] != PITCHES:
        raise InvalidArgumentError(f"crop_pitches expects 128 pitches on the last axis, got shape {np.shape(roll)}")
    return np.asarray(roll)[..., low:high]


def pad_pitches(cropped: np.ndarray, low: int) -> np.ndarray:
    """The inverse of `crop_pitches`: put a (..., n) roll starting at pitch `low` back into (..., 128)."""
    cropped = np.asarray(cropped)
    width = cropped.shape[-1]
    if low < 0 or low + width > PITCHES:
        raise InvalidArgumentError(f"{width} pitches from {low} do not fit in MIDI's 0..127")
    full = np.zeros(cropped.shape[:-1] + (PITCHES,), dtype=cropped.dtype)
    full[..., low:low + width] = cropped
    return full
