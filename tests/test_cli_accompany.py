"""`deepcomposer accompany` (deepcomposer_edu/commands/accompany.py), with a tiny GAN in a test registry."""

import json
import os
import subprocess
import sys

import pytest

from deepcomposer_edu.cli import main
from deepcomposer_edu.music.midi import read_midi, write_midi
from deepcomposer_edu.registry import Registry, SHIPPED_DIR
from test_gan_composer import low_melody, save_tiny_model


@pytest.fixture
def setup(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPCOMPOSER_HOME", str(tmp_path / "home"))
    registry = tmp_path / "models"
    save_tiny_model(Registry(registry))
    theme = write_midi(low_melody(), tmp_path / "theme.mid")
    return tmp_path, str(registry), theme


def test_accompany_writes_the_melody_unchanged_and_three_new_voices(setup, capsys):
    tmp_path, registry, theme = setup
    out = tmp_path / "out.mid"
    code = main(["accompany", str(theme), "-o", str(out), "--model-name", "gan-tiny", "--registry", registry,
                 "--seed", "4", "--instrument-pack", "band", "--json"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["path"] == str(out) and summary["seed"] == 4 and summary["pack"] == "band"
    written, given = read_midi(out), read_midi(theme)
    assert [(n.pitch, n.start, n.end, n.velocity) for n in written.tracks[0].notes] == \
        [(n.pitch, n.start, n.end, n.velocity) for n in given.tracks[0].notes]
    assert [t.name for t in written.tracks] == ["melody", "alto", "tenor", "bass"]


def test_same_seed_gives_the_same_file(setup):
    tmp_path, registry, theme = setup
    for name in ("a.mid", "b.mid"):
        assert main(["accompany", str(theme), "-o", str(tmp_path / name), "--model-name", "gan-tiny",
                     "--registry", registry, "--seed", "2"]) == 0
    assert (tmp_path / "a.mid").read_bytes() == (tmp_path / "b.mid").read_bytes()


def test_an_existing_output_is_kept_without_overwrite(setup):
    tmp_path, registry, theme = setup
    out = tmp_path / "out.mid"
    out.write_bytes(b"mine")
    env = {**os.environ, "DEEPCOMPOSER_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-m", "deepcomposer_edu", "accompany", str(theme), "-o", str(out),
                           "--model-name", "gan-tiny", "--registry", registry], capture_output=True, text=True, env=env)
    assert done.returncode == 2
    assert "exists" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert out.read_bytes() == b"mine"
    assert main(["accompany", str(theme), "-o", str(out), "--model-name", "gan-tiny", "--registry", registry,
                 "--overwrite"]) == 0
    assert out.read_bytes() != b"mine"


def test_bad_inputs_are_one_line_errors(setup, capsys):
    tmp_path, registry, theme = setup
    assert main(["accompany", str(tmp_path / "missing.mid"), "-o", str(tmp_path / "x.mid")]) == 2
    assert "missing.mid" in capsys.readouterr().err
    assert main(["accompany", str(theme), "-o", str(tmp_path / "x.mid"), "--model-name", "gan-tiny",
                 "--registry", registry, "--instrument-pack", "kazoos"]) == 2
    assert "kazoos" in capsys.readouterr().err
    assert not (tmp_path / "x.mid").exists()


@pytest.mark.skipif(not (SHIPPED_DIR / "gan-chorale").is_dir(), reason="gan-chorale is not shipped in this checkout")
def test_the_shipped_gan_chorale_accompanies_the_example_theme(tmp_path, monkeypatch):
    from deepcomposer_edu.examples import example_theme

    monkeypatch.setenv("DEEPCOMPOSER_HOME", str(tmp_path / "home"))
    out = tmp_path / "theme_accompanied.mid"
    theme = write_midi(example_theme(), tmp_path / "theme.mid")
    assert main(["accompany", str(theme), "-o", str(out)]) == 0
    written = read_midi(out)
    assert [(n.pitch, n.start, n.end) for n in written.tracks[0].notes] == \
        [(n.pitch, n.start, n.end) for n in example_theme().tracks[0].notes]
    assert sum(len(t.notes) for t in written.tracks[1:]) > 0


def test_create_model_fine_tunes_a_gan_from_a_folder_of_midi(tmp_path, monkeypatch, capsys):
    from service_helpers import write_training_folder

    monkeypatch.setenv("DEEPCOMPOSER_HOME", str(tmp_path / "home"))
    save_tiny_model(Registry(), "gan-base")  # DEEPCOMPOSER_HOME/models
    folder = write_training_folder(tmp_path / "my_midi", count=3)
    code = main(["create-model", "--model-type", "gan", "--base-model", "gan-base", "--training-data", str(folder),
                 "--model-name", "my-gan", "--max-minutes", "0.5", "--setting", "max_steps=2", "--json"])
    assert code == 0
    card = json.loads(capsys.readouterr().out)
    assert card["type"] == "gan" and card["settings"]["base_model"] == "gan-base"
    assert card["settings"]["max_minutes"] == 0.5 and card["metrics"]["steps"] == 2
    assert card["data"]["songs"] == 3
    assert main(["accompany", str(write_midi(low_melody(), tmp_path / "t.mid")), "-o", str(tmp_path / "o.mid"),
                 "--model-name", "my-gan"]) == 0
    assert main(["create-model", "--model-type", "markov", "--base-model", "gan-base", "--training-data", str(folder),
                 "--model-name", "nope"]) == 2
    assert "base_model" in capsys.readouterr().err


def test_building_the_command_line_does_not_load_torch():
    # Every command registers at start-up; the model commands import torch only when they run, so
    # `deepcomposer --help` and the non-model commands start quickly.
    code = ("import sys; import deepcomposer_edu.cli as cli; cli.build_parser(); "
            "print('torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_an_unknown_model_type_is_a_one_line_error_listing_the_types(tmp_path):
    env = {**os.environ, "DEEPCOMPOSER_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "deepcomposer_edu", "create-model", "--model-type", "kazoo",
                           "--training-data", "folk", "--model-name", "x"], capture_output=True, text=True, env=env)
    assert done.returncode == 2
    assert "kazoo" in done.stderr and "gan" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_generate_music_count_gives_each_piece_as_its_seed_alone(setup):
    # `--count 4 --seed 5` composes the four pieces in one batch; piece 3 must be seed 7 made on its own.
    tmp_path, registry, _ = setup
    common = ["generate-music", "--model-name", "gan-tiny", "--registry", registry, "--length", "15"]
    assert main([*common, "--count", "4", "--seed", "5", "-o", str(tmp_path / "many.mid")]) == 0
    assert main([*common, "--seed", "7", "-o", str(tmp_path / "alone.mid")]) == 0
    many = [(tmp_path / f"many-{n}.mid").read_bytes() for n in range(1, 5)]
    assert many[2] == (tmp_path / "alone.mid").read_bytes()
    assert len(set(many)) == 4
