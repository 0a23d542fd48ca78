"""Recording what a learner plays: the keyboard widget, MIDI-port capture, and the events-to-Song step they share.

Lesson: lessons/01_record_a_melody.ipynb. See docs/keyboard.md for the keyboard layout and the fallbacks.

- `KeyboardRecorder` (`keyboard.py` + `keyboard.js`/`keyboard.css`): an in-notebook piano (anywidget).
- `list_ports`, `record_from_port` (`ports.py`): capture from a MIDI keyboard plugged into the kernel's machine.
- `events_to_song`, `NoteEvent` (`recording.py`): timed note events to a quantised Song.

`KeyboardRecorder` is imported on first use, so the rest works where anywidget is not installed.
"""

from .recording import NoteEvent, events_to_song, quantize_events

__all__ = ["KeyboardRecorder", "NoteEvent", "events_to_song", "list_ports", "quantize_events", "record_from_port"]


def __getattr__(name: str):
    if name == "KeyboardRecorder":
        try:
            from .keyboard import KeyboardRecorder
        except ModuleNotFoundError as error:
            if error.name not in ("anywidget", "ipywidgets", "traitlets"):
                raise
            raise ImportError(
                f"the keyboard widget needs {error.name}: pip install \"deepcomposer-edu[widgets]\" "
                "(or type the notes with deepcomposer_edu.music.notation.parse_notes)"
            ) from error
        return KeyboardRecorder
    if name in ("list_ports", "record_from_port"):
        from . import ports

        return getattr(ports, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
