"""The model registry (deepcomposer_edu/registry.py): names, cards, lookup order, permissions, safe loading."""

import json
import pickle
import stat
import struct

import pytest
import torch
from safetensors.torch import save as save_safetensors_bytes

from deepcomposer_edu.errors import InvalidArgumentError, ModelNotFoundError, NotInstalledError, OutputExistsError
from deepcomposer_edu.registry import (
    DEFAULT_MODELS,
    ModelCard,
    ModelCardError,
    Registry,
    UnsafeWeightsError,
    default_model_name,
    standard_name,
    validate_name,
)


def make_registry(tmp_path, shipped_models=()):
    """A user registry in tmp_path/user and a fake 'shipped' folder holding `shipped_models`."""
    shipped = Registry(tmp_path / "shipped", shipped=None)
    for name in shipped_models:
        shipped.save(ModelCard(name=name, type="markov"), {"w": torch.ones(2)})
    return Registry(tmp_path / "user", shipped=tmp_path / "shipped")


@pytest.mark.parametrize("name", ["markov-folk", "gan-chorale", "my-jigs2", "x"])
def test_valid_names_pass(name):
    assert validate_name(name) == name


@pytest.mark.parametrize("name", ["Markov-folk", "a--b", "-x", "x-", "", "a b", "2fast", "a_b", "a" * 65, "../x"])
def test_invalid_names_are_refused_with_the_name_in_the_message(name):
    with pytest.raises(InvalidArgumentError, match="invalid model name"):
        validate_name(name)


def test_standard_names_join_type_and_style():
    assert standard_name("transformer", "folk") == "transformer-folk"
    with pytest.raises(InvalidArgumentError):
        standard_name("gan", "Bach Chorales")


def test_save_then_load_gives_back_the_card_and_the_tensors(tmp_path):
    registry = make_registry(tmp_path)
    weights = {"table": torch.arange(12, dtype=torch.int32).reshape(3, 4), "scale": torch.tensor([0.5])}
    card = ModelCard(name="my-tunes", type="markov", data={"songs": 3}, settings={"order": 2}, command="x", seed=7)
    registry.save(card, weights)
    model, loaded = registry.load("my-tunes")
    assert model.source == "user" and model.path == tmp_path / "user" / "my-tunes"
    assert model.card.settings == {"order": 2} and model.card.seed == 7 and model.card.version == 1
    assert torch.equal(loaded["table"], weights["table"]) and torch.equal(loaded["scale"], weights["scale"])
    assert sorted(p.name for p in model.path.iterdir()) == ["card.json", "weights.safetensors"]


def test_an_existing_model_is_replaced_only_with_overwrite_and_its_version_goes_up(tmp_path):
    registry = make_registry(tmp_path)
    registry.save(ModelCard(name="mine", type="markov"), {"w": torch.zeros(1)})
    with pytest.raises(OutputExistsError):
        registry.save(ModelCard(name="mine", type="markov"), {"w": torch.ones(1)})
    registry.save(ModelCard(name="mine", type="markov"), {"w": torch.ones(1)}, overwrite=True)
    model, weights = registry.load("mine")
    assert model.card.version == 2 and weights["w"].item() == 1.0


def test_files_are_readable_by_their_owner_only(tmp_path):
    registry = make_registry(tmp_path)
    model = registry.save(ModelCard(name="private", type="markov"), {"w": torch.zeros(1)})
    assert stat.S_IMODE(registry.root.stat().st_mode) == 0o700
    assert stat.S_IMODE(model.path.stat().st_mode) == 0o700
    for file in model.path.iterdir():
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file


def test_shipped_models_come_first_and_their_names_are_reserved(tmp_path):
    registry = make_registry(tmp_path, shipped_models=["markov-folk"])
    registry.save(ModelCard(name="a-mine", type="markov"), {"w": torch.zeros(1)})
    assert [(m.name, m.source) for m in registry.list()] == [("markov-folk", "shipped"), ("a-mine", "user")]
    assert registry.find("markov-folk").source == "shipped"
    with pytest.raises(InvalidArgumentError, match="shipped"):
        registry.save(ModelCard(name="markov-folk", type="markov"), {"w": torch.zeros(1)})
    with pytest.raises(InvalidArgumentError, match="cannot be deleted"):
        registry.delete("markov-folk")


def test_delete_removes_a_user_model_even_with_a_damaged_card(tmp_path):
    registry = make_registry(tmp_path)
    model = registry.save(ModelCard(name="gone", type="markov"), {"w": torch.zeros(1)})
    (model.path / "card.json").write_text("{not json")
    with pytest.raises(ModelCardError, match="not valid JSON"):
        registry.find("gone")
    registry.delete("gone")
    assert not model.path.exists()
    with pytest.raises(ModelNotFoundError, match="gone"):
        registry.find("gone")
    with pytest.raises(ModelNotFoundError):
        registry.delete("gone")


def test_an_unknown_model_names_what_is_installed(tmp_path):
    registry = make_registry(tmp_path, shipped_models=["markov-folk"])
    with pytest.raises(ModelNotFoundError, match="installed: markov-folk"):
        registry.find("gan-jazz")


def test_a_card_without_its_type_is_refused(tmp_path):
    with pytest.raises(ModelCardError, match="missing required field"):
        ModelCard.from_json(json.dumps({"name": "x"}), "x/card.json")


def test_default_model_is_used_when_installed_and_otherwise_not_installed(tmp_path):
    name = DEFAULT_MODELS["generate"]
    assert default_model_name("generate", make_registry(tmp_path / "a", [name])) == name
    with pytest.raises(NotInstalledError, match="not installed"):
        default_model_name("generate", make_registry(tmp_path / "b"))
    with pytest.raises(InvalidArgumentError, match="unknown task"):
        default_model_name("dance", make_registry(tmp_path / "c"))


# --- pickles are refused without running them ---------------------------------------------------------


class _Booby:
    """Unpickling this creates the marker file: proof that code in a pickle ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def _plant(registry, name, filename, data):
    folder = registry.root / name
    folder.mkdir(parents=True)
    (folder / "card.json").write_text(ModelCard(name=name, type="markov").to_json())
    (folder / filename).write_bytes(data)


@pytest.mark.parametrize("filename", ["weights.pt", "model.pkl", "pytorch_model.bin", "weights.safetensors"])
def test_a_pickled_model_is_refused_and_nothing_in_it_runs(tmp_path, filename):
    registry = make_registry(tmp_path)
    marker = tmp_path / "pwned"
    payload = pickle.dumps({"w": _Booby(marker)})
    assert not marker.exists()  # pickling itself does not run the payload
    _plant(registry, "evil", filename, payload)
    with pytest.raises(UnsafeWeightsError, match="refus"):
        registry.load("evil")
    assert not marker.exists()


def test_a_torch_save_file_posing_as_safetensors_is_refused(tmp_path):
    registry = make_registry(tmp_path)
    marker = tmp_path / "pwned"
    torch.save({"w": _Booby(marker)}, tmp_path / "zip.pt")  # torch's zip+pickle format
    _plant(registry, "zipped", "weights.safetensors", (tmp_path / "zip.pt").read_bytes())
    with pytest.raises(UnsafeWeightsError, match="not a safetensors file"):
        registry.load("zipped")
    assert not marker.exists()


def test_a_safetensors_header_pointing_past_the_data_is_refused(tmp_path):
    registry = make_registry(tmp_path)
    good = save_safetensors_bytes({"w": torch.zeros(4)})
    (length,) = struct.unpack("<Q", good[:8])
    header = json.loads(good[8 : 8 + length])
    header["w"]["data_offsets"] = [0, 10_000]
    bad_header = json.dumps(header).encode()
    _plant(registry, "damaged", "weights.safetensors", struct.pack("<Q", len(bad_header)) + bad_header + good[8 + length :])
    with pytest.raises(UnsafeWeightsError, match="damaged safetensors header"):
        registry.load("damaged")


def test_a_model_set_aside_by_a_killed_writer_is_restored_and_staging_debris_removed(tmp_path):
    registry = make_registry(tmp_path)
    model = registry.save(ModelCard(name="tune", type="markov"), {"w": torch.zeros(1)})
    # What a writer killed between its two renames leaves: the old model aside, a staging folder, no model.
    model.path.rename(registry.root / ".tune.old-1a2b3c4d")
    (registry.root / ".tune.tmp-xyz").mkdir()
    assert [m.name for m in registry.list()] == []
    assert registry.find("tune").card.name == "tune"
    assert sorted(p.name for p in registry.root.iterdir()) == [".lock", "tune"]
