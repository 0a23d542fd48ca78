"""Make `theme.mid`, the 8-bar example theme every lesson can fall back on.

Lesson: lessons/01_record_a_melody.ipynb (the theme you would record yourself, if you had no keyboard).

Run `python -m deepcomposer_edu.examples.make_theme` to rebuild the file; the same code always writes the
same bytes, and a test checks that the shipped file matches.

The tune is an original melody in C major at 100 BPM, two four-bar phrases in the classic question and
answer shape: the first phrase climbs to C and pauses on the dominant G (a question), the second climbs
higher, to E and F, and comes home to C (the answer). It is written in the course's text notation
(`deepcomposer_edu/music/notation.py`), and downbeats are then played a little harder than the other
beats, as a pianist would.
"""

from __future__ import annotations

from dataclasses import replace

from ..music.midi import write_midi
from ..music.notation import parse_notes
from ..music.song import Song
from . import THEME_PATH

MELODY = (
    "E4 G4 C5/2 | B4 A4/8 G4/8 A4/2 | F4 A4 D5/4. C5/8 | B4/2 G4/2 | "
    "E4 G4 C5 E5 | D5/4. C5/8 A4/2 | F5 E5/8 D5/8 C5 B4 | C5/2. r"
)
BAR_BEATS = 4


def accent(beat: float) -> int:
    """Velocity by position in the bar: strongest on beat 1, a little on beat 3, softer elsewhere."""
    position = beat % BAR_BEATS
    return 96 if position == 0 else 88 if position == 2 else 80


def theme_song() -> Song:
    """The example theme as a Song: MELODY, accented, on one piano track named "Theme"."""
    melody = parse_notes(MELODY, tempo=100.0, time_signature=(4, 4), title="Example theme")
    track = melody.tracks[0]
    notes = [replace(note, velocity=accent(note.start)) for note in track.notes]
    return replace(melody, tracks=[replace(track, notes=notes, name="Theme", program=0)], key="C major")


def main() -> None:
    write_midi(theme_song(), THEME_PATH, overwrite=True)
    print(f"wrote {THEME_PATH}")


if __name__ == "__main__":
    main()
