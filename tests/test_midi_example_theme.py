"""The shipped example theme (deepcomposer_edu/examples/): 8 bars of 4/4 that every lesson can use."""

from deepcomposer_edu.examples import THEME_PATH, example_theme
from deepcomposer_edu.examples.make_theme import theme_song
from deepcomposer_edu.music.midi import midi_bytes


def test_shipped_file_is_exactly_what_the_script_makes():
    assert THEME_PATH.read_bytes() == midi_bytes(theme_song())


def test_theme_is_an_8_bar_melody_in_4_4():
    theme = example_theme()
    assert theme.bar_count() == 8
    assert [(sig.numerator, sig.denominator) for sig in theme.time_signatures] == [(4, 4)]
    assert theme.key == "C major" and theme.tempo == 100.0
    assert len(theme.tracks) == 1 and not theme.tracks[0].is_drum
    notes = theme.tracks[0].notes
    assert all(a.end <= b.start for a, b in zip(notes, notes[1:]))  # one note at a time: a melody
    assert notes[-1].pitch == 72  # it comes home to C


def test_each_call_gives_a_fresh_song():
    first = example_theme()
    first.tracks[0].notes.clear()
    assert example_theme().note_count > 0
