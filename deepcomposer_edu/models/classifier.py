"""A style classifier over one melody line: a small 1-D CNN over its notes, pooled, then one linear layer.

Lesson: lessons/07_style_transfer.ipynb (style as something you can measure).

Each note arrives as a handful of small whole numbers (its pitch, the interval from the note before, its
scale degree, its duration and inter-onset interval on a log scale, where it starts within the beat and
within 2, 3 and 4 beats) plus one real number (its height above or below the melody's mean pitch).
`deepcomposer_edu/transfer/classify.py` computes them from a `Melody`; this file knows only tensors.

    notes (batch, length, features) --embeddings, summed--> (batch, length, width)
        --4 residual dilated convolutions along the notes--> (batch, length, width)
        --mean and max over the real notes (padding masked out)--> (batch, 2 * width)
        --linear--> (batch, styles) logits

The dilations 1, 2, 4, 8 with kernel 3 let each position see 31 neighbouring notes, several bars.
Padding is zeroed after every layer, so a melody scores the same alone or padded inside a batch.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import torch
from torch import nn

# How many values each whole-number note feature can take, in the order classify.py writes them.
FEATURE_SIZES = {
    "pitch": 88,  # MIDI 21..108 (a piano's range), shifted to 0..87
    "interval": 41,  # 0 = first note; else semitones from the note before, clipped to -19..+19, plus 21
    "degree": 24,  # pitch class above the estimated tonic, + 12 when the key is minor
    "duration": 23,  # 0 unused; else 1 + round(3 * log2(duration in twelfths of a beat)), up to 8 beats
    "ioi": 23,  # 0 = first note; else the same scale for the time since the previous onset
    "in_beat": 12,  # onset within the beat, in twelfths of a beat (sixteenths and triplets both land)
    "in_2_beats": 4,  # onset within 2 beats, in half beats
    "in_3_beats": 6,  # onset within 3 beats, in half beats (a 6/8 bar, a 3/4 bar)
    "in_4_beats": 8,  # onset within 4 beats, in half beats
}


@dataclass
class ClassifierConfig:
    """The shape of the network; saved on the model card so the same network can be rebuilt."""

    styles: list[str] = field(default_factory=list)
    width: int = 64
    kernel: int = 3
    dilations: tuple[int, ...] = (1, 2, 4, 8)
    dropout: float = 0.2

    def to_dict(self) -> dict:
        return {**asdict(self), "dilations": list(self.dilations)}

    @classmethod
    def from_dict(cls, values: dict) -> "ClassifierConfig":
        return cls(**{**values, "dilations": tuple(values["dilations"])})


class ResidualConv(nn.Module):
    """x + conv(relu(norm(x))) along the notes, padded positions kept at zero."""

    def __init__(self, width: int, kernel: int, dilation: int, dropout: float):
        super().__init__()
        self.norm = nn.LayerNorm(width)
        self.conv = nn.Conv1d(width, width, kernel, dilation=dilation, padding=dilation * (kernel - 1) // 2)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        # x: (batch, length, width); mask: (batch, length, 1), 1.0 on real notes
        h = torch.relu(self.norm(x)) * mask
        h = self.conv(h.transpose(1, 2)).transpose(1, 2)  # Conv1d wants (batch, width, length)
        return (x + self.dropout(h)) * mask


class StyleCNN(nn.Module):
    """Notes in, one logit per style out."""

    def __init__(self, config: ClassifierConfig):
        super().__init__()
        self.config = config
        self.embeddings = nn.ModuleDict({name: nn.Embedding(size, config.width) for name, size in FEATURE_SIZES.items()})
        self.contour = nn.Linear(1, config.width)
        self.blocks = nn.ModuleList(
            ResidualConv(config.width, config.kernel, dilation, config.dropout) for dilation in config.dilations
        )
        self.norm = nn.LayerNorm(config.width)
        self.head = nn.Linear(2 * config.width, len(config.styles))

    def pooled(self, features: torch.Tensor, contour: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """(batch, 2 * width): mean and max over the real notes of each melody."""
        # features: (batch, length, 9) long; contour: (batch, length) float; mask: (batch, length) bool
        x = self.contour(contour.unsqueeze(-1))  # (batch, length, width)
        for index, embedding in enumerate(self.embeddings.values()):
            x = x + embedding(features[..., index])
        weights = mask.unsqueeze(-1).to(x.dtype)  # (batch, length, 1)
        x = x * weights
        for block in self.blocks:
            x = block(x, weights)
        x = self.norm(x)
        count = weights.sum(dim=1).clamp(min=1.0)  # (batch, 1)
        mean = (x * weights).sum(dim=1) / count  # (batch, width)
        largest = x.masked_fill(weights == 0, float("-inf")).amax(dim=1)  # (batch, width)
        return torch.cat([mean, largest], dim=-1)

    def forward(self, features: torch.Tensor, contour: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.head(self.pooled(features, contour, mask))  # (batch, styles)

    def with_extra_style(self, name: str) -> "StyleCNN":
        """A copy that knows one more style: the same weights, one new (zero) row in the last layer."""
        config = ClassifierConfig(**{**asdict(self.config), "styles": [*self.config.styles, name]})
        grown = StyleCNN(config)
        state = self.state_dict()
        old_rows = len(self.config.styles)
        with torch.no_grad():
            grown.head.weight.zero_()
            grown.head.bias.zero_()
            grown.head.weight[:old_rows] = state.pop("head.weight")
            grown.head.bias[:old_rows] = state.pop("head.bias")
        grown.load_state_dict(state, strict=False)
        return grown
