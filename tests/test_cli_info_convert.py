"""`deepcomposer info` and `deepcomposer convert` (deepcomposer_edu/commands/info.py, convert.py)."""

import json
import subprocess
import sys

import pytest

from deepcomposer_edu.cli import main
from deepcomposer_edu.music.midi import read_midi, write_midi
from deepcomposer_edu.music.song import Note, Song, TempoChange, TimeSignature, Track


def g_major_tune() -> Song:
    """Two bars of 3/4 in G major (no key signature written), plus a drum track."""
    scale = [67, 69, 71, 72, 74, 76, 78, 79]  # G A B C D E F# G
    melody = [Note(pitch, i * 0.75, i * 0.75 + 0.7, 90) for i, pitch in enumerate(scale)]
    melody += [Note(55, 0, 3, 70), Note(62, 3, 6, 70)]  # G and D held underneath
    drums = [Note(36, beat, beat + 0.25, 100) for beat in range(6)]
    return Song(
        tracks=[Track(melody, program=40, name="Violin"), Track(drums, name="Kit", is_drum=True)],
        tempos=[TempoChange(0, 90), TempoChange(3, 120)],
        time_signatures=[TimeSignature(0, 3, 4)],
        title="Waltz",
    )


@pytest.fixture
def tune_path(tmp_path):
    return write_midi(g_major_tune(), tmp_path / "waltz.mid")


def test_info_json_lists_tracks_length_tempo_meter_and_estimated_key(tune_path, capsys):
    assert main(["info", str(tune_path), "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["title"] == "Waltz"
    assert facts["bars"] == 2 and facts["beats"] == 6.0
    assert facts["seconds"] == pytest.approx(3 * 60 / 90 + 3 * 60 / 120)  # 2 s + 1.5 s
    assert facts["tempos"] == [{"beat": 0.0, "bpm": 90.0}, {"beat": 3.0, "bpm": 120.0}]
    assert facts["time_signatures"] == [{"beat": 0.0, "numerator": 3, "denominator": 4}]
    assert (facts["key"], facts["key_source"]) == ("G major", "estimated")
    assert [(t["name"], t["program"], t["instrument"], t["is_drum"], t["notes"], t["lowest"], t["highest"])
            for t in facts["tracks"]] == [
        ("Violin", 40, "Violin", False, 10, "G3", "G5"),
        ("Kit", 0, "Drums", True, 6, "C2", "C2"),
    ]


def test_info_text_says_where_the_key_came_from(tmp_path, capsys):
    song = g_major_tune()
    song.key = "E minor"
    path = write_midi(song, tmp_path / "keyed.mid")
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    assert "E minor (from the file)" in out
    assert "2 bars, 6 beats, 3.5 s" in out
    assert "90 BPM, 120 BPM at beat 3" in out
    assert "Violin" in out and "Kit" in out


def test_convert_applies_bars_quantize_transpose_and_tempo(tmp_path, capsys):
    song = Song(tracks=[Track([Note(60, 0, 4), Note(62, 4.1, 5.9), Note(64, 6.05, 8)], name="Lead")],
                tempos=[TempoChange(0, 100)])
    source = write_midi(song, tmp_path / "in.mid")
    out = tmp_path / "out.mid"
    argv = ["convert", str(source), "-o", str(out), "--bars", "1:2", "--quantize", "2", "--transpose", "-3",
            "--tempo", "75", "--json"]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    result = read_midi(out)
    # bar 1 = beats 4..8, shifted to 0..4; quantised to halves: 0.1 -> 0, 1.9 -> 2, 2.05 -> 2; 3 semitones down
    assert [(n.pitch, n.start, n.end) for n in result.tracks[0].notes] == [(59, 0.0, 2.0), (61, 2.0, 4.0)]
    assert result.tempo == 75.0
    assert report["notes"] == 2 and report["output"] == str(out)


def test_convert_never_overwrites_without_permission(tune_path, tmp_path, capsys):
    out = tmp_path / "out.mid"
    out.write_bytes(b"keep me")
    assert main(["convert", str(tune_path), "-o", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_bytes() == b"keep me"
    assert main(["convert", str(tune_path), "-o", str(out), "--overwrite"]) == 0
    assert read_midi(out).note_count == g_major_tune().note_count


@pytest.mark.parametrize("extra, message", [
    (["--bars", "five"], "--bars"),
    (["--bars", "9:12"], "no notes there"),
    (["--transpose", "60"], "outside MIDI"),
    (["--quantize", "0"], "steps_per_beat"),
    (["--tempo", "-5"], "tempo"),
])
def test_convert_bad_options_are_one_line_errors(tune_path, tmp_path, capsys, extra, message):
    assert main(["convert", str(tune_path), "-o", str(tmp_path / "x.mid"), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "x.mid").exists()


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "deepcomposer_edu", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_exit_codes_through_a_real_process(tune_path, tmp_path):
    # Three real processes only: each start of the command costs seconds (it imports every subcommand).
    ok = run_cli("info", str(tune_path))
    assert ok.returncode == 0 and "Waltz" in ok.stdout

    text_file = tmp_path / "notes.mid"
    text_file.write_text("not music")
    bad = run_cli("info", str(text_file))
    assert bad.returncode == 2
    assert bad.stderr == f"deepcomposer: error: {text_file}: not a MIDI file (no 'MThd' header)\n"

    missing = run_cli("convert", str(tune_path))  # no -o: a usage error
    assert missing.returncode == 2 and "Traceback" not in missing.stderr and "-o/--output" in missing.stderr



def test_convert_writes_only_midi(tune_path, tmp_path, capsys):
    assert main(["convert", str(tune_path), "-o", str(tmp_path / "out.wav")]) == 2
    assert "render" in capsys.readouterr().err
