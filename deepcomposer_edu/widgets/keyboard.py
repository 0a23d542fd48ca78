"""The keyboard recorder: play a melody in the notebook, get a `Song` back.

Lesson: lessons/01_record_a_melody.ipynb. Keyboard layout, Web MIDI and fallbacks: docs/keyboard.md.

`KeyboardRecorder` is an anywidget in two halves. This Python half holds the settings (tempo, meter, bars,
count-in, grid, ...) and the recorded notes as traitlets, which Jupyter keeps in step with the browser half,
`keyboard.js` and `keyboard.css`: a plain ES module, no build step, nothing fetched from the internet.

The browser does everything that needs the learner's hands and ears: the on-screen piano, the computer
keyboard, a hardware keyboard through Web MIDI, sound through Web Audio, metronome and count-in, and a live
pianoroll. It sends each finished note back as a dict (pitch, velocity, start/end in ms from the recording's
first beat, and the same in beats at the tempo it was played at), appended to `notes`, and a message
{"type": "bar", "bar": n} when bar n (from 0) is over. This half turns the notes into a Song with
`recording.events_to_song`, and calls back `on_note` and `on_bar` functions as they arrive.

A note still held down when a bar ends belongs to that bar, but reaches Python only when it is released.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import anywidget
import traitlets

from ..errors import InvalidArgumentError
from ..music.ops import slice_bars
from ..music.song import Note, Song
from .recording import DENOMINATORS, events_to_song, parse_time_signature

HERE = Path(__file__).resolve().parent
LIMITS = {"tempo": (20, 400), "numerator": (1, 16), "bars": (1, 64), "count_in": (0, 4), "grid": (1, 24),
          "octave": (0, 7), "velocity": (1, 127)}  # the same limits as the browser's controls


class KeyboardRecorder(anywidget.AnyWidget):
    """An on-screen piano that records what is played (mouse, computer keys or a MIDI keyboard) into a Song.

    >>> recorder = KeyboardRecorder(tempo=90, bars=8)   # the last line of a cell shows it
    >>> recorder.song                                   # after playing: quantised to `grid` steps per beat
    >>> recorder.save("theme.mid", overwrite=True)
    """

    _esm = HERE / "keyboard.js"
    _css = HERE / "keyboard.css"

    tempo = traitlets.Float(100.0, help="beats (quarter notes) per minute").tag(sync=True)
    numerator = traitlets.Int(4, help="beats in a bar (the 3 of 3/4)").tag(sync=True)
    denominator = traitlets.Int(4, help="note value of a beat (the 4 of 3/4)").tag(sync=True)
    bars = traitlets.Int(8, help="length of a recording in bars").tag(sync=True)
    count_in = traitlets.Int(1, help="bars of clicks before the recording starts").tag(sync=True)
    metronome = traitlets.Bool(True, help="click on every beat while recording").tag(sync=True)
    grid = traitlets.Int(4, help="steps per beat that `song` is quantised to (4: sixteenth notes)").tag(sync=True)
    octave = traitlets.Int(4, help="octave of the lowest C on screen (4: middle C)").tag(sync=True)
    velocity = traitlets.Int(90, help="loudness of mouse and computer-key notes, 1..127").tag(sync=True)
    notes = traitlets.List(traitlets.Dict(), help="recorded notes, as the browser sends them").tag(sync=True)
    state = traitlets.Unicode("stopped", help="stopped, count-in or recording (set by the browser)").tag(sync=True)
    midi_status = traitlets.Unicode("", help="what the browser says about Web MIDI").tag(sync=True)

    def __init__(self, *, time_signature: str | tuple[int, int] | None = None, **settings):
        self._note_callbacks: list[Callable[[Note], object]] = []
        self._bar_callbacks: list[Callable[[int, Song], object]] = []
        super().__init__(**settings)
        if time_signature is not None:
            self.time_signature = time_signature
        self.on_msg(self._message_from_browser)

    # --- settings ------------------------------------------------------------------------------------------

    @property
    def time_signature(self) -> tuple[int, int]:
        """The meter as (numerator, denominator), e.g. (3, 4); set it as a tuple or a string such as "3/4"."""
        return (self.numerator, self.denominator)

    @time_signature.setter
    def time_signature(self, value: str | tuple[int, int]) -> None:
        meter = parse_time_signature(value)
        with self.hold_sync():
            self.numerator, self.denominator = meter

    @property
    def bar_length(self) -> float:
        """Length of a bar in beats (quarter notes): 4/4 -> 4.0, 6/8 -> 3.0."""
        return self.numerator * 4.0 / self.denominator

    @traitlets.validate(*LIMITS)
    def _check_limits(self, proposal):
        name, value = proposal["trait"].name, proposal["value"]
        low, high = LIMITS[name]
        if not low <= value <= high:
            raise InvalidArgumentError(f"{name} must be between {low} and {high}, got {value}")
        return value

    @traitlets.validate("denominator")
    def _check_denominator(self, proposal):
        if proposal["value"] not in DENOMINATORS:
            raise InvalidArgumentError(f"denominator must be 1, 2, 4, 8 or 16, got {proposal['value']}")
        return proposal["value"]

    # --- the recording -------------------------------------------------------------------------------------

    @property
    def song(self) -> Song:
        """What was recorded, quantised to `grid` steps per beat, at the widget's tempo and meter."""
        return self.song_on_grid(self.grid)

    def song_on_grid(self, steps_per_beat: int | None) -> Song:
        """The recording on another grid; `None` keeps the timing exactly as played."""
        return events_to_song(
            self.notes,
            unit="beats",
            tempo=self.tempo,
            time_signature=self.time_signature,
            steps_per_beat=steps_per_beat,
            bars=self.bars,
            title="recording",
        )

    def save(self, path: str | os.PathLike, overwrite: bool = False) -> Path:
        """Write the recording (quantised, see `song`) as a MIDI file; never replaces a file unless `overwrite`."""
        from ..music.midi import write_midi

        song = self.song
        if song.note_count == 0:
            raise InvalidArgumentError(f"{path}: nothing recorded yet: play some notes (or load a song) first")
        return write_midi(song, path, overwrite=overwrite)

    def load(self, source: Song | str | os.PathLike) -> None:
        """Show a Song (or a MIDI file) on the widget as if it had been played: a fallback for no keyboard.

        Takes the song's opening tempo and meter, enough bars to hold it, and the notes of every track.
        """
        if not isinstance(source, Song):
            from ..music.midi import read_midi

            source = read_midi(source)
        with self.hold_sync():
            self.tempo = source.tempo
            self.time_signature = (source.time_signature.numerator, source.time_signature.denominator)
            self.bars = min(64, max(1, -int(-source.end_beat // self.bar_length)))
            self.notes = [_note_as_dict(note, source.tempo) for note in source.notes]

    def clear(self) -> None:
        """Forget every recorded note."""
        self.notes = []

    def undo(self) -> None:
        """Forget the last note that was recorded."""
        self.notes = self.notes[:-1]

    # --- reacting as notes and bars arrive -----------------------------------------------------------------

    def on_note(self, function: Callable[[Note], object]) -> Callable[[Note], object]:
        """Call `function(note)` with each note as it is recorded (a `Note` in beats, on the grid).

        Usable as a decorator. Later lessons use it to answer a melody while it is played.
        """
        self._note_callbacks.append(function)
        return function

    def on_bar(self, function: Callable[[int, Song], object]) -> Callable[[int, Song], object]:
        """Call `function(bar, song)` when each bar of a recording is over: `bar` counts from 0, and `song`
        is that bar of the recording (`music.ops.slice_bars`): on the grid, timed from the bar's first beat.

        Usable as a decorator. Lesson 07 uses it for live style transfer, one bar at a time.
        """
        self._bar_callbacks.append(function)
        return function

    @traitlets.observe("notes")
    def _notes_arrived(self, change) -> None:
        old, new = change["old"] or [], change["new"]
        if not self._note_callbacks or len(new) <= len(old) or new[: len(old)] != old:
            return  # cleared, undone or replaced: nothing was played
        for data in new[len(old):]:
            song = events_to_song(
                [data], unit="beats", tempo=self.tempo, time_signature=self.time_signature,
                steps_per_beat=self.grid, bars=self.bars,
            )
            for note in song.notes:  # none if the note fell outside the recording
                for function in self._note_callbacks:
                    function(note)

    def _message_from_browser(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and content.get("type") == "bar" and self._bar_callbacks:
            bar = int(content["bar"])
            song = slice_bars(self.song, bar, bar + 1)
            for function in self._bar_callbacks:
                function(bar, song)


def _note_as_dict(note: Note, tempo: float) -> dict:
    """A Note in the form the browser sends: beats, and ms at `tempo`."""
    ms_per_beat = 60000.0 / tempo
    return {
        "pitch": note.pitch,
        "velocity": note.velocity,
        "start": note.start,
        "end": note.end,
        "start_ms": round(note.start * ms_per_beat, 3),
        "end_ms": round(note.end * ms_per_beat, 3),
    }
