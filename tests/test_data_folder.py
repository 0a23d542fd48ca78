"""`load_folder` (deepcomposer_edu/data/folder.py): the good files load, every bad one is reported with why."""

import pytest

from deepcomposer_edu.data import load_folder
from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.examples import example_theme
from deepcomposer_edu.music.midi import MAX_FILE_BYTES, midi_bytes, write_midi
from deepcomposer_edu.music.song import Song


@pytest.fixture
def messy_folder(tmp_path):
    theme = example_theme()
    write_midi(theme, tmp_path / "theme.mid")
    (tmp_path / "older").mkdir()
    write_midi(theme, tmp_path / "older" / "theme2.MIDI")
    (tmp_path / "empty.mid").write_bytes(b"")
    (tmp_path / "broken.mid").write_bytes(midi_bytes(theme)[:40])
    (tmp_path / "score.pdf.mid").write_bytes(b"%PDF-1.4 this is a PDF" * 20)
    with open(tmp_path / "huge.mid", "wb") as handle:  # a sparse file: huge on paper, nothing on disk
        handle.write(b"MThd")
        handle.truncate(MAX_FILE_BYTES + 1)
    write_midi(Song(), tmp_path / "silent.mid")
    (tmp_path / "notes.txt").write_text("my ideas")
    (tmp_path / ".DS_Store").write_bytes(b"\0\0")
    return tmp_path


def test_good_files_load_and_each_bad_one_is_reported(messy_folder):
    found = load_folder(messy_folder, progress=False)
    assert [p.relative_to(messy_folder).as_posix() for p in found.files] == ["older/theme2.MIDI", "theme.mid"]
    assert len(found) == 2 and all(song.note_count == example_theme().note_count for song in found)
    reasons = {item.path.name: item.reason for item in found.skipped}
    assert set(reasons) == {"empty.mid", "broken.mid", "score.pdf.mid", "huge.mid", "silent.mid", "notes.txt", ".DS_Store"}
    assert "empty" in reasons["empty.mid"]
    assert "truncated" in reasons["broken.mid"]
    assert "MThd" in reasons["score.pdf.mid"]
    assert "too large" in reasons["huge.mid"]
    assert "no notes" in reasons["silent.mid"]
    assert "not a MIDI file" in reasons["notes.txt"] and "not a MIDI file" in reasons[".DS_Store"]
    report = found.report()
    assert "loaded 2 MIDI files, skipped 7" in report and "skipped huge.mid: too large" in report


def test_not_recursive_stays_in_the_folder(messy_folder):
    found = load_folder(messy_folder, recursive=False, progress=False)
    assert [p.name for p in found.files] == ["theme.mid"]


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(InvalidArgumentError, match="no such folder"):
        load_folder(tmp_path / "nope")
    (tmp_path / "a.mid").write_bytes(b"")
    with pytest.raises(InvalidArgumentError, match="not a folder"):
        load_folder(tmp_path / "a.mid")
