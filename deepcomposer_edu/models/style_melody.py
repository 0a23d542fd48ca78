"""A style-conditioned melody model: one network that writes melodies in any of the course's styles.

Lesson: lessons/07_style_transfer.ipynb. Used by `deepcomposer_edu/transfer/` for style transfer.

It is a language model, like the transformer of lesson 04, but its "words" are whole notes. Each step
reads one note and predicts the next one in three small questions, each answer feeding the next:

1. *when* does the next note start?  `delta`: sixteenth-note steps after the previous onset;
2. *how long* does it last?           `duration`: in steps, knowing where in the bar it starts;
3. *which* pitch is it?              `pitch`: MIDI 0..127, knowing when it starts and how long it is.

Every step also reads a **style vector** (a learned embedding, one per style) and the bar: how many steps
the bar has and where the note falls in it. Change the style vector and the same network writes an Irish jig
instead of a chorale line: that is what makes one model enough for every pair of styles.

A recurrent network (a GRU) carries the melody so far in a fixed-size state, so writing the next note
costs the same at note 5 as at note 500: what lets style transfer keep up with a learner who is playing.
Style transfer itself (`transfer/transferer.py`) *steers* the pitch question towards the source melody's
contour; the network does not know the source.

Shapes: B batch, N notes, H hidden width. Tensors in, tensors out: no Songs, no files.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn
from torch.nn import functional as F

MAX_DELTA = 64  # steps between two onsets (16 beats at 4 steps per beat); longer rests are shortened
MAX_DURATION = 32  # steps a note lasts (8 beats); longer notes are shortened
MAX_BAR = 48  # steps in a bar (12 beats): every meter of the corpora fits
START_PITCH = 128  # the "no note yet" pitch read at the first step


@dataclass
class StyleMelodyConfig:
    styles: int = 16  # style vectors (the corpora's styles, then room for a learner's own)
    hidden: int = 192  # H
    layers: int = 2
    dropout: float = 0.1

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class NoteBatch:
    """Notes as parallel integer tensors, each (B, N). Padding is marked by `mask` (True = a real note)."""

    style: torch.Tensor  # (B,) style index
    pitch: torch.Tensor  # 0..127, START_PITCH for the start step
    duration: torch.Tensor  # 1..MAX_DURATION (0 at the start step)
    delta: torch.Tensor  # 0..MAX_DELTA
    position: torch.Tensor  # step of the onset inside its bar, 0..MAX_BAR-1
    bar_steps: torch.Tensor  # steps in the note's bar, 1..MAX_BAR
    mask: torch.Tensor  # bool

    def to(self, device) -> "NoteBatch":
        return NoteBatch(**{name: value.to(device) for name, value in vars(self).items()})


def _head(width: int, size: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(width, width), nn.GELU(), nn.Linear(width, size))


class StyleMelodyModel(nn.Module):
    """GRU over notes with a style vector; three chained heads predict the next note's delta, duration, pitch."""

    def __init__(self, config: StyleMelodyConfig):
        super().__init__()
        self.config = config
        hidden = config.hidden
        # What a step reads: the current note, where it is in its bar, and the style.
        self.pitch_in = nn.Embedding(START_PITCH + 1, 64)
        self.duration_in = nn.Embedding(MAX_DURATION + 1, 16)
        self.delta_in = nn.Embedding(MAX_DELTA + 1, 16)
        self.position_in = nn.Embedding(MAX_BAR, 16)
        self.bar_in = nn.Embedding(MAX_BAR + 1, 8)
        self.style = nn.Embedding(config.styles, 32)
        self.rnn = nn.GRU(64 + 16 + 16 + 16 + 8 + 32, hidden, config.layers, batch_first=True,
                          dropout=config.dropout if config.layers > 1 else 0.0)
        self.drop = nn.Dropout(config.dropout)
        # What the heads are told about the next note once part of it is chosen.
        self.next_delta = nn.Embedding(MAX_DELTA + 1, hidden)
        self.next_position = nn.Embedding(MAX_BAR, hidden)
        self.next_duration = nn.Embedding(MAX_DURATION + 1, hidden)
        self.delta_head = _head(hidden, MAX_DELTA + 1)
        self.duration_head = _head(hidden, MAX_DURATION + 1)
        self.pitch_head = _head(hidden, 128)

    def step_inputs(self, batch: NoteBatch) -> torch.Tensor:
        """(B, N, features): what the GRU reads at each note."""
        style = self.style(batch.style)[:, None, :].expand(-1, batch.pitch.shape[1], -1)
        return torch.cat([
            self.pitch_in(batch.pitch), self.duration_in(batch.duration), self.delta_in(batch.delta),
            self.position_in(batch.position), self.bar_in(batch.bar_steps), style,
        ], dim=-1)

    def run(self, batch: NoteBatch, state: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Read notes; returns the summaries after each one (B, N, H) and the GRU state (layers, B, H)."""
        summaries, state = self.rnn(self.step_inputs(batch), state)
        return self.drop(summaries), state

    # The three questions, asked in order. `summary` is (..., H); answers are integer tensors (...).
    def delta_logits(self, summary: torch.Tensor) -> torch.Tensor:
        return self.delta_head(summary)  # (..., MAX_DELTA + 1)

    # Indexing `.weight` (rather than calling the Embedding) also accepts plain ints: one note at a time is fast.
    def duration_logits(self, summary: torch.Tensor, delta, position) -> torch.Tensor:
        return self.duration_head(summary + self.next_delta.weight[delta] + self.next_position.weight[position])

    def pitch_logits(self, summary: torch.Tensor, delta, position, duration) -> torch.Tensor:
        query = summary + self.next_delta.weight[delta] + self.next_position.weight[position]
        return self.pitch_head(query + self.next_duration.weight[duration])  # (..., 128)

    def loss(self, batch: NoteBatch) -> dict[str, torch.Tensor]:
        """Mean cross-entropy (nats) of each question over the real notes, each note predicted from those before."""
        summaries, _ = self.run(batch)
        summary = summaries[:, :-1]  # (B, N-1, H): after note i, predict note i+1
        target = {name: getattr(batch, name)[:, 1:] for name in ("delta", "duration", "pitch", "position")}
        mask = batch.mask[:, 1:]
        logits = {
            "delta": self.delta_logits(summary),
            "duration": self.duration_logits(summary, target["delta"], target["position"]),
            "pitch": self.pitch_logits(summary, target["delta"], target["position"], target["duration"]),
        }
        losses = {name: F.cross_entropy(logits[name][mask], target[name][mask]) for name in logits}
        losses["total"] = losses["delta"] + losses["duration"] + losses["pitch"]
        return losses

    def add_style(self) -> int:
        """Grow the style table by one vector (a learner's new style), started at the mean of the others."""
        old = self.style.weight.data
        grown = nn.Embedding(old.shape[0] + 1, old.shape[1])
        grown.weight.data[:-1] = old
        grown.weight.data[-1] = old.mean(dim=0)
        self.style = grown
        self.config.styles += 1
        return old.shape[0]
