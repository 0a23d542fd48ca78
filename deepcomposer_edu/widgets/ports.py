"""Recording from a MIDI keyboard plugged into the computer that runs Python: `record_from_port()`.

Lesson: lessons/01_record_a_melody.ipynb (the box "on your own computer"). See also docs/keyboard.md.

The keyboard widget hears a MIDI keyboard through the browser (Web MIDI), which works everywhere, even on
Binder. This module is the other way round, for a Python kernel (or the `deepcomposer record` command) on
the learner's own machine: it opens the keyboard's MIDI input port with mido and python-rtmidi (the optional
extra: `pip install "deepcomposer-edu[ports]"`), counts in, listens for `bars` bars at `tempo`, and turns
what it heard into a quantised Song with the same `recording.events_to_song` as the widget.

The count-in and the bars are shown on screen (a tqdm bar); there is no audible metronome here: for one,
record in the widget. A sustain pedal is ignored: notes last as long as their keys are held.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from tqdm.auto import tqdm

from ..errors import DeepComposerError, InvalidArgumentError
from ..music.song import Song, TimeSignature
from .recording import NoteEvent, events_to_song

POLL_SECONDS = 0.002  # how often the port is read: far finer than a sixteenth note at any tempo
INSTALL_HINT = 'install python-rtmidi with: pip install "deepcomposer-edu[ports]"'
NO_PORT_HINT = "or record in the notebook's KeyboardRecorder, or type the melody with parse_notes"


class MidiPortError(DeepComposerError):
    """No MIDI input to record from: python-rtmidi missing, no port, an unknown port, or the MIDI system failed."""


def list_ports() -> list[str]:
    """Names of the MIDI input ports (keyboards) this computer can record from."""
    import mido

    try:
        return list(mido.get_input_names())
    except ImportError as error:
        raise MidiPortError(f"MIDI port capture needs python-rtmidi ({error}): {INSTALL_HINT}") from None
    except Exception as error:  # the MIDI system itself (ALSA, CoreMIDI, WinMM) could not be opened
        raise MidiPortError(f"cannot list MIDI ports: {type(error).__name__}: {error}") from None


def find_port(port: str | None) -> str:
    """The full name of the port to record from: the first one for None, else the one whose name contains `port`."""
    names = list_ports()
    if not names:
        raise MidiPortError(f"no MIDI input ports found: plug in a MIDI keyboard, {NO_PORT_HINT}")
    if port is None:
        return names[0]
    matches = [name for name in names if name == port] or [name for name in names if port.lower() in name.lower()]
    if len(matches) != 1:
        problem = "no MIDI input port" if not matches else "several MIDI input ports"
        raise MidiPortError(f"{problem} named like {port!r}; the ports are: {', '.join(names)}")
    return matches[0]


def record_from_port(
    port=None,
    bars: int = 8,
    tempo: float = 100.0,
    time_signature: tuple[int, int] = (4, 4),
    grid: int | None = 4,
    count_in: int = 1,
) -> Song:
    """Record `bars` bars from a MIDI keyboard, after `count_in` bars of count-in, as a quantised Song.

    `port` is a port name (or part of one, as `list_ports()` shows them), None for the first port, or an
    already opened mido input port. `grid` is steps per beat (None keeps the timing as played).
    """
    if not 1 <= bars <= 64 or not 0 <= count_in <= 4 or not 20 <= tempo <= 400:
        raise InvalidArgumentError(f"bars must be 1..64, count_in 0..4, tempo 20..400; got {bars}, {count_in}, {tempo}")
    bar_seconds = TimeSignature(0.0, *time_signature).bar_length * 60.0 / tempo
    if isinstance(port, str) or port is None:
        import mido

        name = find_port(port)
        try:
            opened = mido.open_input(name)
        except Exception as error:
            raise MidiPortError(f"cannot open MIDI port {name!r}: {error}") from None
        with opened:
            events = list(_listen(opened, count_in * bar_seconds, bars * bar_seconds, bars))
    else:
        events = list(_listen(port, count_in * bar_seconds, bars * bar_seconds, bars))
    return events_to_song(events, unit="ms", tempo=tempo, time_signature=time_signature,
                          steps_per_beat=grid, bars=bars, title="recording")


def _listen(port, count_in_seconds: float, seconds: float, bars: int) -> Iterator[NoteEvent]:
    """The notes played on `port` during the take, timed in ms from its first beat (after the count-in)."""
    first_beat = time.perf_counter() + count_in_seconds
    end = first_beat + seconds
    held: dict[int, tuple[int, float]] = {}  # pitch -> (velocity, start in ms)
    with tqdm(total=bars, desc="count-in" if count_in_seconds else "recording", unit="bar") as progress:
        while (now := time.perf_counter()) < end:
            ms = (now - first_beat) * 1000.0
            for message in port.iter_pending():
                if message.type == "note_on" and message.velocity > 0:
                    held[message.note] = (message.velocity, ms)
                elif message.type in ("note_on", "note_off") and message.note in held:
                    velocity, start = held.pop(message.note)
                    yield NoteEvent(message.note, velocity, start, ms)
            if ms >= 0:
                progress.set_description("recording")
                progress.update(min(bars, int(ms / 1000.0 / seconds * bars)) - progress.n)
            time.sleep(POLL_SECONDS)
        progress.update(bars - progress.n)
    for pitch, (velocity, start) in held.items():  # keys still down when the take ends
        yield NoteEvent(pitch, velocity, start, seconds * 1000.0)
