"""Training checkpoints: every tensor in safetensors, everything else in plain JSON, one atomic file.

Lesson: lessons/03_gans.ipynb (training, interrupting and resuming).

A checkpoint holds the weights of every module and the state of every optimizer, so that training can
resume exactly where it stopped. We never use `torch.save`/`torch.load` for this: those are pickle files,
and loading a pickle runs whatever code is inside it. Safetensors holds only tensors; an optimizer's other
state (step counts, learning rates, betas) is small and goes into the file's JSON metadata.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import torch
from safetensors.torch import load as load_safetensors_bytes
from safetensors.torch import save as save_safetensors_bytes

from .errors import DeepComposerError
from .files import atomic_write_bytes


class CheckpointError(DeepComposerError):
    """A checkpoint file that cannot be read or does not fit the model it is loaded into."""


def _flatten(prefix: str, value, tensors: dict, plain: dict) -> None:
    """Split a nested state dict into tensors (by dotted key) and JSON-able leaves."""
    if isinstance(value, torch.Tensor):
        # A copy: tied weights (a transformer's embedding and output layer) share memory, which safetensors refuses.
        tensors[prefix] = value.detach().cpu().contiguous().clone()
    elif isinstance(value, dict):
        plain[prefix] = {"__dict__": [str(k) for k in value]}
        for key, item in value.items():
            _flatten(f"{prefix}/{key}", item, tensors, plain)
    elif isinstance(value, (list, tuple)):
        plain[prefix] = {"__list__": len(value)}
        for index, item in enumerate(value):
            _flatten(f"{prefix}/{index}", item, tensors, plain)
    else:
        plain[prefix] = {"value": value}


def _unflatten(prefix: str, tensors: dict, plain: dict):
    """The inverse of `_flatten`. Integer-looking dict keys come back as ints (optimizer state uses them)."""
    if prefix in tensors:
        return tensors[prefix]
    entry = plain[prefix]
    if "__dict__" in entry:
        result = {}
        for key in entry["__dict__"]:
            restored_key = int(key) if key.lstrip("-").isdigit() else key
            result[restored_key] = _unflatten(f"{prefix}/{key}", tensors, plain)
        return result
    if "__list__" in entry:
        return [_unflatten(f"{prefix}/{index}", tensors, plain) for index in range(entry["__list__"])]
    return entry["value"]


def save_checkpoint(path: str | Path, state: dict, overwrite: bool = True) -> Path:
    """Write `state` (a nested dict of tensors, numbers, strings, lists) atomically as one safetensors file.

    A crash in the middle leaves the previous checkpoint intact: the new one replaces it in one rename.
    """
    tensors: dict[str, torch.Tensor] = {}
    plain: dict[str, dict] = {}
    _flatten("state", state, tensors, plain)
    metadata = {"deepcomposer_checkpoint": "1", "plain": json.dumps(plain)}
    return atomic_write_bytes(path, save_safetensors_bytes(tensors, metadata=metadata), overwrite=overwrite)


def load_checkpoint(path: str | Path) -> dict:
    """Read a checkpoint written by `save_checkpoint`. Refuses anything else (a pickle, say) without running it."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CheckpointError(f"{path}: cannot read checkpoint ({error.strerror})") from None
    if len(data) < 8 or struct.unpack("<Q", data[:8])[0] > len(data) - 8:
        raise CheckpointError(f"{path}: not a safetensors checkpoint (pickled files are refused)")
    try:
        header = json.loads(data[8 : 8 + struct.unpack("<Q", data[:8])[0]])
        plain = json.loads(header["__metadata__"]["plain"])
        tensors = load_safetensors_bytes(data)
    except (ValueError, KeyError, TypeError) as error:
        raise CheckpointError(f"{path}: not a deepcomposer checkpoint ({error})") from None
    except Exception as error:  # safetensors raises its own error type for a damaged file
        raise CheckpointError(f"{path}: damaged checkpoint ({error})") from None
    return _unflatten("state", tensors, plain)
