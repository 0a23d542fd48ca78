"""The model registry: where models live, what their cards say, and how they are saved and loaded safely.

Lesson: lessons/06_transfer_learning.ipynb (saving a model of your own and finding it again).

A model is a folder named after it, holding two files:

    <name>/weights.safetensors   the tensors (only tensors: loading them can never run code)
    <name>/card.json             the model card: what it is, what it learned from, how it was made

Models are looked up first among those shipped inside the package (`deepcomposer_edu/pretrained/`), then in
the user's registry (`DEEPCOMPOSER_HOME/models`, or any folder passed as `--registry`). A user model can
never hide a shipped one: the names are reserved.

Saving is atomic at the model level: the two files are written into a hidden temporary folder beside the
target, flushed to disk, and the folder is renamed into place, so a crash (even SIGKILL) leaves either the
old model or the new one, never half of one. A lock file (`fcntl.flock`) lets many processes use one registry
at once. Files are readable by their owner only.

Pickled weights (`.pt`, `.pkl`, `.bin`, ...) are refused without being opened: unpickling runs whatever code
the file contains. This module never calls `torch.load`.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import struct
import tempfile
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path

from . import paths
from .errors import DeepComposerError, InvalidArgumentError, ModelNotFoundError, NotInstalledError, OutputExistsError
from .files import atomic_write_bytes, atomic_write_text

SHIPPED_DIR = paths.PACKAGE_DIR / "pretrained"
WEIGHTS_FILE = "weights.safetensors"
CARD_FILE = "card.json"
LOCK_FILE = ".lock"
PICKLE_SUFFIXES = (".pt", ".pth", ".pkl", ".pickle", ".bin", ".ckpt", ".joblib", ".npy", ".npz")
MAX_HEADER_BYTES = 100_000_000

NAME_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
MAX_NAME_LENGTH = 64

# The one place that says which model each task uses when the learner names none. A task whose model is
# not shipped yet raises NotInstalledError (see `default_model_name`).
DEFAULT_MODELS = {
    "generate": "transformer-folk",
    "accompany": "gan-chorale",
    "continue": "transformer-folk",
    "style-transfer": "style-melody",
    "mood": "markov-folk",
}


class ModelCardError(DeepComposerError):
    """A card.json that is missing, not JSON, or lacks a field the schema requires."""


class UnsafeWeightsError(DeepComposerError):
    """Weights that are not a well-formed safetensors file (a pickle, say): refused without running them."""


# --- names --------------------------------------------------------------------------------------------


def validate_name(name: str) -> str:
    """Return `name` if it is a valid model name (a lowercase slug such as `markov-folk`), else raise."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name) or len(name) > MAX_NAME_LENGTH:
        raise InvalidArgumentError(
            f"invalid model name {name!r}: use lowercase letters, digits and single hyphens, starting with a "
            f"letter, at most {MAX_NAME_LENGTH} characters (for example 'markov-folk' or 'my-jigs')"
        )
    return name


def standard_name(model_type: str, style: str) -> str:
    """The naming rule for models made from a style's corpus: `<type>-<style>`, e.g. `gan-chorale`."""
    return validate_name(f"{model_type}-{style}")


# --- cards --------------------------------------------------------------------------------------------


def utc_now() -> str:
    """The current time as an ISO 8601 UTC string, to the second (`2025-07-01T12:00:00Z`)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class ModelCard:
    """Everything a person needs to know about a model, stored beside its weights as card.json.

    - `type`: the model type in `deepcomposer_edu.composers` that can load and run it (`markov`, `gan`, ...)
    - `version`: 1 when first created, one more each time it is replaced under the same name
    - `data`: what it learned from (source, number of songs, a sha256 of the training data)
    - `settings`: what the model type needs to rebuild it (order, sizes, tempo, meter, ...)
    - `metrics`: numbers measured when it was made (events counted, loss, training seconds, ...)
    - `command`: the exact command that produced it, so anyone can make it again
    - `seed`: the random seed of that command
    """

    name: str
    type: str
    version: int = 1
    description: str = ""
    data: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)
    created: str = field(default_factory=utc_now)
    command: str = ""
    seed: int | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str, source: str = "card.json") -> "ModelCard":
        """Parse and check a card; `source` names the file in error messages."""
        try:
            raw = json.loads(text)
        except ValueError as error:
            raise ModelCardError(f"{source}: not valid JSON ({error})") from None
        if not isinstance(raw, dict):
            raise ModelCardError(f"{source}: a model card must be a JSON object")
        missing = [name for name in ("name", "type") if not isinstance(raw.get(name), str)]
        if missing:
            raise ModelCardError(f"{source}: missing required field(s) {', '.join(missing)}")
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in raw.items() if key in known})


@dataclass(frozen=True)
class RegisteredModel:
    """A model found in a registry: its card, its folder, and whether it is `shipped` or the `user`'s."""

    card: ModelCard
    path: Path
    source: str

    @property
    def name(self) -> str:
        return self.card.name

    @property
    def weights_path(self) -> Path:
        return self.path / WEIGHTS_FILE

    def to_dict(self) -> dict:
        """The card plus where it is, as plain JSON-able values (what `list-models --json` prints)."""
        return {**asdict(self.card), "source": self.source, "path": str(self.path)}


# --- safetensors checks -------------------------------------------------------------------------------


def check_safetensors(data: bytes, source: str) -> None:
    """Raise `UnsafeWeightsError` unless `data` is a well-formed safetensors file.

    A safetensors file is an 8-byte little-endian header length, a JSON header describing each tensor
    (dtype, shape, byte range), then raw bytes. A pickle (which starts with byte 0x80) or a torch zip file
    fails these checks at once, and nothing in it is ever interpreted as code.
    """
    refuse = f"{source}: not a safetensors file"
    if len(data) < 8:
        raise UnsafeWeightsError(f"{refuse} (only {len(data)} bytes); refusing to load it")
    (header_length,) = struct.unpack("<Q", data[:8])
    if header_length < 2 or header_length > min(MAX_HEADER_BYTES, len(data) - 8):
        raise UnsafeWeightsError(f"{refuse} (bad header length; a pickle or torch file?); refusing to load it")
    try:
        header = json.loads(data[8 : 8 + header_length])
    except ValueError:
        raise UnsafeWeightsError(f"{refuse} (its header is not JSON); refusing to load it") from None
    if not isinstance(header, dict):
        raise UnsafeWeightsError(f"{refuse} (its header is not a JSON object); refusing to load it")
    for name, info in header.items():
        if name != "__metadata__" and not _well_formed_entry(info, len(data) - 8 - header_length):
            raise UnsafeWeightsError(f"{source}: damaged safetensors header at tensor {name!r}; refusing to load it")


def _well_formed_entry(info, payload_bytes: int) -> bool:
    """One tensor's header entry: a dtype, a shape, and a byte range inside the data that follows."""
    if not isinstance(info, dict):
        return False
    offsets = info.get("data_offsets")
    return (
        isinstance(info.get("dtype"), str)
        and isinstance(info.get("shape"), list)
        and isinstance(offsets, list)
        and len(offsets) == 2
        and all(isinstance(offset, int) for offset in offsets)
        and 0 <= offsets[0] <= offsets[1] <= payload_bytes
    )


def _check_no_pickles(folder: Path) -> None:
    for item in folder.iterdir():
        if item.suffix.lower() in PICKLE_SUFFIXES:
            raise UnsafeWeightsError(
                f"{item}: pickled weights are refused (loading a pickle can run any code in it); "
                "only weights.safetensors is loaded"
            )


# --- the registry -------------------------------------------------------------------------------------


class Registry:
    """Shipped models (read-only) and a user folder of models (read-write), looked up in that order."""

    def __init__(self, root: str | os.PathLike | None = None, shipped: str | os.PathLike | None = SHIPPED_DIR):
        self.root = Path(root).expanduser() if root is not None else paths.home() / "models"
        self.shipped = Path(shipped) if shipped is not None else None
        if self.shipped is not None and self.shipped.resolve() == self.root.resolve():
            self.shipped = None  # writing the shipped models themselves (scripts/make_markov_folk.py)

    # --- reading ---

    def list(self) -> list[RegisteredModel]:
        """Every model: shipped ones first, then the user's, each group in name order."""
        found = [self._read(folder, "shipped") for folder in self._folders(self.shipped)]
        with self._lock(exclusive=False):
            found += [self._read(folder, "user") for folder in self._folders(self.root)]
        return found

    def exists(self, name: str) -> bool:
        try:
            self.find(name)
        except ModelNotFoundError:
            return False
        return True

    def find(self, name: str) -> RegisteredModel:
        """The model called `name`, shipped first, then the user's; `ModelNotFoundError` if neither has it."""
        validate_name(name)
        if self.shipped is not None and (self.shipped / name / CARD_FILE).is_file():
            return self._read(self.shipped / name, "shipped")
        with self._lock(exclusive=False):
            if (self.root / name).is_dir():
                return self._read(self.root / name, "user")
        if self._recover():  # a writer killed between its two renames left the old model aside: restore it
            return self.find(name)
        known = ", ".join(folder.name for folder in self._folders(self.shipped) + self._folders(self.root))
        raise ModelNotFoundError(f"no model named {name!r} (installed: {known or 'none'}; registry: {self.root})")

    def load(self, name: str) -> tuple[RegisteredModel, dict]:
        """The model and its weights (a dict of name -> torch.Tensor), after checking they are safetensors."""
        from safetensors.torch import load as load_safetensors_bytes

        found = self.find(name)
        with self._lock(exclusive=False) if found.source == "user" else nullcontext():
            model = self._read(found.path, found.source)  # card and weights read as one pair, under one lock
            _check_no_pickles(model.path)
            if not model.weights_path.is_file():
                raise UnsafeWeightsError(f"{model.path}: no {WEIGHTS_FILE} (only safetensors weights are loaded)")
            data = model.weights_path.read_bytes()
        check_safetensors(data, str(model.weights_path))
        try:
            return model, load_safetensors_bytes(data)
        except Exception as error:  # safetensors raises its own error type for a damaged file
            raise UnsafeWeightsError(f"{model.weights_path}: damaged safetensors file ({error})") from None

    # --- writing ---

    def check_can_save(self, name: str, overwrite: bool = False) -> None:
        """Fail early (before any training) if `name` is invalid, reserved, or taken without `overwrite`."""
        validate_name(name)
        if self.shipped is not None and (self.shipped / name).is_dir():
            raise InvalidArgumentError(f"{name!r} is the name of a model shipped with the package; choose another")
        if (self.root / name).exists() and not overwrite:
            raise OutputExistsError(self.root / name)

    def save(self, card: ModelCard, tensors: dict, overwrite: bool = False) -> RegisteredModel:
        """Write the model atomically (see the module docstring); returns it as registered.

        `tensors` maps names to torch tensors. The card's `version` becomes one more than the model it
        replaces, if any.
        """
        from safetensors.torch import save as save_safetensors_bytes

        self.check_can_save(card.name, overwrite)
        weights = save_safetensors_bytes({key: value.contiguous() for key, value in tensors.items()})
        target = self.root / card.name
        with self._lock(exclusive=True):
            self._recover_locked()
            self.check_can_save(card.name, overwrite)  # again: another process may have written it meanwhile
            if (target / CARD_FILE).is_file():
                previous = ModelCard.from_json((target / CARD_FILE).read_text(), str(target / CARD_FILE))
                card.version = previous.version + 1
            staging = Path(tempfile.mkdtemp(prefix=f".{card.name}.tmp-", dir=self.root))  # mode 0o700
            try:
                atomic_write_bytes(staging / WEIGHTS_FILE, weights, mode=0o600)
                atomic_write_text(staging / CARD_FILE, card.to_json(), mode=0o600)
                _fsync_dir(staging)
                aside = self.root / f".{card.name}.old-{secrets.token_hex(4)}"
                if target.exists():
                    os.rename(target, aside)
                os.rename(staging, target)
                _fsync_dir(self.root)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            shutil.rmtree(aside, ignore_errors=True)
        return RegisteredModel(card, target, "user")

    def delete(self, name: str) -> Path:
        """Remove a user model (shipped models cannot be deleted); returns the folder it was in.

        Works even when the model's card is damaged, so a broken model can always be cleared away.
        """
        validate_name(name)
        if self.shipped is not None and (self.shipped / name).is_dir():
            raise InvalidArgumentError(f"{name!r} is shipped with the package and cannot be deleted")
        folder = self.root / name
        with self._lock(exclusive=True):
            if not folder.is_dir():
                raise ModelNotFoundError(f"no model named {name!r} in the registry {self.root}")
            doomed = self.root / f".{name}.del-{secrets.token_hex(4)}"
            os.rename(folder, doomed)  # the model disappears in one step, then its files go
            _fsync_dir(self.root)
            shutil.rmtree(doomed, ignore_errors=True)
        return folder

    # --- helpers ---

    @staticmethod
    def _folders(root: Path | None) -> list[Path]:
        if root is None or not root.is_dir():
            return []
        return sorted(item for item in root.iterdir() if item.is_dir() and not item.name.startswith("."))

    @staticmethod
    def _read(folder: Path, source: str) -> RegisteredModel:
        card_path = folder / CARD_FILE
        try:
            text = card_path.read_text(encoding="utf-8")
        except OSError:
            raise ModelCardError(f"{card_path}: missing model card (delete-model {folder.name} removes it)") from None
        card = ModelCard.from_json(text, str(card_path))
        if card.name != folder.name:
            raise ModelCardError(f"{card_path}: card names model {card.name!r} but its folder is {folder.name!r}")
        return RegisteredModel(card, folder, source)

    @contextmanager
    def _lock(self, exclusive: bool):
        """Hold the registry's lock: shared for readers, exclusive for writers."""
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle = os.open(self.root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            yield
        finally:
            os.close(handle)  # closing releases the lock

    def _recover(self) -> bool:
        if not self._hidden():
            return False
        with self._lock(exclusive=True):
            return self._recover_locked()

    def _hidden(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return [item for item in self.root.iterdir() if item.is_dir() and item.name.startswith(".")]

    def _recover_locked(self) -> bool:
        """Clean up after writers that were killed: drop staging folders, restore a model left aside.

        Only called under the exclusive lock, so no live writer owns these folders. Returns True if a
        model was restored.
        """
        restored = False
        for item in self._hidden():
            original, _, kind = item.name[1:].rpartition(".")
            if kind.startswith("old-") and not (self.root / original).exists():
                os.rename(item, self.root / original)
                restored = True
            elif kind.startswith(("tmp-", "old-", "del-")):
                shutil.rmtree(item, ignore_errors=True)
        return restored


def _fsync_dir(folder: Path) -> None:
    """Make a rename inside `folder` durable (a directory's entries are flushed by fsync on the directory)."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def default_model_name(task: str, registry: Registry | None = None) -> str:
    """The model a task uses when none is named (from DEFAULT_MODELS), if it is installed."""
    if task not in DEFAULT_MODELS:
        raise InvalidArgumentError(f"unknown task {task!r}; tasks are {', '.join(DEFAULT_MODELS)}")
    name = DEFAULT_MODELS[task]
    if not (registry or Registry()).exists(name):
        raise NotInstalledError(
            f"the default model for {task!r}, {name}, is not installed in this version of deepcomposer-edu; "
            "create a model of your own and pass its name (--model-name / model_name=)"
        )
    return name
