"""The Python client (deepcomposer_edu/client.py): create, generate, describe, delete, and reproducibility."""

import hashlib
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from service_helpers import audit_events, home, tune, write_training_folder  # noqa: F401 (home is a fixture)

import deepcomposer_edu
from deepcomposer_edu.client import output_paths
from deepcomposer_edu.errors import InvalidArgumentError, ModelNotFoundError, OutputExistsError
from deepcomposer_edu.music.midi import midi_bytes, read_midi


@pytest.fixture
def dc(home, tmp_path):
    """A client whose user registry holds one real model, `tunes`, trained on a folder of six MIDI tunes."""
    service = deepcomposer_edu.client()
    service.create_model("tunes", write_training_folder(tmp_path / "midi"), settings={"order": 2}, seed=3)
    return service


def test_create_model_writes_a_card_that_says_what_it_learned_from(dc, home, tmp_path):
    card = dc.describe_model("tunes").card
    assert card.type == "markov" and card.seed == 3 and card.version == 1
    assert card.data["songs"] == 6 and card.data["source"] == str(tmp_path / "midi")
    assert card.settings["order"] == 2 and card.settings["program"] == 73
    assert card.metrics["notes"] > 6 * 8  # at least a note a bar in each tune's melody
    assert "create_model(model_name='tunes'" in card.command
    assert [m.name for m in dc.list_models() if m.source == "user"] == ["tunes"]
    [created] = audit_events(home)
    assert created["action"] == "create" and created["model"] == "tunes"
    assert created["inputs"][0]["sha256"] == card.data["sha256"]


def test_a_piece_is_written_as_midi_ends_on_a_bar_line_and_is_logged(dc, home, tmp_path):
    [piece] = dc.generate_music("tunes", length=16, seed=11, output=tmp_path / "out" / "piece.mid")
    assert piece.path == tmp_path / "out" / "piece.mid" and piece.seed == 11 and piece.model == "tunes"
    # 120 BPM 4/4: a bar is 2 s, so 16 s is 8 bars = 32 beats
    assert piece.song.end_beat == 32.0 and piece.metadata["bars"] == 8 and piece.metadata["seconds"] == 16.0
    written = read_midi(piece.path)
    assert [(n.pitch, n.start, n.end) for n in written.notes] == [(n.pitch, n.start, n.end) for n in piece.song.notes]
    generated = audit_events(home)[-1]
    assert generated["action"] == "generate" and generated["seed"] == 11
    assert generated["outputs"][0]["sha256"] == hashlib.sha256(piece.path.read_bytes()).hexdigest()
    assert generated["inputs"][0]["path"].endswith("tunes/weights.safetensors")


def test_several_pieces_get_numbered_files_and_consecutive_seeds(dc, tmp_path):
    pieces = dc.generate_music("tunes", length=8, seed=5, count=3, output=tmp_path / "set.mid")
    assert [p.path.name for p in pieces] == ["set-1.mid", "set-2.mid", "set-3.mid"]
    assert [p.seed for p in pieces] == [5, 6, 7]
    [alone] = dc.generate_music("tunes", length=8, seed=6, output=tmp_path / "alone.mid")
    assert alone.path.read_bytes() == pieces[1].path.read_bytes()  # piece 2 can be made again on its own
    assert pieces[0].path.read_bytes() != pieces[1].path.read_bytes()


def test_existing_files_are_never_overwritten_without_permission(dc, tmp_path):
    keep = tmp_path / "set-2.mid"
    keep.write_bytes(b"mine")
    with pytest.raises(OutputExistsError, match="set-2.mid"):
        dc.generate_music("tunes", length=8, count=2, output=tmp_path / "set.mid")
    assert keep.read_bytes() == b"mine" and not (tmp_path / "set-1.mid").exists()  # refused before writing any
    dc.generate_music("tunes", length=8, count=2, output=tmp_path / "set.mid", overwrite=True)
    assert read_midi(keep).notes


def test_audio_output_goes_through_the_audio_exporter(dc, tmp_path):
    [piece] = dc.generate_music("tunes", length=2, output=tmp_path / "piece", output_format="wav")
    assert piece.path.name == "piece.wav" and piece.path.read_bytes()[:4] == b"RIFF"


@pytest.mark.parametrize("output, count, fmt, expected", [
    ("a.mid", 1, None, (["a.mid"], "midi")),
    ("a.MIDI", 2, None, (["a-1.MIDI", "a-2.MIDI"], "midi")),
    ("a", 1, None, (["a.mid"], "midi")),
    ("a", 2, "mp3", (["a-1.mp3", "a-2.mp3"], "mp3")),
    ("a.wav", 1, "wav", (["a.wav"], "wav")),
])
def test_output_names_and_formats(output, count, fmt, expected):
    paths, chosen = output_paths(output, count, fmt)
    assert ([p.name for p in paths], chosen) == expected


@pytest.mark.parametrize("output, fmt, message", [
    ("a.mid", "wav", "the name says midi but the output format is wav"),
    ("a.txt", None, "unknown file type '.txt'"),
    ("a", "ogg", "unknown output format 'ogg'"),
])
def test_contradictory_or_unknown_output_formats_are_refused(output, fmt, message):
    with pytest.raises(InvalidArgumentError, match=message):
        output_paths(output, 1, fmt)


def test_bad_requests_fail_before_any_work(dc, tmp_path):
    with pytest.raises(ModelNotFoundError, match="no model named 'nope'"):
        dc.generate_music("nope", output=tmp_path / "x.mid")
    with pytest.raises(InvalidArgumentError, match="length"):
        dc.generate_music("tunes", length=0)
    with pytest.raises(InvalidArgumentError, match="count"):
        dc.generate_music("tunes", count=0)
    with pytest.raises(InvalidArgumentError, match="invalid model name"):
        dc.create_model("My Model", [tune(0)])
    with pytest.raises(OutputExistsError):
        dc.create_model("tunes", [tune(0)])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidArgumentError, match="no readable MIDI files"):
        dc.create_model("empty", tmp_path / "empty")
    with pytest.raises(InvalidArgumentError, match="unknown model type 'lstm'"):
        dc.create_model("other", [tune(0)], model_type="lstm")


def test_unreadable_files_in_a_training_folder_are_skipped_and_listed_on_the_card(dc, tmp_path):
    folder = write_training_folder(tmp_path / "mixed", count=2)
    (folder / "notes.txt").write_text("not music")
    (folder / "broken.mid").write_bytes(b"MThd")
    card = dc.create_model("mixed", folder).card
    assert card.data["songs"] == 2
    assert [line.split(":")[0] for line in card.data["skipped"]] == [str(folder / "broken.mid"), str(folder / "notes.txt")]


def test_a_model_from_songs_in_python_can_be_replaced_and_deleted(dc):
    dc.create_model("mine", [tune(1), tune(2)])
    replaced = dc.create_model("mine", [tune(3)], overwrite=True, settings={"order": 1})
    assert replaced.card.version == 2 and replaced.card.data["songs"] == 1
    dc.delete_model("mine")
    with pytest.raises(ModelNotFoundError):
        dc.describe_model("mine")


def test_style_transfer_through_the_client_writes_and_logs(dc, tmp_path):
    from deepcomposer_edu.audit import read_events

    piece = dc.style_transfer(tune(0), "jig", seed=2, output=tmp_path / "jig.mid")
    assert piece.path == tmp_path / "jig.mid" and piece.model == "style-melody"
    assert piece.metadata["meter"] == "6/8" and piece.song.time_signature.numerator == 6
    assert read_events()[-1]["action"] == "transfer"
    with pytest.raises(OutputExistsError):
        dc.style_transfer(tune(0), "jig", output=tmp_path / "jig.mid")


def test_estimate_cost_is_the_cost_module_behind_the_client(dc):
    from deepcomposer_edu.cost import estimate_cost

    asked = dict(training_hours=40, tracks=500, track_seconds=30, style_transfers=100)
    assert dc.estimate_cost(**asked).total == estimate_cost(**asked).total
    assert isinstance(dc.estimate_cost(**asked).total, Decimal)


GENERATE_IN_A_FRESH_PROCESS = """
import sys, torch
torch.set_num_threads(int(sys.argv[1]))
import deepcomposer_edu
deepcomposer_edu.client(sys.argv[2]).generate_music("tunes", length=20, seed=42, output=sys.argv[3])
"""


def test_same_seed_gives_byte_identical_midi_in_separate_processes_with_1_or_2_threads(dc, home, tmp_path):
    environment = {**os.environ, "DEEPCOMPOSER_HOME": str(home)}
    runs = {}
    for threads in (1, 2):  # two fresh processes, run side by side
        output = tmp_path / f"threads{threads}.mid"
        command = [sys.executable, "-c", GENERATE_IN_A_FRESH_PROCESS, str(threads), str(dc.registry.root), str(output)]
        runs[output] = subprocess.Popen(command, env=environment, stderr=subprocess.PIPE)
    for output, run in runs.items():
        assert run.wait(timeout=120) == 0, run.stderr.read().decode()
    first, second = (output.read_bytes() for output in runs)
    [here] = dc.generate_music("tunes", length=20, seed=42)
    assert first == second == midi_bytes(here.song)
