"""A melody as the style models see it: one line of notes, with pitches, onsets and durations in beats.

Lesson: lessons/07_style_transfer.ipynb (style as something you can measure).

Style transfer and the style classifier both work on the *melody line only*: no tempo, no time-signature
metadata, no instruments and no count of voices. What is left is what a listener would hum: which pitches,
when they start, how long they last. That keeps the classifier honest (it cannot recognise a chorale by
its four voices or a jig by its 6/8 marking) and it is exactly what the transfer model may change.

- `melody_line(song)`: the top line of the song's highest-sounding pitched track (a chorale's soprano, a
  quartet's first violin, the right hand of a piano piece), one note at a time (`music.ops.skyline`).
- `Melody`: that line as three arrays, onsets measured from the melody's first bar line.
- `melody_windows(corpus, split, bars=8)`: every `bars`-bar stretch of a corpus's pieces, for training and
  for held-out evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InvalidArgumentError
from ..music.ops import skyline
from ..music.song import Note, Song, Track

_EPSILON = 1e-6


@dataclass(frozen=True)
class Melody:
    """One line of notes: MIDI pitches, onsets and durations in beats (quarter notes), sorted by onset."""

    pitches: np.ndarray  # (notes,) int
    onsets: np.ndarray  # (notes,) float, beats from the start of the melody's first bar
    durations: np.ndarray  # (notes,) float, beats

    def __len__(self) -> int:
        return len(self.pitches)

    @classmethod
    def from_notes(cls, notes: list[Note], origin: float = 0.0) -> "Melody":
        """The melody of `notes` (already one at a time), onsets measured from beat `origin`."""
        notes = sorted(notes, key=lambda note: note.start)
        return cls(
            pitches=np.array([note.pitch for note in notes], dtype=np.int64),
            onsets=np.array([note.start - origin for note in notes], dtype=np.float64),
            durations=np.array([note.end - note.start for note in notes], dtype=np.float64),
        )

    def notes(self, origin: float = 0.0, velocity: int = 80) -> list[Note]:
        """The melody as Notes again, starting at beat `origin`."""
        return [
            Note(int(pitch), origin + float(onset), origin + float(onset + duration), velocity)
            for pitch, onset, duration in zip(self.pitches, self.onsets, self.durations)
        ]


def melody_track(song: Song) -> Track:
    """The song's melody as one monophonic track: the top line of its highest-sounding pitched track."""
    pitched = [track for track in song.tracks if not track.is_drum and track.notes]
    if not pitched:
        raise InvalidArgumentError(f"{song.title or 'the song'} has no pitched notes: there is no melody to read")
    highest = max(pitched, key=lambda track: float(np.mean([note.pitch for note in track.notes])))
    return skyline(Song(tracks=[highest], tempos=song.tempos, time_signatures=song.time_signatures)).tracks[0]


def melody_line(song: Song, start_beat: float = 0.0, end_beat: float | None = None) -> Melody:
    """The melody of `song` between two beats (notes that start inside), onsets measured from `start_beat`."""
    end = song.end_beat if end_beat is None else end_beat
    notes = [note for note in melody_track(song).notes if start_beat - _EPSILON <= note.start < end - _EPSILON]
    clipped = [Note(n.pitch, n.start, min(n.end, end), n.velocity) for n in notes]
    return Melody.from_notes(clipped, origin=start_beat)


def bar_windows(song: Song, bars: int = 8, hop: int | None = None) -> list[tuple[float, float]]:
    """(start, end) beats of each `bars`-bar stretch of the song, one starting every `hop` bars (default `bars`).

    Only whole windows are returned: a song shorter than `bars` bars gives none.
    """
    if bars < 1:
        raise InvalidArgumentError(f"a window needs at least one bar, not {bars}")
    lines = song.bar_lines()
    hop = bars if hop is None else hop
    return [(lines[i], lines[i + bars]) for i in range(0, len(lines) - bars, hop)]


def melody_windows(corpus_name: str, split: str | None, bars: int = 8, hop: int | None = None,
                   min_notes: int = 8) -> list[tuple[int, Melody]]:
    """(piece index, melody) for every `bars`-bar window of the corpus's pieces in `split`.

    Windows with fewer than `min_notes` melody notes (long rests, a closing fermata) are left out: there is
    too little in them to have a style.
    """
    from ..data import load_corpus

    corpus = load_corpus(corpus_name)
    windows: list[tuple[int, Melody]] = []
    for index in corpus.indices(split):
        song = corpus.song(int(index))
        line = melody_line(song)
        for start, end in bar_windows(song, bars, hop):
            inside = (line.onsets >= start - _EPSILON) & (line.onsets < end - _EPSILON)
            if int(inside.sum()) < min_notes:
                continue
            windows.append((int(index), Melody(
                pitches=line.pitches[inside],
                onsets=line.onsets[inside] - start,
                durations=np.minimum(line.durations[inside], end - line.onsets[inside]),
            )))
    return windows
