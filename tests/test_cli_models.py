"""The service's subcommands: create-model, generate-music, list-models, describe-model, delete-model, audit."""

import json
import multiprocessing
import os
import subprocess
import sys

import pytest
from service_helpers import audit_events, home, write_training_folder  # noqa: F401 (home is a fixture)

from deepcomposer_edu.cli import main
from deepcomposer_edu.music.midi import read_midi


@pytest.fixture
def trained(home, tmp_path):
    """A user model `tunes` created through the command line from a folder of six MIDI tunes."""
    folder = write_training_folder(tmp_path / "midi")
    assert main(["create-model", "--model-type", "markov", "--training-data", str(folder), "--model-name", "tunes",
                 "--setting", "order=2", "--seed", "4"]) == 0
    return "tunes"


def run_json(argv, capsys):
    capsys.readouterr()
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_list_models_json_lists_shipped_and_user_models_with_their_cards(trained, capsys):
    listed = {model["name"]: model for model in run_json(["list-models", "--json"], capsys)}
    assert listed["markov-folk"]["source"] == "shipped" and listed["markov-folk"]["type"] == "markov"
    assert listed["markov-folk"]["command"].startswith("python scripts/make_markov_folk.py")
    mine = listed["tunes"]
    assert mine["source"] == "user" and mine["settings"]["order"] == 2 and mine["seed"] == 4
    assert mine["data"]["songs"] == 6
    assert mine["command"].startswith("deepcomposer create-model --model-type markov --training-data ")
    assert list(listed).index("markov-folk") < list(listed).index("tunes")  # shipped first


def test_list_models_prints_a_table(trained, capsys):
    assert main(["list-models"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:5] == ["NAME", "TYPE", "SOURCE", "VERSION", "CREATED"]
    assert any(line.split()[:3] == ["tunes", "markov", "user"] for line in lines[1:])


def test_describe_model_shows_the_card(trained, capsys):
    card = run_json(["describe-model", "tunes", "--json"], capsys)
    assert card["name"] == "tunes" and card["version"] == 1 and card["path"].endswith(os.path.join("models", "tunes"))


def test_generate_music_writes_numbered_pieces_and_refuses_to_overwrite(trained, home, tmp_path, capsys):
    output = tmp_path / "piece.mid"
    argv = ["generate-music", "--model-name", "tunes", "--length", "8", "--count", "2", "--seed", "9", "-o", str(output)]
    assert main(argv) == 0
    first = [(tmp_path / f"piece-{n}.mid").read_bytes() for n in (1, 2)]
    assert read_midi(tmp_path / "piece-1.mid").end_beat == 16.0  # 8 s at 120 BPM in 4/4 = 4 bars
    events = audit_events(home)[-2:]
    assert [e["seed"] for e in events] == [9, 10] and all(e["command"] == "deepcomposer " + " ".join(argv) for e in events)
    capsys.readouterr()
    assert main(argv) == 2
    assert "already exists" in capsys.readouterr().err
    assert main([*argv, "--overwrite"]) == 0
    assert [(tmp_path / f"piece-{n}.mid").read_bytes() for n in (1, 2)] == first  # same seed, same bytes


def test_generate_and_create_print_json_for_programs(trained, tmp_path, capsys):
    [piece] = run_json(["generate-music", "--model-name", "tunes", "--length", "6", "--seed", "2",
                        "-o", str(tmp_path / "g"), "--output-format", "midi", "--json"], capsys)
    assert piece["path"] == str(tmp_path / "g.mid") and piece["seed"] == 2 and piece["bars"] == 3
    card = run_json(["create-model", "--training-data", str(tmp_path / "midi"), "--model-name", "again", "--json"], capsys)
    assert card["name"] == "again" and card["source"] == "user" and card["settings"]["order"] == 3


def test_the_shipped_default_model_generates_two_minutes_on_a_fresh_install(home, tmp_path):
    output = tmp_path / "song.mid"
    assert main(["generate-music", "--length", "120", "-o", str(output)]) == 0
    song = read_midi(output)
    one_bar = song.seconds_at(song.time_signature.bar_length)
    assert abs(song.duration_seconds - 120) <= one_bar + 1e-9  # within a bar (1e-9: float rounding of seconds)
    assert song.note_count > 50
    assert audit_events(home)[-1]["model"] == "transformer-folk"


def test_delete_model_removes_user_models_only(trained, capsys):
    assert main(["delete-model", "tunes"]) == 0
    assert "deleted tunes" in capsys.readouterr().out
    assert main(["describe-model", "tunes"]) == 2
    assert main(["delete-model", "markov-folk"]) == 2
    assert "cannot be deleted" in capsys.readouterr().err


def test_audit_filters_and_prints_json(trained, tmp_path, capsys):
    for seed in (1, 2, 3):
        assert main(["generate-music", "--model-name", "tunes", "--length", "4", "--seed", str(seed),
                     "-o", str(tmp_path / f"p{seed}.mid")]) == 0
    everything = run_json(["audit", "--json"], capsys)
    assert [e["action"] for e in everything] == ["create", "generate", "generate", "generate"]
    assert [e["seed"] for e in run_json(["audit", "--action", "generate", "--limit", "2", "--json"], capsys)] == [2, 3]
    assert run_json(["audit", "--model", "markov-folk", "--json"], capsys) == []
    assert run_json(["audit", "--since", "2999-01-01", "--json"], capsys) == []
    assert main(["audit", "--action", "create"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert " create " in line and "tunes" in line and "weights.safetensors" in line


def generate_in_child(argv):
    sys.stdout = sys.stderr = open(os.devnull, "w")
    os._exit(main(argv))


def test_eight_concurrent_processes_generate_with_one_registry_and_all_are_audited(trained, home, tmp_path):
    fork = multiprocessing.get_context("fork")
    children = []
    for seed in range(8):
        argv = ["generate-music", "--model-name", "tunes", "--length", "6", "--seed", str(seed),
                "-o", str(tmp_path / f"c{seed}.mid")]
        children.append(fork.Process(target=generate_in_child, args=(argv,)))
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
    assert [child.exitcode for child in children] == [0] * 8
    generated = [e for e in audit_events(home) if e["action"] == "generate"]  # each line parses: none interleaved
    assert sorted(e["seed"] for e in generated) == list(range(8))
    assert {e["outputs"][0]["path"] for e in generated} == {str(tmp_path / f"c{seed}.mid") for seed in range(8)}
    assert all(read_midi(tmp_path / f"c{seed}.mid").notes for seed in range(8))


@pytest.mark.parametrize("argv, message", [
    (["generate-music", "--model-name", "no-such-model", "-o", "x.mid"], "no model named 'no-such-model'"),
    (["create-model", "--training-data", "midi", "--model-name", "Bad Name"], "invalid model name"),
    (["create-model", "--training-data", "midi", "--model-name", "ok", "--setting", "depth=2"], "unknown setting"),
    (["create-model", "--training-data", "no-such-corpus", "--model-name", "ok"], "no such folder, corpus or style"),
    (["generate-music", "--model-name", "tunes", "-o", "x.txt"], "unknown file type '.txt'"),
    (["audit", "--since", "last week"], "--since 'last week'"),
])
def test_bad_input_is_one_line_on_stderr_and_exit_code_2(trained, tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert message in error and len(error.strip().splitlines()) == 1


def test_from_a_shell_bad_input_exits_2_without_a_traceback(tmp_path):
    environment = {**os.environ, "DEEPCOMPOSER_HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, "-m", "deepcomposer_edu", "describe-model", "no-such-model"],
                            env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.startswith("deepcomposer: error: no model named 'no-such-model'")
    assert "Traceback" not in result.stderr
