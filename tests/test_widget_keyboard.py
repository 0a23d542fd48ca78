"""The Python half of KeyboardRecorder (deepcomposer_edu/widgets/keyboard.py), fed as the browser feeds it.

The browser appends each finished note to the synced `notes` list (arriving in Python through
`set_state`, as from the comm) and sends {"type": "bar", "bar": n} messages (arriving through
`_handle_custom_msg`). The real browser half is tested in tests/browser/.
"""

import sys

import pytest

from deepcomposer_edu.errors import DeepComposerError, InvalidArgumentError, OutputExistsError
from deepcomposer_edu.examples import example_theme
from deepcomposer_edu.music.midi import read_midi, write_midi
from deepcomposer_edu.music.notation import parse_notes
from deepcomposer_edu.widgets import KeyboardRecorder


def played(pitch, start_ms, end_ms, tempo=120, velocity=90):
    """A note as keyboard.js sends it (ms from the first beat, and beats at the take's tempo)."""
    return {"pitch": pitch, "velocity": velocity, "start_ms": start_ms, "end_ms": end_ms,
            "start": start_ms * tempo / 60000, "end": end_ms * tempo / 60000}


def arrive(recorder, *notes):
    """Notes reaching Python one by one, as the browser syncs them."""
    for note in notes:
        recorder.set_state({"notes": [*recorder.notes, note]})


@pytest.fixture
def recorder():
    widget = KeyboardRecorder(tempo=120, bars=2)
    yield widget
    widget.close()


def test_the_song_is_what_was_played_on_the_grid(recorder):
    arrive(recorder, played(60, 10, 480), played(64, 1020, 1490), played(67, 1510, 2990))
    # 0.02..0.96 -> 0..1; 2.04..2.98 -> 2..3; 3.02..5.98 -> 3..6
    assert [(n.pitch, n.start, n.end, n.velocity) for n in recorder.song.notes] == [
        (60, 0.0, 1.0, 90), (64, 2.0, 3.0, 90), (67, 3.0, 6.0, 90)
    ]
    assert recorder.song.tempo == 120 and recorder.song.time_signature.numerator == 4


def test_the_grid_and_the_meter_shape_the_song(recorder):
    arrive(recorder, played(60, 700, 1400))  # 1.4..2.8 beats
    recorder.grid = 1
    assert [(n.start, n.end) for n in recorder.song.notes] == [(1.0, 3.0)]
    recorder.grid = 2
    assert [(n.start, n.end) for n in recorder.song.notes] == [(1.5, 3.0)]
    assert recorder.song_on_grid(None).notes[0].start == pytest.approx(1.4)
    recorder.time_signature = "3/4"
    assert recorder.time_signature == (3, 4) and recorder.bar_length == 3.0
    assert recorder.song.time_signature.numerator == 3


def test_changing_the_tempo_after_recording_keeps_the_beats(recorder):
    arrive(recorder, played(60, 500, 1000))  # beat 1..2, played at 120 BPM
    recorder.tempo = 60
    assert [(n.start, n.end) for n in recorder.song.notes] == [(1.0, 2.0)]
    assert recorder.song.seconds_at(1.0) == 1.0  # the same beats, heard slower


def test_save_writes_the_quantised_recording(recorder, tmp_path):
    arrive(recorder, played(62, 20, 470), played(65, 990, 2010))
    path = recorder.save(tmp_path / "theme.mid")
    song = read_midi(path)
    assert [(n.pitch, n.start, n.end) for n in song.notes] == [(62, 0.0, 1.0), (65, 2.0, 4.0)]
    assert song.tempo == pytest.approx(120)
    with pytest.raises(OutputExistsError):
        recorder.save(path)
    recorder.undo()
    recorder.save(path, overwrite=True)
    assert [n.pitch for n in read_midi(path).notes] == [62]


def test_saving_an_empty_recording_says_so(recorder, tmp_path):
    with pytest.raises(InvalidArgumentError, match="nothing recorded yet"):
        recorder.save(tmp_path / "theme.mid")
    assert not (tmp_path / "theme.mid").exists()


def test_load_shows_a_song_as_if_it_had_been_played(recorder, tmp_path):
    theme = example_theme()
    recorder.load(theme)
    assert recorder.tempo == theme.tempo and recorder.time_signature == (4, 4)
    assert recorder.bars == 8  # 31 beats of 4/4 need 8 bars
    assert [(n.pitch, n.start, n.end) for n in recorder.song.notes] == [(n.pitch, n.start, n.end) for n in theme.notes]
    first = recorder.notes[0]  # the browser draws ms: at 100 BPM a beat is 600 ms
    assert (first["start_ms"], first["end_ms"]) == (0, 600)

    path = write_midi(parse_notes("C4 E4 G4/2", tempo=90, time_signature=(3, 4)), tmp_path / "typed.mid")
    recorder.load(path)
    assert [(n.pitch, n.start, n.end) for n in recorder.song.notes] == [(60, 0, 1), (64, 1, 2), (67, 2, 4)]
    assert recorder.time_signature == (3, 4) and recorder.bars == 2 and recorder.tempo == pytest.approx(90)


def test_on_note_hears_each_note_as_it_arrives(recorder):
    heard = []
    recorder.on_note(heard.append)
    arrive(recorder, played(60, -900, -700))  # played during the count-in: not part of the recording
    arrive(recorder, played(62, 0, 230), played(64, 510, 990))
    assert [(n.pitch, n.start, n.end) for n in heard] == [(62, 0.0, 0.5), (64, 1.0, 2.0)]
    recorder.undo()
    recorder.clear()
    assert len(heard) == 2  # forgetting notes is not playing them


def test_on_bar_gets_each_finished_bar_timed_from_its_first_beat(recorder):
    bars = []

    @recorder.on_bar
    def remember(bar, song):
        bars.append((bar, [(n.pitch, n.start, n.end) for n in song.notes]))

    arrive(recorder, played(60, 0, 500), played(62, 1500, 2500))  # beats 0..1 and 3..5 (across the bar line)
    recorder._handle_custom_msg({"type": "bar", "bar": 0}, [])
    arrive(recorder, played(64, 3000, 3500))  # beats 6..7
    recorder._handle_custom_msg({"type": "bar", "bar": 1}, [])
    recorder._handle_custom_msg({"type": "something else"}, [])
    assert bars == [(0, [(60, 0, 1), (62, 3, 4)]), (1, [(62, 0, 1), (64, 2, 3)])]


@pytest.mark.parametrize(
    "settings, words",
    [
        ({"tempo": 0}, "tempo must be between 20 and 400"),
        ({"bars": 0}, "bars must be between 1 and 64"),
        ({"grid": 0}, "grid must be between 1 and 24"),
        ({"velocity": 200}, "velocity must be between 1 and 127"),
        ({"octave": 9}, "octave must be between 0 and 7"),
        ({"denominator": 3}, "denominator must be 1, 2, 4, 8 or 16"),
        ({"time_signature": "three-four"}, "write it as '3/4'"),
    ],
)
def test_bad_settings_are_refused_clearly(settings, words):
    with pytest.raises(DeepComposerError, match=words):
        KeyboardRecorder(**settings)


def test_defaults_follow_the_lesson():
    widget = KeyboardRecorder()
    assert (widget.bars, widget.grid, widget.count_in, widget.metronome, widget.time_signature) == (8, 4, 1, True, (4, 4))
    assert widget.song.note_count == 0
    widget.close()


def test_without_anywidget_the_import_error_says_what_to_install(monkeypatch):
    import deepcomposer_edu.widgets as widgets

    monkeypatch.setitem(sys.modules, "anywidget", None)  # as if anywidget were not installed
    monkeypatch.delitem(sys.modules, "deepcomposer_edu.widgets.keyboard")
    with pytest.raises(ImportError, match=r'needs anywidget: pip install "deepcomposer-edu\[widgets\]"'):
        widgets.KeyboardRecorder
    assert widgets.events_to_song([]).note_count == 0  # the rest of the room still works
