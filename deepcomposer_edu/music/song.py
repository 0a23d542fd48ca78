"""The `Song`: the one value that flows through the whole course.

Lesson: lessons/00_welcome.ipynb (first look) and lessons/02_music_as_data.ipynb (the representations).

A `Song` is a small, plain data object, in the spirit of pretty_midi's `PrettyMIDI`, but with note times in
**beats** (quarter notes) rather than seconds. Beats are what musicians count and what models learn from: a
melody played faster is the same melody. Seconds are derived through the song's tempo map whenever sound
or real time is needed (`song.seconds_at(beat)`).

Units, once and for all:
- pitch: MIDI note number, 0..127 (60 is middle C, C4; 69 is A4 = 440 Hz)
- start, end: beats (quarter notes) from the start of the song
- velocity: MIDI velocity, 1..127 (how hard the key was struck)
- program: General MIDI program, 0..127 (0 is Acoustic Grand Piano); ignored for drum tracks
- tempo: beats (quarter notes) per minute

Everything else (MIDI files, pianorolls, tokens, audio, plots) is a conversion from or to a Song, written as
a plain function in its own module.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace

from ..errors import InvalidArgumentError

DEFAULT_TEMPO = 120.0


@dataclass(frozen=True)
class Note:
    """One note: which key (pitch), when it starts and ends (in beats), and how hard (velocity)."""

    pitch: int
    start: float
    end: float
    velocity: int = 80

    @property
    def duration(self) -> float:
        """Length of the note in beats."""
        return self.end - self.start


def note_order(note: Note) -> tuple[float, int, float, int]:
    """Sort key for notes: by start, then pitch (low to high), then end, then velocity."""
    return (note.start, note.pitch, note.end, note.velocity)


@dataclass
class Track:
    """A part played by one instrument: its notes (kept sorted by start), GM program, name and drum flag."""

    notes: list[Note] = field(default_factory=list)
    program: int = 0
    name: str = ""
    is_drum: bool = False

    def sorted(self) -> "Track":
        """A copy with the notes in time order (then pitch), the order every writer and model expects."""
        return replace(self, notes=sorted(self.notes, key=note_order))


@dataclass(frozen=True, order=True)
class TempoChange:
    """From `beat` on, the music goes at `bpm` quarter notes per minute."""

    beat: float
    bpm: float


@dataclass(frozen=True, order=True)
class TimeSignature:
    """From `beat` on, bars have `numerator` beats of note value 1/`denominator` (3/4, 6/8, ...)."""

    beat: float
    numerator: int = 4
    denominator: int = 4

    @property
    def bar_length(self) -> float:
        """Length of one bar in quarter-note beats: 4/4 -> 4.0, 3/4 -> 3.0, 6/8 -> 3.0."""
        return self.numerator * 4.0 / self.denominator


@dataclass
class Song:
    """A piece of music: tracks of notes, a tempo map, a meter map and (if known) a key.

    `tempos` and `time_signatures` are sorted lists whose first entry is at beat 0; an empty list means the
    MIDI defaults (120 BPM, 4/4). `key` is a plain string such as "C major" or "F# minor", or None.
    """

    tracks: list[Track] = field(default_factory=list)
    tempos: list[TempoChange] = field(default_factory=lambda: [TempoChange(0.0, DEFAULT_TEMPO)])
    time_signatures: list[TimeSignature] = field(default_factory=lambda: [TimeSignature(0.0, 4, 4)])
    key: str | None = None
    title: str = ""

    def __post_init__(self) -> None:
        self.tempos = sorted(self.tempos) or [TempoChange(0.0, DEFAULT_TEMPO)]
        if self.tempos[0].beat > 0:
            self.tempos.insert(0, TempoChange(0.0, self.tempos[0].bpm))
        for change in self.tempos:
            if not change.bpm > 0:
                raise InvalidArgumentError(f"tempo must be positive, got {change.bpm} BPM at beat {change.beat}")
        self.time_signatures = sorted(self.time_signatures) or [TimeSignature(0.0, 4, 4)]
        if self.time_signatures[0].beat > 0:
            first = self.time_signatures[0]
            self.time_signatures.insert(0, TimeSignature(0.0, first.numerator, first.denominator))

    # --- what is in it -------------------------------------------------------------------------------------

    @property
    def notes(self) -> list[Note]:
        """All notes of all tracks, in time order."""
        return sorted((note for track in self.tracks for note in track.notes), key=note_order)

    @property
    def note_count(self) -> int:
        return sum(len(track.notes) for track in self.tracks)

    @property
    def end_beat(self) -> float:
        """Beat at which the last note ends (0.0 for a song with no notes)."""
        return max((note.end for track in self.tracks for note in track.notes), default=0.0)

    @property
    def tempo(self) -> float:
        """The opening tempo in BPM (the one a learner usually means)."""
        return self.tempos[0].bpm

    @property
    def time_signature(self) -> TimeSignature:
        """The opening time signature."""
        return self.time_signatures[0]

    # --- beats and seconds ---------------------------------------------------------------------------------

    def seconds_at(self, beat: float) -> float:
        """Time in seconds at which `beat` sounds, following every tempo change before it."""
        seconds = 0.0
        for index, change in enumerate(self.tempos):
            next_beat = self.tempos[index + 1].beat if index + 1 < len(self.tempos) else None
            if next_beat is None or beat <= next_beat:
                return seconds + (beat - change.beat) * 60.0 / change.bpm
            seconds += (next_beat - change.beat) * 60.0 / change.bpm
        return seconds  # unreachable: the last tempo segment is open-ended

    def beat_at(self, seconds: float) -> float:
        """The inverse of `seconds_at`: which beat sounds at `seconds`."""
        elapsed = 0.0
        for index, change in enumerate(self.tempos):
            next_beat = self.tempos[index + 1].beat if index + 1 < len(self.tempos) else None
            segment = None if next_beat is None else (next_beat - change.beat) * 60.0 / change.bpm
            if segment is None or seconds <= elapsed + segment:
                return change.beat + (seconds - elapsed) * change.bpm / 60.0
            elapsed += segment
        return 0.0  # unreachable

    @property
    def duration_seconds(self) -> float:
        """Length of the song in seconds, up to the end of its last note."""
        return self.seconds_at(self.end_beat)

    # --- bars ----------------------------------------------------------------------------------------------

    def time_signature_at(self, beat: float) -> TimeSignature:
        """The time signature in force at `beat`."""
        starts = [sig.beat for sig in self.time_signatures]
        return self.time_signatures[max(0, bisect.bisect_right(starts, beat + 1e-9) - 1)]

    def bar_starts(self, until_beat: float | None = None) -> list[float]:
        """Beats at which bars begin, from 0 up to (and including the bar containing) `until_beat`.

        A time signature change takes effect at the next bar line if it falls inside a bar, as in MIDI
        files written by notation programs.
        """
        end = self.end_beat if until_beat is None else until_beat
        starts: list[float] = []
        beat = 0.0
        while beat < end - 1e-9 or not starts:
            starts.append(beat)
            beat += self.time_signature_at(beat).bar_length
        return starts

    def bar_lines(self, until_beat: float | None = None) -> list[float]:
        """`bar_starts(until_beat)` and the line that closes the last of those bars: bars + 1 beats, so bar i
        spans [lines[i], lines[i + 1])."""
        starts = self.bar_starts(until_beat)
        return [*starts, starts[-1] + self.time_signature_at(starts[-1]).bar_length]

    def bar_count(self) -> int:
        """Number of bars the notes reach into."""
        return len(self.bar_starts()) if self.note_count else 0

    def __repr__(self) -> str:
        sig = self.time_signature
        title = f" {self.title!r}" if self.title else ""
        return (
            f"<Song{title}: {len(self.tracks)} tracks, {self.note_count} notes, {self.end_beat:g} beats "
            f"({self.duration_seconds:.1f} s), {self.tempo:g} BPM, {sig.numerator}/{sig.denominator}"
            f"{', ' + self.key if self.key else ''}>"
        )
