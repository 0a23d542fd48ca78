"""Make `theme.mid`, the 8-bar example theme every lesson can fall back on.

Lesson: lessons/01_record_a_melody.ipynb (the theme you would record yourself, if you had no keyboard).

Run `python -m deepcomposer_edu.examples.make_theme` to rebuild the file; the same code always writes the
same bytes, and a test checks that the shipped file matches.

The tune is an original melody in C major at 100 BPM, two four-bar phrases in the classic question and
answer shape: the first phrase climbs to C and pauses on the dominant G (a question), the second climbs
higher, to E and F, and comes home to C (the answer). Downbeats are played a little harder than
off-beats, as a pianist would.
"""

from __future__ import annotations

from ..music.midi import write_midi
from ..music.song import Note, Song, TempoChange, TimeSignature, Track
from . import THEME_PATH

_PITCH = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}

# One bar per line: (note name with octave, length in beats); "rest" is silence.
MELODY = [
    [("E4", 1), ("G4", 1), ("C5", 2)],
    [("B4", 1), ("A4", 0.5), ("G4", 0.5), ("A4", 2)],
    [("F4", 1), ("A4", 1), ("D5", 1.5), ("C5", 0.5)],
    [("B4", 2), ("G4", 2)],
    [("E4", 1), ("G4", 1), ("C5", 1), ("E5", 1)],
    [("D5", 1.5), ("C5", 0.5), ("A4", 2)],
    [("F5", 1), ("E5", 0.5), ("D5", 0.5), ("C5", 1), ("B4", 1)],
    [("C5", 3), ("rest", 1)],
]


def midi_pitch(name: str) -> int:
    """"C4" -> 60 (middle C), "A4" -> 69."""
    return _PITCH[name[0]] + 12 * (int(name[1:]) + 1)


def theme_song() -> Song:
    """The example theme as a Song, built note by note from MELODY."""
    notes, beat = [], 0.0
    for bar in MELODY:
        bar_start = beat
        for name, length in bar:
            if name != "rest":
                accent = 96 if beat == bar_start else 88 if beat - bar_start == 2 else 80
                notes.append(Note(midi_pitch(name), beat, beat + length, accent))
            beat += length
    return Song(
        tracks=[Track(notes=notes, program=0, name="Theme")],
        tempos=[TempoChange(0.0, 100.0)],
        time_signatures=[TimeSignature(0.0, 4, 4)],
        key="C major",
        title="Example theme",
    )


def main() -> None:
    write_midi(theme_song(), THEME_PATH, overwrite=True)
    print(f"wrote {THEME_PATH}")


if __name__ == "__main__":
    main()
