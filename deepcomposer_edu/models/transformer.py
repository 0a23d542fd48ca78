"""A small Music Transformer: a decoder-only transformer with relative position attention.

Lesson: lessons/04_transformers.ipynb (and lessons/06_transfer_learning.ipynb for fine-tuning).

It reads music as a sequence of tokens (see `deepcomposer_edu.music.tokens`) and learns to predict the
next token. Generation then samples one token at a time (`deepcomposer_edu.sample`).

The parts, in the order a reader needs them:
- `RelativeSelfAttention`: attention whose scores depend on *how far apart* two tokens are, not on where
  they are. Music repeats at fixed distances (a bar, a phrase), so relative positions suit it, and a model
  with no absolute positions can keep generating past the length it was trained on. The relative scores
  are computed with Music Transformer's "skewing" trick (Huang et al. 2018), which needs memory linear in
  the sequence length for the position embeddings instead of the L x L x D tensor of Shaw et al.
- `Block`: pre-norm attention and MLP, each added back to its input (residual).
- `MusicTransformer`: token embedding, blocks, final norm, and an output layer that shares its weights
  with the embedding (weight tying: fewer parameters, and it helps small models).
- An optional *phase* embedding: where a token falls in a fixed cycle (`period` tokens). In the chorale
  encoding 16 tokens are one beat (4 sixteenth-note steps of S, A, T, B), so the phase says which voice
  and which sixteenth of the beat a token is. Relative attention alone must guess that from the music
  (chords change on beats, almost never on odd sixteenths); told it, a small model learns much faster.
- A key/value cache: while sampling, each new token attends to the stored keys and values of the tokens
  before it instead of recomputing them, so generating N tokens costs O(N) steps, not O(N^2).

Tensors in, tensors out: no files, no MIDI. Shapes in comments use B batch, T tokens, H heads,
D head size, C model width, V vocabulary size.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
from torch import nn
from torch.nn import functional as F


@dataclass
class TransformerConfig:
    vocab_size: int
    context: int = 512  # longest sequence attended to; also the farthest relative distance learned
    n_layers: int = 4
    n_heads: int = 4
    width: int = 256  # C
    dropout: float = 0.1
    period: int = 0  # > 0: add a learned embedding of (position mod period); 0: relative positions only

    def to_dict(self) -> dict:
        return asdict(self)


def skew(relative_logits: torch.Tensor) -> torch.Tensor:
    """Turn per-distance scores into per-key scores, as in Music Transformer.

    In: (B, H, T, T) where column r holds query i's score for relative distance r - (T - 1), i.e. from
    -(T-1) (farthest back) to 0 (itself). Out: (B, H, T, T) where entry [i, j] is query i's score for key j,
    distance j - i. Entries with j > i (the future) are left as garbage: the causal mask removes them.
    Pad one column on the left, fold the rows differently, drop the first row: no gather, no L x L x D.
    """
    batch, heads, length, _ = relative_logits.shape
    padded = F.pad(relative_logits, (1, 0))  # (B, H, T, T+1)
    folded = padded.reshape(batch, heads, length + 1, length)  # (B, H, T+1, T)
    return folded[:, :, 1:, :]  # (B, H, T, T)


class RelativeSelfAttention(nn.Module):
    """Causal multi-head self-attention with learned relative position embeddings (one per distance)."""

    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.n_heads = config.n_heads
        self.head_size = config.width // config.n_heads
        self.qkv = nn.Linear(config.width, 3 * config.width)
        self.out = nn.Linear(config.width, config.width)
        # Row k embeds relative distance k - (context - 1): from -(context-1) up to 0, shared by all heads.
        self.relative = nn.Parameter(torch.randn(config.context, self.head_size) * 0.02)
        self.dropout = nn.Dropout(config.dropout)
        self.last_weights: torch.Tensor | None = None  # kept for plotting when `keep_weights` is set
        self.keep_weights = False

    def forward(self, x: torch.Tensor, cache: tuple[torch.Tensor, torch.Tensor] | None = None):
        batch, length, width = x.shape  # (B, T, C)
        q, k, v = self.qkv(x).split(width, dim=2)
        q, k, v = (t.view(batch, length, self.n_heads, self.head_size).transpose(1, 2) for t in (q, k, v))  # (B, H, T, D)
        if cache is not None:
            k = torch.cat([cache[0], k], dim=2)  # (B, H, past+T, D)
            v = torch.cat([cache[1], v], dim=2)
        keys = k.shape[2]
        if keys > self.relative.shape[0]:
            raise ValueError(f"attention over {keys} tokens exceeds the context of {self.relative.shape[0]}")

        content = q @ k.transpose(-2, -1)  # (B, H, T, keys)
        if cache is None:  # training, or the first call with a prompt: T == keys
            position = skew(q @ self.relative[-length:].T)  # (B, H, T, T)
            future = torch.ones(length, length, dtype=torch.bool, device=x.device).triu(1)
        else:  # one or a few new tokens at the end: distances -(keys-1) .. 0 for the last query
            distances = self.relative[-keys:]  # (keys, D)
            position = torch.stack(
                [q[:, :, i] @ _shifted(distances, length - 1 - i).T for i in range(length)], dim=2
            )  # (B, H, T, keys)
            past = keys - length
            future = torch.ones(length, keys, dtype=torch.bool, device=x.device).triu(past + 1)
        scores = (content + position) / math.sqrt(self.head_size)
        weights = F.softmax(scores.masked_fill(future, float("-inf")), dim=-1)
        if self.keep_weights:
            self.last_weights = weights.detach()
        y = self.dropout(weights) @ v  # (B, H, T, D)
        y = y.transpose(1, 2).reshape(batch, length, width)  # (B, T, C)
        return self.out(y), (k, v)


def _shifted(distances: torch.Tensor, shift: int) -> torch.Tensor:
    """Embeddings as seen by a query `shift` tokens before the last: key j is then `shift` closer."""
    if shift == 0:
        return distances
    # Distances for this query run one row further back per step; the rows that fall off are future keys.
    return torch.cat([distances[shift:], distances[-1:].expand(shift, -1)], dim=0)


class Block(nn.Module):
    """x + attention(norm(x)), then x + mlp(norm(x)): the pre-norm transformer block."""

    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.norm1 = nn.LayerNorm(config.width)
        self.attention = RelativeSelfAttention(config)
        self.norm2 = nn.LayerNorm(config.width)
        self.mlp = nn.Sequential(
            nn.Linear(config.width, 4 * config.width),
            nn.GELU(),
            nn.Linear(4 * config.width, config.width),
            nn.Dropout(config.dropout),
        )

    def forward(self, x: torch.Tensor, cache=None):
        attended, new_cache = self.attention(self.norm1(x), cache)
        x = x + attended
        x = x + self.mlp(self.norm2(x))
        return x, new_cache


class Caches(list):
    """One (keys, values) pair per layer, and `position`: how many tokens came before the next one."""

    def __init__(self, layers, position: int):
        super().__init__(layers)
        self.position = position


class MusicTransformer(nn.Module):
    """Tokens (B, T) -> next-token logits (B, T, V), with an optional key/value cache per layer."""

    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.width)
        self.phase = nn.Embedding(config.period, config.width) if config.period else None
        self.dropout = nn.Dropout(config.dropout)
        self.blocks = nn.ModuleList(Block(config) for _ in range(config.n_layers))
        self.norm = nn.LayerNorm(config.width)
        self.head = nn.Linear(config.width, config.vocab_size, bias=False)
        self.head.weight = self.embed.weight  # weight tying
        self.apply(self._init)

    @staticmethod
    def _init(module: nn.Module) -> None:
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def forward(self, tokens: torch.Tensor, caches: list | None = None, start: int | torch.Tensor | None = None):
        """`start`: the position of tokens[:, 0] in its piece (an int, or one per row (B,)), used only by
        the phase embedding; by default the cache's position, or 0 without a cache."""
        x = self.embed(tokens)  # (B, T, C)
        if start is None:
            start = getattr(caches, "position", None) or 0
        if self.phase is not None:
            offsets = torch.as_tensor(start, device=tokens.device).reshape(-1, 1)  # (B or 1, 1)
            positions = offsets + torch.arange(tokens.shape[1], device=tokens.device)  # (B or 1, T)
            x = x + self.phase(positions % self.config.period)
        x = self.dropout(x)
        new_caches = []
        for index, block in enumerate(self.blocks):
            x, cache = block(x, None if caches is None else caches[index])
            new_caches.append(cache)
        after = start + tokens.shape[1] if isinstance(start, int) else None
        return self.head(self.norm(x)), Caches(new_caches, after)  # (B, T, V)

    def loss(self, tokens: torch.Tensor, pad_id: int | None = None) -> torch.Tensor:
        """Mean cross-entropy (nats per token) of predicting tokens[:, 1:] from tokens[:, :-1]."""
        logits, _ = self(tokens[:, :-1])
        targets = tokens[:, 1:]
        return F.cross_entropy(
            logits.reshape(-1, logits.shape[-1]),
            targets.reshape(-1),
            ignore_index=-100 if pad_id is None else pad_id,
        )


def trim_caches(caches: list, keep: int) -> list:
    """Keep only the last `keep` positions of every layer's keys and values (a sliding window).

    In a one-layer model this is exactly attending to the last `keep` tokens. With more layers, the keys
    kept were computed while older tokens were still visible, so they carry a little memory of what has
    left the window (as in Transformer-XL): generation can run past the context without recomputing.
    """
    return Caches([(k[:, :, -keep:], v[:, :, -keep:]) for k, v in caches], getattr(caches, "position", None))
