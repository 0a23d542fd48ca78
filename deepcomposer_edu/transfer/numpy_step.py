"""The style model's one-note step in plain numpy: the same numbers, a few times faster, for live transfer.

Lesson: lessons/07_style_transfer.ipynb (why live transfer keeps up with a player). Model:
`deepcomposer_edu/models/style_melody.py`; user: `transfer/transferer.py`.

Writing one note asks the network a handful of tiny questions (a GRU step on one vector, three small
heads). Each torch call costs tens of microseconds of bookkeeping, more than the arithmetic itself, so
here the trained weights are copied once into numpy arrays and the step is written out by hand:

- **Folding the embeddings into the GRU.** The first GRU layer multiplies the concatenated embeddings of
  the note (pitch, duration, delta, position, bar, style) by its input matrix. Multiplying each embedding
  table by its slice of that matrix *once* gives a table of ready-made contributions: reading a note is
  then six row look-ups and a sum instead of a concatenation and a matrix product.
- **The GRU cell** (Cho et al. 2014), as torch computes it: reset gate r, update gate z, candidate n,
  then h' = (1 - z) * n + z * h.
- **The heads**: Linear -> GELU -> Linear, as in the model.
- **Several styles at once.** Style contrast (`transfer/style_space.py`) reads every note twice, as the
  target style and as its neighbours; stacking the two as rows makes that one matrix product per layer.
- **float32**, as torch computes: half the memory to move per product, and no less exact than the model.

`tests/test_style_transfer.py` checks that this step gives torch's logits to within 1e-4.
"""

from __future__ import annotations

import math

import numpy as np

from ..models.style_melody import StyleMelodyModel

_INPUTS = ("pitch_in", "duration_in", "delta_in", "position_in", "bar_in", "style")  # in the model's concat order


def _erf(x: np.ndarray) -> np.ndarray:
    """erf, to 1.5e-7 (Abramowitz & Stegun 7.1.26): numpy has none, and GELU needs it."""
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-x * x))


def gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class NumpyStep:
    """One note at a time through a trained `StyleMelodyModel`, in numpy.

    State: a (layers, H) array, or (layers, B, H) when the note is read as B styles at once (`read`)."""

    def __init__(self, model: StyleMelodyModel):
        weights = {name: tensor.detach().float().numpy() for name, tensor in model.state_dict().items()}
        self.layers = model.config.layers
        self.hidden = model.config.hidden
        first_layer = weights["rnn.weight_ih_l0"]  # (3H, features)
        self.input_tables, column = [], 0
        for name in _INPUTS:
            table = weights[f"{name}.weight"]  # (vocabulary, width)
            self.input_tables.append(table @ first_layer[:, column:column + table.shape[1]].T)  # (vocabulary, 3H)
            column += table.shape[1]
        # stored transposed (inputs x gates), so `x @ w` works for one note or several styles' rows at once
        self.gru = [(np.ascontiguousarray(weights[f"rnn.weight_ih_l{layer}"].T), weights[f"rnn.bias_ih_l{layer}"],
                     np.ascontiguousarray(weights[f"rnn.weight_hh_l{layer}"].T), weights[f"rnn.bias_hh_l{layer}"])
                    for layer in range(self.layers)]
        self.next = {name: weights[f"next_{name}.weight"] for name in ("delta", "position", "duration")}
        self.heads = {name: (np.ascontiguousarray(weights[f"{name}_head.0.weight"].T), weights[f"{name}_head.0.bias"],
                             np.ascontiguousarray(weights[f"{name}_head.2.weight"].T), weights[f"{name}_head.2.bias"])
                      for name in ("delta", "duration", "pitch")}

    def initial_state(self, styles: int | None = None) -> np.ndarray:
        """Zeros: (layers, H), or (layers, styles, H) to read as several styles at once."""
        return np.zeros((self.layers, self.hidden) if styles is None else (self.layers, styles, self.hidden), np.float32)

    def read(self, state: np.ndarray, pitch: int, duration: int, delta: int, position: int, bar_steps: int,
             style) -> tuple[np.ndarray, np.ndarray]:
        """Feed one note; returns (summary, new state).

        `style` is a style's index, with state (layers, H) and summary (H,); or B rows of the folded style
        table (or blends of them, `transfer/style_space.py`), with state (layers, B, H) and summary (B, H):
        the same note read as B styles at once, one matrix product instead of B."""
        indices = (pitch, duration, delta, position, bar_steps)
        style_row = self.input_tables[-1][style] if isinstance(style, (int, np.integer)) else style
        new_state = np.empty_like(state)
        x, size = None, self.hidden
        for layer, (w_ih, b_ih, w_hh, b_hh) in enumerate(self.gru):
            if layer == 0:
                gi = sum(table[index] for table, index in zip(self.input_tables, indices)) + style_row + b_ih
            else:
                gi = x @ w_ih + b_ih
            h = state[layer]
            gh = h @ w_hh + b_hh
            rz = _sigmoid(gi[..., :2 * size] + gh[..., :2 * size])  # reset and update gates together
            r, z = rz[..., :size], rz[..., size:]
            n = np.tanh(gi[..., 2 * size:] + r * gh[..., 2 * size:])
            x = new_state[layer] = (1.0 - z) * n + z * h
        return x, new_state

    def _head(self, name: str, query: np.ndarray) -> np.ndarray:
        w1, b1, w2, b2 = self.heads[name]
        return gelu(query @ w1 + b1) @ w2 + b2

    def delta_logits(self, summary: np.ndarray) -> np.ndarray:
        return self._head("delta", summary)

    def duration_logits(self, summary: np.ndarray, delta: int, position: int) -> np.ndarray:
        return self._head("duration", summary + self.next["delta"][delta] + self.next["position"][position])

    def pitch_logits(self, summary: np.ndarray, delta: int, position: int, duration: int) -> np.ndarray:
        query = summary + self.next["delta"][delta] + self.next["position"][position] + self.next["duration"][duration]
        return self._head("pitch", query)
