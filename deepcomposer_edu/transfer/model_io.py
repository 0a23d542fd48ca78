"""Saving and loading the style model: safetensors weights plus the settings that rebuild it.

Lesson: lessons/07_style_transfer.ipynb. The model: `deepcomposer_edu/models/style_melody.py`.

The settings name the styles in the order of the model's style vectors and each style's *register* (the
median pitch of its melodies), which style transfer uses to move a melody by whole octaves into the range
the style sings in.
"""

from __future__ import annotations

import torch

from ..errors import InvalidArgumentError
from ..models.style_melody import StyleMelodyConfig, StyleMelodyModel

MODEL_TYPE = "style"
DEFAULT_MODEL = "style-melody"


def model_settings(model: StyleMelodyModel, styles: list[str], registers: dict[str, float]) -> dict:
    """What the card stores to rebuild `model`: its sizes, its styles in order, and their registers."""
    return {**model.config.to_dict(), "style_names": list(styles), "registers": dict(registers)}


def model_tensors(model: StyleMelodyModel) -> dict[str, torch.Tensor]:
    """The weights as contiguous tensors, ready for safetensors."""
    return {name: tensor.detach().contiguous() for name, tensor in model.state_dict().items()}


def build_model(tensors: dict[str, torch.Tensor], settings: dict) -> StyleMelodyModel:
    """The model described by a card's settings, with its weights loaded, in eval mode."""
    config = StyleMelodyConfig(**{key: settings[key] for key in ("styles", "hidden", "layers", "dropout")})
    model = StyleMelodyModel(config)
    model.load_state_dict(tensors)
    return model.eval()


def load_style_model(name: str | None = None, registry=None) -> tuple[StyleMelodyModel, dict]:
    """A style model from the registry (shipped first, then the learner's): (model, settings)."""
    from ..registry import Registry

    registry = registry or Registry()
    entry, tensors = registry.load(name or DEFAULT_MODEL)
    if entry.card.type != MODEL_TYPE:
        raise InvalidArgumentError(f"model {entry.name!r} is a {entry.card.type} model, not a style-transfer model")
    return build_model(tensors, entry.card.settings), entry.card.settings
