"""Music as data: the `Song` and every conversion to and from it (MIDI files, pianorolls, tokens).

This room knows nothing of torch, files of other kinds, or widgets. Lesson: lessons/02_music_as_data.ipynb.
"""

from .keys import estimate_key, key_correlations, pitch_name
from .midi import midi_bytes, read_midi, song_from_bytes, write_midi
from .ops import change_tempo, concatenate, merge_tracks, quantize, skyline, slice_bars, split_tracks, transpose
from .pianoroll import crop_pitches, from_pianoroll, pad_pitches, to_onset_roll, to_pianoroll
from .song import Note, Song, TempoChange, TimeSignature, Track, note_order

__all__ = [
    "Note", "Song", "TempoChange", "TimeSignature", "Track", "note_order",
    "read_midi", "write_midi", "midi_bytes", "song_from_bytes",
    "quantize", "transpose", "slice_bars", "concatenate", "change_tempo", "merge_tracks", "split_tracks", "skyline",
    "to_pianoroll", "to_onset_roll", "from_pianoroll", "crop_pitches", "pad_pitches",
    "estimate_key", "key_correlations", "pitch_name",
]
