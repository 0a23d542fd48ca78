"""`deepcomposer continue`, `evaluate-likelihood` and `create-model --model-type transformer` end to end."""

import json
import math
import subprocess
import sys

import pytest
import torch

from deepcomposer_edu import transformer_composer as tc
from deepcomposer_edu.cli import main
from deepcomposer_edu.ending import ends_musically
from deepcomposer_edu.music import Note, Song, TempoChange, TimeSignature, Track
from deepcomposer_edu.music.midi import read_midi, write_midi
from deepcomposer_edu.registry import ModelCard, Registry

FOLK = dict(vocabulary="folk", styles=["german_folk"], context=64, layers=1, heads=2, width=16, dropout=0.0,
            tempo=100.0, time_signature=[4, 4], style="german_folk")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPCOMPOSER_HOME", str(tmp_path / "home"))
    registry = Registry(tmp_path / "home" / "models")
    torch.manual_seed(0)
    for name, settings in (("tiny-folk", FOLK), ("tiny-chorale", {**FOLK, "vocabulary": "chorale", "styles": []})):
        card = ModelCard(name=name, type="transformer", settings=settings)
        registry.save(card, tc.model_tensors(tc.build_model(settings)))
    theme = Song(tracks=[Track([Note(p, float(i), float(i + 1)) for i, p in enumerate([60, 64, 67, 72, 71, 67, 65, 64])])],
                 tempos=[TempoChange(0.0, 100.0)], time_signatures=[TimeSignature(0.0, 4, 4)], key="C major")
    write_midi(theme, tmp_path / "theme.mid")
    return tmp_path


def test_continue_writes_the_theme_then_new_bars_and_the_same_seed_gives_the_same_file(home, capsys):
    out = home / "out.mid"
    arguments = ["continue", str(home / "theme.mid"), "--bars", "4", "--model-name", "tiny-folk", "-o", str(out)]
    assert main(arguments) == 0
    assert "wrote" in capsys.readouterr().out
    theme, continued = read_midi(home / "theme.mid"), read_midi(out)
    assert continued.notes[:8] == theme.notes
    assert all(note.start >= 8.0 for note in continued.notes[8:]) and len(continued.notes) > 8
    assert continued.bar_count() >= 2 + 4
    assert ends_musically(continued, "C major")
    first = out.read_bytes()
    assert main([*arguments, "--overwrite"]) == 0
    assert out.read_bytes() == first


def test_continue_refuses_to_overwrite_and_a_missing_theme_with_exit_2(home):
    out = home / "taken.mid"
    out.write_bytes(b"mine")
    for theme in (home / "theme.mid", home / "missing.mid"):
        run = subprocess.run([sys.executable, "-m", "deepcomposer_edu", "continue", str(theme), "--model-name",
                              "tiny-folk", "-o", str(out)], capture_output=True, text=True,
                             env={"DEEPCOMPOSER_HOME": str(home / "home"), "PATH": ""})
        assert run.returncode == 2 and "Traceback" not in run.stderr
    assert out.read_bytes() == b"mine"


def test_evaluate_likelihood_of_an_untrained_model_is_about_ln_of_the_vocabulary(home, capsys):
    assert main(["evaluate-likelihood", "--model-name", "tiny-chorale", "--corpus", "bach_chorales", "--split", "test",
                 "--limit", "2", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["pieces"] == 2 and result["tokens"] > 500
    # Weights drawn with std 0.02 give almost equal scores to all 131 tokens: NLL close to ln(131).
    assert abs(result["nll_per_token"] - math.log(131)) < 0.05


def test_evaluate_likelihood_refuses_a_model_that_is_not_a_transformer(home, capsys):
    Registry(home / "home" / "models").save(ModelCard(name="counts", type="markov"), {"x": torch.zeros(1)})
    assert main(["evaluate-likelihood", "--model-name", "counts", "--corpus", "bach_chorales"]) == 2
    assert "counts" in capsys.readouterr().err  # one line naming the model


def test_create_model_fine_tunes_a_base_transformer_on_a_folder(home, monkeypatch):
    monkeypatch.setenv("DEEPCOMPOSER_SMOKE", "1")
    folder = home / "mine"
    folder.mkdir()
    for index in range(3):
        pitches = [60 + (index + i) % 7 for i in range(12)]
        write_midi(Song(tracks=[Track([Note(p, i * 0.5, i * 0.5 + 0.5) for i, p in enumerate(pitches)])]),
                   folder / f"tune{index}.mid")
    assert main(["create-model", "--model-type", "transformer", "--base-model", "tiny-folk", "--training-data",
                 str(folder), "--model-name", "my-tunes"]) == 0
    model = Registry(home / "home" / "models").find("my-tunes")
    assert model.card.settings["base_model"] == "tiny-folk" and model.card.settings["styles"] == ["german_folk"]
    assert model.card.metrics["songs"] == 3 and model.card.metrics["steps"] >= 1
    assert main(["generate-music", "--model-name", "my-tunes", "--length", "10", "-o", str(home / "g.mid")]) == 0
    assert ends_musically(read_midi(home / "g.mid"), model.card.settings["key"])
