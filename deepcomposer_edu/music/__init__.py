"""Music as data: the `Song` and every conversion to and from it (MIDI files, pianorolls, tokens).

This room knows nothing of torch, files of other kinds, or widgets. Lesson: lessons/02_music_as_data.ipynb.
"""

from .song import Note, Song, TempoChange, TimeSignature, Track, note_order

__all__ = ["Note", "Song", "TempoChange", "TimeSignature", "Track", "note_order"]
