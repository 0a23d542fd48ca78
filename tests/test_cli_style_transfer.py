"""`deepcomposer style-transfer` and `create-model --model-type style`, end to end with the shipped style-melody."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from deepcomposer_edu.audit import audit_path, sha256_of
from deepcomposer_edu.cli import main
from deepcomposer_edu.examples import example_theme
from deepcomposer_edu.music.midi import read_midi, write_midi
from deepcomposer_edu.music.ops import transpose
from deepcomposer_edu.music.song import Note, Song, TempoChange, TimeSignature, Track
from deepcomposer_edu.registry import SHIPPED_DIR
from deepcomposer_edu.transfer.melody import melody_track
from deepcomposer_edu.transfer.style_transfer import load_transfer_model


@pytest.fixture
def theme(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPCOMPOSER_HOME", str(tmp_path / "home"))
    return write_midi(example_theme(), tmp_path / "theme.mid")


def test_transfer_to_a_jig_writes_eight_bars_of_six_eight_and_logs_it(theme, tmp_path, capsys):
    out = tmp_path / "jig.mid"
    assert main(["style-transfer", str(theme), "--style", "jig", "-o", str(out), "--seed", "3", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["path"] == str(out) and summary["style"] == "jig" and summary["meter"] == "6/8"
    written = read_midi(out)
    signature = written.time_signature
    assert (signature.numerator, signature.denominator) == (6, 8)
    assert written.tempo == 180.0  # the Irish style's tempo in the styles table
    melody = melody_track(written).notes
    source_bars = example_theme().bar_count()
    assert melody and max(n.start for n in melody) < source_bars * 3.0  # as many 6/8 bars as the theme has bars
    entry = json.loads(audit_path().read_text().splitlines()[-1])
    assert entry["action"] == "transfer" and entry["model"] == "style-melody"
    assert entry["outputs"][0]["sha256"] == sha256_of(out)["sha256"]
    assert entry["inputs"][0]["sha256"] == sha256_of(theme)["sha256"]


def test_same_seed_same_file_other_seed_other_file(theme, tmp_path):
    for name, seed in (("a.mid", "1"), ("b.mid", "1"), ("c.mid", "2")):
        assert main(["style-transfer", str(theme), "--style", "chorale", "-o", str(tmp_path / name), "--seed", seed,
                     "--no-arrange"]) == 0
    assert (tmp_path / "a.mid").read_bytes() == (tmp_path / "b.mid").read_bytes()
    assert (tmp_path / "a.mid").read_bytes() != (tmp_path / "c.mid").read_bytes()


def test_a_waltz_keeps_its_bars_in_the_target_meter(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPCOMPOSER_HOME", str(tmp_path / "home"))
    waltz = Song(tracks=[Track(notes=[Note(60 + (i * 5) % 12, float(i), i + 1.0) for i in range(24)])],
                 tempos=[TempoChange(0.0, 150.0)], time_signatures=[TimeSignature(0.0, 3, 4)])
    source = write_midi(waltz, tmp_path / "waltz.mid")
    out = tmp_path / "out.mid"
    assert main(["style-transfer", str(source), "--style", "chorale", "--meter", "4/4", "--tempo", "90",
                 "-o", str(out), "--no-arrange"]) == 0
    written = read_midi(out)
    assert written.tempo == 90.0 and written.time_signature.numerator == 4
    assert max(n.end for n in written.notes) <= 8 * 4.0  # eight 3/4 bars became eight 4/4 bars


def run_cli(*arguments, home):
    env = {**os.environ, "DEEPCOMPOSER_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "deepcomposer_edu", *arguments], capture_output=True, text=True,
                          env=env)


def test_bad_input_exits_2_with_one_line(theme, tmp_path):
    out = tmp_path / "out.mid"
    out.write_bytes(b"mine")
    kept = run_cli("style-transfer", str(theme), "--style", "irish", "-o", str(out), home=tmp_path / "home")
    assert kept.returncode == 2 and "exists" in kept.stderr and len(kept.stderr.strip().splitlines()) == 1
    assert out.read_bytes() == b"mine"
    broken = tmp_path / "broken.mid"
    broken.write_bytes(b"MThd not really")
    bad = run_cli("style-transfer", str(broken), "--style", "irish", "-o", str(tmp_path / "x.mid"),
                  home=tmp_path / "home")
    assert bad.returncode == 2 and "broken.mid" in bad.stderr and "Traceback" not in bad.stderr
    unknown = run_cli("style-transfer", str(theme), "--style", "polka-metal", "-o", str(tmp_path / "y.mid"),
                      home=tmp_path / "home")
    assert unknown.returncode == 2 and "polka-metal" in unknown.stderr and "irish" in unknown.stderr
    meter = run_cli("style-transfer", str(theme), "--style", "irish", "--meter", "six/8", "-o", str(tmp_path / "z.mid"),
                    home=tmp_path / "home")
    assert meter.returncode == 2 and "six/8" in meter.stderr
    assert not (tmp_path / "x.mid").exists() and not (tmp_path / "y.mid").exists()


def test_a_new_style_from_a_folder_can_be_transferred_into_and_composed_in(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPCOMPOSER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DEEPCOMPOSER_SMOKE", "1")  # a few training steps: this tests the plumbing, not the quality
    folder = tmp_path / "mine"
    folder.mkdir()
    theme = example_theme()
    for shift in range(10):
        write_midi(transpose(theme, shift - 5), folder / f"tune{shift}.mid")
    registry = tmp_path / "models"
    assert main(["create-model", "--model-type", "style", "--training-data", str(folder), "--model-name", "my-style",
                 "--setting", "style_name=anime", "--registry", str(registry)]) == 0
    card = json.loads((registry / "my-style" / "card.json").read_text())
    assert card["settings"]["style_names"][-1] == "anime" and "irish" in card["settings"]["style_names"]
    assert card["settings"]["learned_styles"]["anime"]["meter"] == [4, 4]
    shipped = json.loads((SHIPPED_DIR / "style-melody" / "card.json").read_text())
    assert card["settings"]["steering"] == shipped["settings"]["steering"]  # the old styles keep their steering
    out = tmp_path / "anime.mid"
    assert main(["style-transfer", str(write_midi(theme, tmp_path / "t.mid")), "--style", "anime", "--model-name",
                 "my-style", "--registry", str(registry), "-o", str(out), "--no-arrange"]) == 0
    assert read_midi(out).notes
    # The corpus styles' steering was chosen contrasting them with the corpus styles only: a learner's style,
    # however it turns out, must not enter their blend. Make "anime" an exact copy of Irish to show it does not.
    learned = load_transfer_model("my-style", registry=registry)
    irish, anime = learned.target("irish"), learned.target("anime")
    table = learned.step.input_tables[-1]
    before, saved = learned.contrast_style(irish).copy(), table[anime.index].copy()
    table[anime.index] = table[irish.index]
    try:
        assert np.array_equal(learned.contrast_style(irish), before)
    finally:
        table[anime.index] = saved
    composed = tmp_path / "composed.mid"
    assert main(["generate-music", "--model-name", "my-style", "--registry", str(registry), "--length", "10",
                 "-o", str(composed)]) == 0
    assert read_midi(composed).notes


@pytest.mark.parametrize("option, parameter, values, bad, style", [
    ("--style-contrast", "style_contrast", ("0", "2.5"), "-1", "german_folk"),
    ("--bar-drafts", "bar_drafts", ("1", "3"), "0", "irish"),
])
def test_steering_knobs_change_the_transfer_are_logged_and_bad_values_exit_2(theme, tmp_path, capsys, option,
                                                                             parameter, values, bad, style):
    outputs = {}
    for value in values:
        out = tmp_path / f"{parameter}_{value}.mid"
        assert main(["style-transfer", str(theme), "--style", style, "--no-arrange", option, value,
                     "-o", str(out)]) == 0
        outputs[value] = out.read_bytes()
        entry = json.loads(audit_path().read_text().splitlines()[-1])
        assert entry["parameters"][parameter] == float(value)
    assert outputs[values[0]] != outputs[values[1]]
    capsys.readouterr()
    assert main(["style-transfer", str(theme), "--style", style, option, bad, "-o", str(tmp_path / "never.mid")]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and parameter in error[0] and not (tmp_path / "never.mid").exists()
