"""Operations on songs: quantise, transpose, slice, concatenate, change tempo, merge/split tracks, skyline.

Lesson: lessons/01_record_a_melody.ipynb (quantise, transpose, slice the theme you recorded) and
lessons/02_music_as_data.ipynb (merge, split and the skyline melody, before the music becomes a pianoroll).

Every function takes a Song and returns a NEW Song; the input is never changed. Times are in beats, so
changing the tempo never moves a note relative to the beat, only how fast the beats go by.

Conventions chosen here (and why):
- `transpose` refuses to push a note outside MIDI's 0..127 (an error naming the note) rather than
  silently clipping it to a wrong pitch; drum tracks are not transposed (their pitches are instruments).
- `slice_bars` counts bars from 0 and takes `end_bar` exclusively, like a Python slice: bars 0..3 are
  `slice_bars(song, 0, 4)`. Notes crossing a cut are trimmed to it; the slice starts at beat 0.
- `concatenate` starts each song at the first bar line after the previous one ends; a track continues the
  track of the same name, program and drum flag in earlier songs, otherwise it is added as a new track.
- `merge_tracks` gives at most two tracks: every pitched track into one, every drum track into one.
- `split_tracks` splits each pitched track at a pitch (middle C by default), like a pianist's right and
  left hands, the inverse of merging two hands; drum tracks and tracks on one side only are kept whole.
- `skyline` keeps, at every onset, the highest note if it is higher than whatever the melody is still
  holding; each kept note ends at the next kept note, so the line is monophonic.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import replace

from ..errors import InvalidArgumentError
from .keys import PITCH_CLASS_NAMES, parse_key
from .song import Note, Song, TempoChange, TimeSignature, Track, note_order

_EPSILON = 1e-9  # beats closer than this are the same time (float rounding)


def _with_tracks(song: Song, tracks: list[Track], **changes) -> Song:
    """A copy of `song` with new tracks (and any other fields changed); lists are copied, never shared."""
    return replace(
        song,
        tracks=tracks,
        tempos=list(changes.pop("tempos", song.tempos)),
        time_signatures=list(changes.pop("time_signatures", song.time_signatures)),
        **changes,
    )


def _map_notes(song: Song, function, skip_drums: bool = False) -> Song:
    """Apply `function(note) -> Note | None` to every note (None drops it)."""
    tracks = []
    for track in song.tracks:
        if skip_drums and track.is_drum:
            tracks.append(replace(track, notes=list(track.notes)))
            continue
        notes = [new for new in (function(note) for note in track.notes) if new is not None]
        tracks.append(replace(track, notes=sorted(notes, key=note_order)))
    return _with_tracks(song, tracks)


# --- time and pitch ----------------------------------------------------------------------------------------


def quantize(song: Song, steps_per_beat: int = 4) -> Song:
    """Snap every note's start and end to the nearest grid line (4 steps per beat = sixteenth notes).

    A note that would shrink to nothing keeps one grid step, so no note disappears.
    """
    if not isinstance(steps_per_beat, numbers.Integral) or isinstance(steps_per_beat, bool) or steps_per_beat < 1:
        raise InvalidArgumentError(f"steps_per_beat must be a whole number >= 1, got {steps_per_beat!r}")

    steps_per_beat = int(steps_per_beat)

    def snap(note: Note) -> Note:
        start = round(note.start * steps_per_beat)
        end = max(round(note.end * steps_per_beat), start + 1)
        return replace(note, start=start / steps_per_beat, end=end / steps_per_beat)

    return _map_notes(song, snap)


def transpose(song: Song, semitones: int) -> Song:
    """Move every pitched note up (positive) or down (negative) by `semitones`; drums stay as they are.

    Raises InvalidArgumentError if a note would leave MIDI's range 0..127. The key, if known, moves too.
    """
    if int(semitones) != semitones:
        raise InvalidArgumentError(f"transpose by a whole number of semitones, got {semitones!r}")
    semitones = int(semitones)
    pitches = [note.pitch for track in song.tracks if not track.is_drum for note in track.notes]
    if pitches and (min(pitches) + semitones < 0 or max(pitches) + semitones > 127):
        raise InvalidArgumentError(
            f"transposing by {semitones:+d} semitones takes notes outside MIDI's 0..127 "
            f"(the song spans {min(pitches)}..{max(pitches)})"
        )
    moved = _map_notes(song, lambda note: replace(note, pitch=note.pitch + semitones), skip_drums=True)
    moved.key = _transpose_key(song.key, semitones)
    return moved


def _transpose_key(key: str | None, semitones: int) -> str | None:
    if key is None:
        return None
    try:
        tonic, minor = parse_key(key)
    except InvalidArgumentError:
        return None  # a key we cannot read is better dropped than left wrong
    return f"{PITCH_CLASS_NAMES[(tonic + semitones) % 12]} {'minor' if minor else 'major'}"


def change_tempo(song: Song, bpm: float) -> Song:
    """Set the opening tempo to `bpm`; later tempo changes are scaled by the same factor.

    Notes stay on the same beats; only how fast the beats go by changes.
    """
    if not (isinstance(bpm, (int, float)) and math.isfinite(bpm) and bpm > 0):
        raise InvalidArgumentError(f"tempo must be a positive number of BPM, got {bpm!r}")
    factor = bpm / song.tempo
    tempos = [TempoChange(change.beat, change.bpm * factor) for change in song.tempos]
    tempos[0] = TempoChange(0.0, float(bpm))  # exactly what was asked, without float drift
    return _with_tracks(song, [replace(track, notes=list(track.notes)) for track in song.tracks], tempos=tempos)


# --- bars --------------------------------------------------------------------------------------------------


def bar_beat(song: Song, bar: int) -> float:
    """The beat at which bar number `bar` (counting from 0) begins, following meter changes."""
    beat = 0.0
    for _ in range(bar):
        beat += song.time_signature_at(beat).bar_length
    return beat


def slice_bars(song: Song, start_bar: int, end_bar: int | None = None) -> Song:
    """Bars `start_bar` up to (not including) `end_bar`, counted from 0, as a song starting at beat 0.

    `end_bar=None` means to the end. Notes crossing a cut are trimmed to it. The tempo and meter in force
    at the start are carried over; changes inside the slice are kept.
    """
    if start_bar < 0 or (end_bar is not None and end_bar <= start_bar):
        raise InvalidArgumentError(
            f"bars {start_bar}:{'' if end_bar is None else end_bar} is not a slice: bars count from 0 "
            "and the end bar must come after the start bar"
        )
    start = bar_beat(song, start_bar)
    end = math.inf if end_bar is None else bar_beat(song, end_bar)

    def cut(note: Note) -> Note | None:
        new_start, new_end = max(note.start, start), min(note.end, end)
        if new_end - new_start <= _EPSILON:
            return None
        return replace(note, start=new_start - start, end=new_end - start)

    sliced = _map_notes(song, cut)
    sliced.tempos = _shift_changes(song.tempos, start, end)
    sliced.time_signatures = _shift_changes(song.time_signatures, start, end)
    return sliced


def _shift_changes(changes: list, start: float, end: float) -> list:
    """Tempo or meter changes inside [start, end), moved so `start` becomes beat 0, with the one in force."""
    in_force = [change for change in changes if change.beat <= start + _EPSILON][-1]
    shifted = [replace(in_force, beat=0.0)]
    shifted += [replace(change, beat=change.beat - start) for change in changes
                if start + _EPSILON < change.beat < end - _EPSILON]
    return shifted


def end_of_last_bar(song: Song) -> float:
    """Beat of the first bar line at or after the last note's end (0.0 for an empty song)."""
    if not song.note_count:
        return 0.0
    last_bar = song.bar_starts()[-1]
    bar_end = last_bar + song.time_signature_at(last_bar).bar_length
    return last_bar if abs(song.end_beat - last_bar) <= _EPSILON else bar_end


def concatenate(*songs: Song) -> Song:
    """Play the songs one after another, each starting on the bar line after the previous one ends.

    Tempo and meter changes of later songs are carried over. The result has the first song's title and key.
    """
    if not songs:
        raise InvalidArgumentError("concatenate needs at least one song")
    tracks: list[Track] = []
    slots: dict[tuple, Track] = {}  # (name, program, is_drum, n-th such track) -> track of the result
    tempos: list[TempoChange] = []
    meters: list[TimeSignature] = []
    offset = 0.0
    for song in songs:
        seen: dict[tuple, int] = {}
        for track in song.tracks:
            kind = (track.name, track.program, track.is_drum)
            seen[kind] = seen.get(kind, 0) + 1
            slot = slots.get(kind + (seen[kind],))
            if slot is None:
                slot = slots[kind + (seen[kind],)] = replace(track, notes=[])
                tracks.append(slot)
            slot.notes.extend(replace(note, start=note.start + offset, end=note.end + offset) for note in track.notes)
        tempos += [replace(change, beat=change.beat + offset) for change in song.tempos]
        meters += [replace(sig, beat=sig.beat + offset) for sig in song.time_signatures]
        offset += end_of_last_bar(song)
    for track in tracks:
        track.notes.sort(key=note_order)
    return replace(songs[0], tracks=tracks, tempos=_drop_repeats(tempos), time_signatures=_drop_repeats(meters))


def _drop_repeats(changes: list) -> list:
    """Keep a change only if it changes something; of several on one beat, the last one wins."""
    by_beat: dict[float, object] = {}
    for change in changes:
        by_beat[round(change.beat, 9)] = change
    kept = []
    for change in sorted(by_beat.values(), key=lambda change: change.beat):
        if not kept or replace(kept[-1], beat=change.beat) != change:
            kept.append(change)
    return kept


# --- tracks ------------------------------------------------------------------------------------------------


def merge_tracks(song: Song) -> Song:
    """All pitched tracks as one track (the first pitched track's program and name), all drums as one."""
    pitched = [track for track in song.tracks if not track.is_drum]
    drums = [track for track in song.tracks if track.is_drum]
    tracks = []
    for group in (pitched, drums):
        if group:
            notes = sorted((note for track in group for note in track.notes), key=note_order)
            tracks.append(replace(group[0], notes=notes))
    return _with_tracks(song, tracks)


def split_tracks(song: Song, at_pitch: int = 60) -> Song:
    """Split each pitched track into a high part (pitch >= `at_pitch`) and a low part, like two hands.

    The parts are named "<name> (high)" and "<name> (low)" and keep the program. Drum tracks, and tracks
    whose notes all lie on one side, are kept whole.
    """
    if not 0 <= at_pitch <= 127:
        raise InvalidArgumentError(f"at_pitch must be a MIDI pitch 0..127, got {at_pitch}")
    tracks = []
    for track in song.tracks:
        high = [note for note in track.notes if note.pitch >= at_pitch]
        low = [note for note in track.notes if note.pitch < at_pitch]
        if track.is_drum or not high or not low:
            tracks.append(replace(track, notes=list(track.notes)))
            continue
        name = track.name or "track"
        tracks.append(replace(track, notes=high, name=f"{name} (high)"))
        tracks.append(replace(track, notes=low, name=f"{name} (low)"))
    return _with_tracks(song, tracks)


def skyline(song: Song) -> Song:
    """The top melody line: one monophonic track of the highest notes (drums ignored).

    At each onset, the highest note starting there joins the melody if it is higher than the note the
    melody is still holding (or nothing is held); the held note is then cut where the new one starts.
    The result has the program and name of the first pitched track (name "melody" if it had none).
    """
    pitched = [track for track in song.tracks if not track.is_drum]
    by_onset: dict[float, Note] = {}
    for note in sorted((note for track in pitched for note in track.notes), key=note_order):
        current = by_onset.get(note.start)
        if current is None or note.pitch > current.pitch or (note.pitch == current.pitch and note.end > current.end):
            by_onset[note.start] = note
    melody: list[Note] = []
    for onset in sorted(by_onset):
        note = by_onset[onset]
        if melody and melody[-1].end > onset + _EPSILON:
            if melody[-1].pitch >= note.pitch:
                continue  # a higher (or equal) note is still sounding: this one is hidden under it
            melody[-1] = replace(melody[-1], end=onset)
        melody.append(note)
    template = pitched[0] if pitched else Track()
    line = Track(notes=melody, program=template.program, name=template.name or "melody", is_drum=False)
    return _with_tracks(song, [line])
