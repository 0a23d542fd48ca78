"""A melody as the note events the style model reads: when, how long, which pitch, and where in the bar.

Lesson: lessons/07_style_transfer.ipynb. The model: `deepcomposer_edu/models/style_melody.py`.

Times are snapped to sixteenth notes (4 steps per beat), as everywhere in the course. For each note:

- `delta`: steps since the previous note's onset (for the first note: since the window's first bar line);
- `duration`: steps it sounds, cut where the next note starts (a melody sings one note at a time);
- `position`: steps from its bar line; `bar_steps`: how many steps that bar has (the meter, as the notes
  feel it: a 6/8 bar has 12 steps, a 4/2 bar 32);
- `pitch`: MIDI number.

A window starts with a *start step* (pitch `START_PITCH`, nothing before it) and its first bar's length, so
a model learns how a melody begins, and style transfer can start it the same way.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from ..models.style_melody import MAX_BAR, MAX_DELTA, MAX_DURATION, START_PITCH
from ..music.song import Song
from .melody import melody_track

STEPS_PER_BEAT = 4


@dataclass(frozen=True)
class NoteEvents:
    """A whole melody's notes as integer columns, plus its bar lines in steps."""

    pitch: np.ndarray
    onset: np.ndarray  # steps from the song's start
    duration: np.ndarray
    bar: np.ndarray  # index of the note's bar
    bar_lines: np.ndarray  # (bars + 1,) steps at which bars begin, and the end of the last one

    def __len__(self) -> int:
        return len(self.pitch)

    def window(self, first_bar: int, max_notes: int) -> dict[str, np.ndarray]:
        """Columns of the notes from bar `first_bar` on (at most `max_notes`), after a start step."""
        chosen = np.flatnonzero(self.bar >= first_bar)[:max_notes]
        onset = self.onset[chosen]
        bar = self.bar[chosen]
        start_line = int(self.bar_lines[first_bar])
        previous = np.concatenate([[start_line], onset[:-1]])
        bar_lengths = np.diff(self.bar_lines)
        return {
            "pitch": np.concatenate([[START_PITCH], self.pitch[chosen]]),
            "duration": np.concatenate([[0], self.duration[chosen]]),
            "delta": np.concatenate([[0], np.clip(onset - previous, 0, MAX_DELTA)]),
            "position": np.concatenate([[0], np.clip(onset - self.bar_lines[bar], 0, MAX_BAR - 1)]),
            "bar_steps": np.concatenate([[bar_lengths[first_bar]], bar_lengths[bar]]).clip(1, MAX_BAR),
        }



def note_events(song: Song) -> NoteEvents:
    """The song's melody (`melody.melody_track`) as note events on the sixteenth-note grid."""
    notes = sorted(melody_track(song).notes, key=lambda note: (note.start, -note.pitch))
    onsets, pitches, ends = [], [], []
    for note in notes:
        onset = round(note.start * STEPS_PER_BEAT)
        if onsets and onset <= onsets[-1]:
            continue  # two notes on one sixteenth: the first (highest) one is the melody's
        onsets.append(onset)
        pitches.append(note.pitch)
        ends.append(max(round(note.end * STEPS_PER_BEAT), onset + 1))
    onset = np.array(onsets, dtype=np.int64)
    following = np.concatenate([onset[1:], [np.iinfo(np.int64).max]])
    duration = np.clip(np.minimum(np.array(ends, dtype=np.int64), following) - onset, 1, MAX_DURATION)
    lines = np.round(np.array(song.bar_lines(song.end_beat)) * STEPS_PER_BEAT).astype(np.int64)
    while len(onset) and onset[-1] >= lines[-1]:
        # a note just before the closing line (a 32nd, say) rounds onto it: give it a bar of its own
        lines = np.append(lines, lines[-1] + (lines[-1] - lines[-2]))
    bar = np.array([bisect.bisect_right(lines, step) - 1 for step in onset], dtype=np.int64)
    return NoteEvents(np.array(pitches, dtype=np.int64), onset, duration, bar, lines)
