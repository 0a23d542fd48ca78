"""Music as a sequence of tokens (words), the way a transformer reads and writes it.

Lesson: lessons/02_music_as_data.ipynb (tokens both ways) and lessons/04_transformers.ipynb (the model).

Two named encodings; each has `encode(song) -> list[int]`, `decode(tokens) -> Song` and a vocabulary of
token names (`vocabulary`, `names(tokens)`). Times are first snapped to a grid of `steps_per_beat` steps
(4: sixteenth notes), exactly as `music.ops.quantize` snaps them; a round trip gives back the quantised notes.

**"remi"**, after REMI (Huang & Yang, "Pop Music Transformer", 2020), with tracks and meter as in REMI+:

    <bos> Tempo_120 Program_0 Program_33 Drums      header: the tempo, then one token per track, in order
    Bar Meter_4/4                                   a bar; its meter when it is the first or a new one
    Position_0 Track_0 Pitch_60 Duration_4 Velocity_10 Pitch_64 Duration_4 Velocity_10
               Track_2 Drum_36 Duration_1 Velocity_12
    Position_8 Track_1 Pitch_43 Duration_8 Velocity_10
    Bar ... <eos>

- The header declares the tracks in the Song's order: the i-th `Program_p` (or `Drums`) is `Track_i`.
- Inside a bar, notes come by position (steps from the bar line), then by track, then by pitch (low to
  high). `Position` is written when it changes; `Track` whenever the track changes or a position starts.
- Drum notes use `Drum_k` (k = GM drum key), pitched notes `Pitch_k`: a drum key is not a pitch.
- `Duration_d`: d steps (1..128, longer notes are cut to 128); `Velocity_v`: velocity // 8 (0..15),
  decoded as 8v + 4; `Tempo_b`: the opening tempo rounded to a multiple of 4 BPM (decoded as that).
- `Meter_n/d` for the common meters; any other bar is `BarSteps_k` (k steps long; decoded as k/16 at 4
  steps per beat). A bar may be at most 128 steps (32 beats at 4 steps per beat); bar lines are snapped
  to the grid (half a step rounds up), and a bar shorter than half a step is merged into the next one.
- `decode` reads whatever a model writes: a token out of place is skipped, never an error.

**"jsb_chorale"**, the encoding of the published JSB chorale results (e.g. Huang et al., "Music
Transformer", 2018): at every sixteenth-note step, the pitches of soprano, alto, tenor and bass in that
order (4 tokens per step). A held note repeats its pitch; a silent voice gives the rest token. Tokens 0..127
are MIDI pitches and 128 is the rest. Like the published one, this encoding cannot tell a held note from
the same note struck again: decoding joins them into one long note. It needs exactly four tracks.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field

from ..errors import InvalidArgumentError
from .song import Note, Song, TempoChange, TimeSignature, Track

STEPS_PER_BEAT = 4
MAX_TRACKS = 16
MAX_DURATION = 128
MAX_BAR_STEPS = 128
VELOCITY_BIN = 8
TEMPO_STEP = 4
TEMPO_RANGE = (20, 320)
COMMON_METERS = (
    (1, 4), (2, 4), (3, 4), (4, 4), (5, 4), (6, 4), (7, 4), (8, 4), (9, 4), (12, 4),
    (1, 8), (2, 8), (3, 8), (4, 8), (5, 8), (6, 8), (7, 8), (9, 8), (12, 8),
    (2, 2), (3, 2), (4, 2), (6, 2), (2, 1), (3, 1), (4, 1), (1, 16),
)  # fmt: skip
ENCODINGS = ("remi", "jsb_chorale")


def snap(note: Note, steps_per_beat: int) -> tuple[int, int]:
    """The grid steps [first, stop) a note covers, as `ops.quantize` snaps it (at least one step)."""
    first = round(note.start * steps_per_beat)
    return first, max(round(note.end * steps_per_beat), first + 1)


# --- REMI -----------------------------------------------------------------------------------------------


def _remi_vocabulary() -> list[str]:
    names = ["<pad>", "<bos>", "<eos>", "Bar"]
    names += [f"Meter_{n}/{d}" for n, d in COMMON_METERS]
    names += [f"BarSteps_{k}" for k in range(1, MAX_BAR_STEPS + 1)]
    names += [f"Position_{p}" for p in range(MAX_BAR_STEPS)]
    names += [f"Tempo_{b}" for b in range(TEMPO_RANGE[0], TEMPO_RANGE[1] + 1, TEMPO_STEP)]
    names += [f"Program_{p}" for p in range(128)] + ["Drums"]
    names += [f"Track_{t}" for t in range(MAX_TRACKS)]
    names += [f"Pitch_{p}" for p in range(128)]
    names += [f"Drum_{k}" for k in range(128)]
    names += [f"Duration_{d}" for d in range(1, MAX_DURATION + 1)]
    names += [f"Velocity_{v}" for v in range(128 // VELOCITY_BIN)]
    return names


REMI_VOCABULARY: list[str] = _remi_vocabulary()
REMI_IDS: dict[str, int] = {name: index for index, name in enumerate(REMI_VOCABULARY)}
PAD, BOS, EOS = 0, 1, 2


def bar_grid(song: Song, steps_per_beat: int, until_step: int) -> list[tuple[int, int, int]]:
    """(first step, numerator, denominator) of every bar up to `until_step`, bar lines rounded half up."""
    bars = []
    for beat in song.bar_starts(until_beat=max(until_step / steps_per_beat, 1e-9)):
        signature = song.time_signature_at(beat)
        bars.append((math.floor(beat * steps_per_beat + 0.5), signature.numerator, signature.denominator))
    return bars


def _meter_token(numerator: int, denominator: int, steps: int, steps_per_beat: int) -> str:
    """`Meter_n/d` for a common meter whose bar is `steps` long, else `BarSteps_<steps>`."""
    if (numerator, denominator) in COMMON_METERS and numerator * 4 * steps_per_beat == steps * denominator:
        return f"Meter_{numerator}/{denominator}"
    return f"BarSteps_{steps}"


def encode_remi(song: Song, steps_per_beat: int = STEPS_PER_BEAT) -> list[int]:
    """The song as REMI token ids (see the module docstring for the grammar)."""
    if len(song.tracks) > MAX_TRACKS:
        raise InvalidArgumentError(f"REMI holds at most {MAX_TRACKS} tracks, this song has {len(song.tracks)}")
    events = []  # (step, track, pitch, duration, velocity bin, is_drum), sorted: the order of the tokens
    for index, track in enumerate(song.tracks):
        for note in track.notes:
            first, stop = snap(note, steps_per_beat)
            velocity = min(max(int(note.velocity), 0), 127) // VELOCITY_BIN
            events.append((first, index, note.pitch, min(stop - first, MAX_DURATION), velocity, track.is_drum))
    events.sort()
    event_steps = [event[0] for event in events]
    bars = bar_grid(song, steps_per_beat, max(event_steps, default=0) + 1)

    tempo = min(max(round(song.tempo / TEMPO_STEP) * TEMPO_STEP, TEMPO_RANGE[0]), TEMPO_RANGE[1])
    names = ["<bos>", f"Tempo_{tempo}"]
    names += ["Drums" if track.is_drum else f"Program_{track.program}" for track in song.tracks]
    meter = None
    for bar_index, (bar_start, numerator, denominator) in enumerate(bars):
        nominal = round(numerator * 4 / denominator * steps_per_beat)
        bar_end = bars[bar_index + 1][0] if bar_index + 1 < len(bars) else bar_start + nominal
        length = bar_end - bar_start
        if length == 0:  # a sliver of a bar (1/32 in 4 steps per beat): its notes go to the next bar
            continue
        if length > MAX_BAR_STEPS:
            raise InvalidArgumentError(
                f"a bar of {length} steps at beat {bar_start / steps_per_beat:g} is longer than REMI's {MAX_BAR_STEPS}")
        names.append("Bar")
        token = _meter_token(numerator, denominator, length, steps_per_beat)
        if token != meter:
            names.append(token)
            meter = token
        position = track = None
        for step, index, pitch, duration, velocity, is_drum in events[bisect.bisect_left(event_steps, bar_start):]:
            if step >= bar_end:
                break
            if step != position:
                names.append(f"Position_{step - bar_start}")
                position, track = step, None
            if index != track:
                names.append(f"Track_{index}")
                track = index
            names += [f"{'Drum' if is_drum else 'Pitch'}_{pitch}", f"Duration_{duration}", f"Velocity_{velocity}"]
    names.append("<eos>")
    return [REMI_IDS[name] for name in names]


@dataclass
class _RemiReader:
    """The decoder's state while it reads tokens one by one."""

    steps_per_beat: int
    tempo: float = 120.0
    tracks: list[Track] = field(default_factory=list)
    signatures: list[TimeSignature] = field(default_factory=list)
    bar_start: int = -1  # step of the current bar line (-1: before the first bar)
    bar_length: int = 16
    meter: tuple[int, int] = (4, 4)
    position: int = 0
    track: int = 0
    last: tuple[int, int] | None = None  # (track, index of its last note): Duration/Velocity apply to it

    def start_bar(self) -> None:
        self.bar_start = 0 if self.bar_start < 0 else self.bar_start + self.bar_length
        self.position = 0
        self.last = None

    def set_meter(self, numerator: int, denominator: int, steps: int) -> None:
        self.meter, self.bar_length = (numerator, denominator), steps
        beat = max(self.bar_start, 0) / self.steps_per_beat
        if self.signatures and self.signatures[-1].beat == beat:
            self.signatures.pop()  # a Meter right after the default 4/4 of a bare Bar replaces it
        if not self.signatures or (self.signatures[-1].numerator, self.signatures[-1].denominator) != self.meter:
            self.signatures.append(TimeSignature(beat, numerator, denominator))

    def ensure_track(self, index: int) -> Track:
        while len(self.tracks) <= index:
            self.tracks.append(Track(name=f"track {len(self.tracks) + 1}"))
        return self.tracks[index]

    def add_note(self, pitch: int, is_drum: bool) -> None:
        if self.bar_start < 0:
            self.start_bar()
            self.set_meter(4, 4, 4 * self.steps_per_beat)
        track = self.ensure_track(self.track)
        track.is_drum = track.is_drum or is_drum
        beat = (self.bar_start + self.position) / self.steps_per_beat
        track.notes.append(Note(pitch, beat, beat + 1 / self.steps_per_beat, 80))
        self.last = (self.track, len(track.notes) - 1)

    def change_last(self, **change) -> None:
        if self.last is None:
            return
        notes = self.tracks[self.last[0]].notes
        old = notes[self.last[1]]
        notes[self.last[1]] = Note(old.pitch, old.start, change.get("end", old.end), change.get("velocity", old.velocity))

    def read(self, name: str) -> None:
        kind, _, value = name.partition("_")
        if kind == "Bar":
            self.start_bar()
            if not self.signatures:
                self.set_meter(4, 4, 4 * self.steps_per_beat)
        elif kind == "Meter" and self.bar_start >= 0:
            numerator, denominator = map(int, value.split("/"))
            self.set_meter(numerator, denominator, round(numerator * 4 / denominator * self.steps_per_beat))
        elif kind == "BarSteps" and self.bar_start >= 0:
            self.set_meter(int(value), 4 * self.steps_per_beat, int(value))
        elif kind == "Position" and self.bar_start >= 0:
            self.position, self.last = int(value), None
        elif kind == "Tempo" and self.bar_start < 0:
            self.tempo = float(value)
        elif kind in ("Program", "Drums") and self.bar_start < 0:
            self.tracks.append(Track(program=int(value) if value else 0, is_drum=kind == "Drums",
                                     name=f"track {len(self.tracks) + 1}"))
        elif kind == "Track":
            self.track = int(value)
        elif kind in ("Pitch", "Drum"):
            self.add_note(int(value), is_drum=kind == "Drum")
        elif kind == "Duration" and self.last is not None:
            start = self.tracks[self.last[0]].notes[self.last[1]].start
            self.change_last(end=start + int(value) / self.steps_per_beat)
        elif kind == "Velocity":
            self.change_last(velocity=int(value) * VELOCITY_BIN + VELOCITY_BIN // 2)


def decode_remi(tokens, steps_per_beat: int = STEPS_PER_BEAT) -> Song:
    """A Song from REMI token ids (or names); tokens that do not fit the grammar are skipped."""
    reader = _RemiReader(steps_per_beat)
    for token in tokens:
        name = token if isinstance(token, str) else REMI_VOCABULARY[int(token)] if 0 <= int(token) < len(
            REMI_VOCABULARY) else "<pad>"
        if name == "<eos>":
            break
        reader.read(name)
    tracks = [track.sorted() for track in reader.tracks]
    return Song(tracks=tracks, tempos=[TempoChange(0.0, reader.tempo)],
                time_signatures=reader.signatures or [TimeSignature(0.0, 4, 4)])


def transpose_remi(tokens: list[int], semitones: int) -> list[int] | None:
    """The same REMI tokens with every `Pitch` moved by `semitones` (drums stay); None if one leaves 0..127."""
    first, last = REMI_IDS["Pitch_0"], REMI_IDS["Pitch_127"]
    moved = []
    for token in tokens:
        if first <= token <= last:
            token += semitones
            if not first <= token <= last:
                return None
        moved.append(token)
    return moved


# --- JSB chorale ----------------------------------------------------------------------------------------

CHORALE_REST = 128
CHORALE_VOCABULARY: list[str] = [f"Pitch_{p}" for p in range(128)] + ["Rest"]
CHORALE_VOICES = ("Soprano", "Alto", "Tenor", "Bass")


def encode_chorale(song: Song, steps_per_beat: int = STEPS_PER_BEAT) -> list[int]:
    """S, A, T, B pitch (or 128 = rest) at every step: 4 tokens per step; a voice's highest note wins."""
    if len(song.tracks) != 4:
        raise InvalidArgumentError(f"the chorale encoding needs 4 tracks (S, A, T, B), this song has {len(song.tracks)}")
    steps = max((snap(note, steps_per_beat)[1] for track in song.tracks for note in track.notes), default=0)
    grid = [[CHORALE_REST] * 4 for _ in range(steps)]
    for voice, track in enumerate(song.tracks):
        for note in track.notes:
            first, stop = snap(note, steps_per_beat)
            for step in range(first, stop):
                held = grid[step][voice]
                grid[step][voice] = note.pitch if held == CHORALE_REST else max(held, note.pitch)
    return [token for step in grid for token in step]


def decode_chorale(tokens, steps_per_beat: int = STEPS_PER_BEAT, tempo: float = 80.0,
                   time_signature: tuple[int, int] = (4, 4), program: int = 52) -> Song:
    """Four tracks from chorale tokens: each run of one pitch in a voice is one note (velocity 80)."""
    tokens = [int(token) for token in tokens]
    tracks = []
    for voice, name in enumerate(CHORALE_VOICES):
        line = tokens[voice::4]
        notes = []
        step = 0
        while step < len(line):
            pitch = line[step]
            run = step
            while run < len(line) and line[run] == pitch:
                run += 1
            if 0 <= pitch < 128:
                notes.append(Note(pitch, step / steps_per_beat, run / steps_per_beat, 80))
            step = run
        tracks.append(Track(notes=notes, program=program, name=name))
    numerator, denominator = time_signature
    return Song(tracks=tracks, tempos=[TempoChange(0.0, float(tempo))],
                time_signatures=[TimeSignature(0.0, numerator, denominator)])


# --- by name ---------------------------------------------------------------------------------------------


def vocabulary(encoding: str = "remi") -> list[str]:
    """The token names of `encoding`: token id i is `vocabulary(encoding)[i]`."""
    return {"remi": REMI_VOCABULARY, "jsb_chorale": CHORALE_VOCABULARY}[_check(encoding)]


def names(tokens, encoding: str = "remi") -> list[str]:
    """Token ids as their names, for reading: [1, 60, ...] -> ['<bos>', 'Tempo_120', ...]."""
    words = vocabulary(encoding)
    return [words[int(token)] for token in tokens]


def encode(song: Song, encoding: str = "remi", steps_per_beat: int = STEPS_PER_BEAT) -> list[int]:
    """The song as token ids in the named encoding ("remi" or "jsb_chorale")."""
    coder = encode_remi if _check(encoding) == "remi" else encode_chorale
    return coder(song, steps_per_beat)


def decode(tokens, encoding: str = "remi", steps_per_beat: int = STEPS_PER_BEAT) -> Song:
    """The Song of token ids in the named encoding ("remi" or "jsb_chorale")."""
    coder = decode_remi if _check(encoding) == "remi" else decode_chorale
    return coder(tokens, steps_per_beat)


def _check(encoding: str) -> str:
    if encoding not in ENCODINGS:
        raise InvalidArgumentError(f"unknown token encoding {encoding!r}; use one of {', '.join(ENCODINGS)}")
    return encoding
