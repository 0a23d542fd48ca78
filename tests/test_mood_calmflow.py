"""CalmFlow keeps its stated promises: exactly 60 BPM, only the allowed chords, no leap over a fourth, one
octave, soft even dynamics; reached from Python, from `mood --score calm` and `generate-music --mood calm --bpm 60`."""

import pytest

from deepcomposer_edu.cli import main
from deepcomposer_edu.client import client
from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.examples import example_theme
from deepcomposer_edu.mood import MAX_LEAP, PROGRESSIONS, generate_for_mood
from deepcomposer_edu.music import Note, Song, TempoChange, Track, read_midi, transpose, write_midi

# The allowed chords, worked out by hand: I, IV, V and vi of C major, and of A major (tonic 9).
TRIADS = {
    0: {"I": {0, 4, 7}, "IV": {5, 9, 0}, "V": {7, 11, 2}, "vi": {9, 0, 4}},
    9: {"I": {9, 1, 4}, "IV": {2, 6, 9}, "V": {4, 8, 11}, "vi": {6, 9, 1}},
}


def leaping_base() -> Song:
    """Two-octave leaps, chromatic notes and a minor key: everything CalmFlow must tame."""
    pitches = [57, 81, 50, 76, 61, 45, 84, 58, 69, 52, 79, 48, 72, 66, 90, 40]
    notes = [Note(p, 2.0 * i, 2.0 * i + 2.0) for i, p in enumerate(pitches)]
    return Song(tracks=[Track(notes)], tempos=[TempoChange(0, 150)], key="A minor", title="wild")


def tracks(song):
    return {t.name: t for t in song.tracks}


def chord_names(song: Song, tonic: int) -> list[str]:
    pad = tracks(song)["pad"].notes
    names = []
    for bar in range(song.bar_count()):
        classes = {n.pitch % 12 for n in pad if n.start == 4.0 * bar}
        names.append(next(name for name, triad in TRIADS[tonic].items() if triad == classes))  # StopIteration: not allowed
    return names


CASES = [(example_theme(), 0), (transpose(example_theme(), 9), 9), (leaping_base(), 9)]


@pytest.mark.parametrize("base, tonic", CASES, ids=["theme", "theme-in-A", "wild-A-minor"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_calmflow_keeps_every_rule(base, tonic, seed, tmp_path):
    song = read_midi(write_midi(generate_for_mood(base, "calm", seed=seed), tmp_path / "calm.mid"))  # as a file says it
    assert [change.bpm for change in song.tempos] == [60.0]
    names = chord_names(song, tonic)
    assert any(tuple(names[:4]) == p for p in PROGRESSIONS)  # one of the documented cycles ...
    assert names == (names[:4] * 4)[: len(names)]  # ... repeated, one chord a bar
    melody = tracks(song)["melody"].notes
    leaps = [abs(b.pitch - a.pitch) for a, b in zip(melody, melody[1:])]
    assert max(leaps) <= MAX_LEAP == 5
    low = min(n.pitch for n in melody)
    assert max(n.pitch for n in melody) - low <= 12
    assert {n.velocity for n in melody} == {50}  # soft, no accents, no swells
    assert all(n.velocity <= 50 for t in song.tracks for n in t.notes)
    pad = tracks(song)["pad"].notes
    for note in melody:  # every note that opens a bar is a tone of that bar's chord
        if note.start % 4 == 0:
            assert note.pitch % 12 in {p.pitch % 12 for p in pad if p.start == note.start}
    assert [t.name for t in song.tracks] == ["melody", "pad", "bass"]


def test_calmflow_is_major_and_refuses_another_tempo():
    assert generate_for_mood(leaping_base(), "calm").key == "A major"
    assert generate_for_mood(example_theme(), "calm", bpm=60).tempo == 60.0
    with pytest.raises(InvalidArgumentError, match="CalmFlow locks the tempo at 60 BPM"):
        generate_for_mood(example_theme(), "calm", bpm=72)
    with pytest.raises(InvalidArgumentError, match="valence"):
        generate_for_mood(example_theme(), "calm", valence=0.2)


def test_generate_music_mood_calm_bpm_60(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DEEPCOMPOSER_HOME", str(tmp_path / "home"))
    registry = tmp_path / "models"
    client(registry).create_model("tiny", [example_theme()])
    out = tmp_path / "calm.mid"
    args = ["generate-music", "--model-name", "tiny", "--registry", str(registry), "--mood", "calm", "--bpm", "60",
            "--length", "20", "-o", str(out)]
    assert main(args) == 0
    song = read_midi(out)
    assert [change.bpm for change in song.tempos] == [60.0] and chord_names(song, 0)
    assert main([*args[:-2], "--bpm", "66", "-o", str(tmp_path / "other.mid")]) == 2
    assert "60 BPM" in capsys.readouterr().err
    assert main(["generate-music", "--model-name", "tiny", "--registry", str(registry), "--bpm", "60",
                 "-o", str(tmp_path / "x.mid")]) == 2  # --bpm alone is not a mood


def test_mood_command_score_calm(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPCOMPOSER_HOME", str(tmp_path))
    base = write_midi(example_theme(), tmp_path / "theme.mid")
    assert main(["mood", str(base), "--score", "calm", "--bars", "6", "-o", str(tmp_path / "calm.mid")]) == 0
    song = read_midi(tmp_path / "calm.mid")
    assert song.tempo == 60.0 and song.bar_count() == 6
