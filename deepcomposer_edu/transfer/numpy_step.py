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
    """One note at a time through a trained `StyleMelodyModel`, in numpy. State: (layers, H) array."""

    def __init__(self, model: StyleMelodyModel):
        weights = {name: tensor.detach().double().numpy() for name, tensor in model.state_dict().items()}
        self.layers = model.config.layers
        self.hidden = model.config.hidden
        first_layer = weights["rnn.weight_ih_l0"]  # (3H, features)
        self.input_tables, column = [], 0
        for name in _INPUTS:
            table = weights[f"{name}.weight"]  # (vocabulary, width)
            self.input_tables.append(table @ first_layer[:, column:column + table.shape[1]].T)  # (vocabulary, 3H)
            column += table.shape[1]
        self.gru = [(weights[f"rnn.weight_ih_l{layer}"], weights[f"rnn.bias_ih_l{layer}"],
                     weights[f"rnn.weight_hh_l{layer}"], weights[f"rnn.bias_hh_l{layer}"]) for layer in range(self.layers)]
        self.next = {name: weights[f"next_{name}.weight"] for name in ("delta", "position", "duration")}
        self.heads = {name: tuple(weights[f"{name}_head.{part}"] for part in ("0.weight", "0.bias", "2.weight", "2.bias"))
                      for name in ("delta", "duration", "pitch")}

    def initial_state(self) -> np.ndarray:
        return np.zeros((self.layers, self.hidden))

    def read(self, state: np.ndarray, pitch: int, duration: int, delta: int, position: int, bar_steps: int,
             style: int | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Feed one note; returns (summary (H,), new state (layers, H)).

        `style` is a style's index, or a blend of styles' rows of the folded style table (`transfer/style_space.py`)."""
        indices = (pitch, duration, delta, position, bar_steps)
        style_row = self.input_tables[-1][style] if isinstance(style, (int, np.integer)) else style
        new_state = np.empty_like(state)
        x = None
        for layer, (w_ih, b_ih, w_hh, b_hh) in enumerate(self.gru):
            if layer == 0:
                gi = sum(table[index] for table, index in zip(self.input_tables, indices)) + style_row + b_ih
            else:
                gi = w_ih @ x + b_ih
            h = state[layer]
            gh = w_hh @ h + b_hh
            r_i, z_i, n_i = np.split(gi, 3)
            r_h, z_h, n_h = np.split(gh, 3)
            r, z = _sigmoid(r_i + r_h), _sigmoid(z_i + z_h)
            n = np.tanh(n_i + r * n_h)
            x = new_state[layer] = (1.0 - z) * n + z * h
        return x, new_state

    def _head(self, name: str, query: np.ndarray) -> np.ndarray:
        w1, b1, w2, b2 = self.heads[name]
        return w2 @ gelu(w1 @ query + b1) + b2

    def delta_logits(self, summary: np.ndarray) -> np.ndarray:
        return self._head("delta", summary)

    def duration_logits(self, summary: np.ndarray, delta: int, position: int) -> np.ndarray:
        return self._head("duration", summary + self.next["delta"][delta] + self.next["position"][position])

    def pitch_logits(self, summary: np.ndarray, delta: int, position: int, duration: int) -> np.ndarray:
        query = summary + self.next["delta"][delta] + self.next["position"][position] + self.next["duration"][duration]
        return self._head("pitch", query)
