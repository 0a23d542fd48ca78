"""An n-gram language model over token ids with interpolated Kneser-Ney smoothing: the honest baseline.

Lesson: lessons/04_transformers.ipynb (is the transformer better than counting?).

`models/markov.py` counts melody events; this model counts *the same token ids the transformer reads*, so
the two NLLs per token can be compared directly. It predicts a token from the `order - 1` tokens before
it, mixing in shorter histories (Chen & Goodman 1998, interpolated Kneser-Ney):

    P(w | h) = (max(c(h w) - D, 0) + D * types(h) * P(w | h')) / c(h)       h' = h without its oldest token

where c counts n-grams (for the longest order) or *continuations* (for shorter ones: in how many different
contexts h' w was seen, which is what matters once the longer history failed), types(h) is how many
different tokens followed h, and D = n1 / (n1 + 2 n2) from the number of n-grams seen once and twice (0.5 when none was seen once).
The shortest history is mixed with a uniform distribution, so no token ever has probability 0.

N-grams are stored as 64-bit hashes in sorted numpy arrays (a collision is about as likely as 1 in 10^8
for a million n-grams), so counting and scoring are a few vectorised passes, not a Python loop per token.
Every sequence is scored on its tokens after the first (the first is the start token), like the transformer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # an odd 64-bit constant: hashes mix well under wrap-around


def _hashes(sequences: list[list[int]], max_order: int) -> tuple[list[np.ndarray], np.ndarray]:
    """H[k][i]: hash of the k tokens ending at target i (k = 0..max_order), and the targets themselves.

    Each sequence is padded on the left with copies of its first token (the start token), so every target
    has a full history; targets are every token after the first.
    """
    padded = [np.concatenate([np.full(max_order - 1, s[0], dtype=np.int64), np.asarray(s, dtype=np.int64)])
              for s in sequences if len(s) >= 2]
    offsets = [max_order + np.arange(len(p) - max_order) for p in padded]  # target positions in each
    tokens = np.concatenate(padded).astype(np.uint64)
    base = np.cumsum([0] + [len(p) for p in padded[:-1]])
    targets = np.concatenate([b + o for b, o in zip(base, offsets)])
    hashes = [np.zeros(len(targets), dtype=np.uint64)]
    with np.errstate(over="ignore"):
        for k in range(1, max_order + 1):
            hashes.append(hashes[-1] * MULTIPLIER + tokens[targets - k + 1] + np.uint64(1))
    return hashes, tokens[targets].astype(np.int64)


def _lookup(keys: np.ndarray, values: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """values[keys == query] for each query (0 where the key is absent); `keys` sorted."""
    where = np.minimum(np.searchsorted(keys, queries), len(keys) - 1)
    return np.where(keys[where] == queries, values[where], 0) if len(keys) else np.zeros(len(queries))


@dataclass
class _Table:
    """The counts of one order: n-gram -> count, context -> (total, distinct followers), the discount."""

    grams: np.ndarray
    counts: np.ndarray
    contexts: np.ndarray
    totals: np.ndarray
    types: np.ndarray
    discount: float

    @classmethod
    def build(cls, gram_keys: np.ndarray, context_keys: np.ndarray, counts: np.ndarray) -> "_Table":
        n1, n2 = np.sum(counts == 1), np.sum(counts == 2)
        discount = float(n1 / (n1 + 2 * n2)) if n1 else 0.5  # D > 0: unseen tokens keep some probability
        contexts, inverse = np.unique(context_keys, return_inverse=True)
        totals = np.bincount(inverse, weights=counts)
        types = np.bincount(inverse)
        return cls(gram_keys, counts.astype(np.float64), contexts, totals, types.astype(np.float64), discount)


class NgramModel:
    """Interpolated Kneser-Ney n-gram over token ids 0..vocab_size-1."""

    def __init__(self, order: int, vocab_size: int, raw: list[_Table], continuation: list[_Table]):
        self.order, self.vocab_size = order, vocab_size
        self._raw, self._continuation = raw, continuation  # index k: tables of k-grams (index 0 unused)

    @classmethod
    def fit(cls, sequences: list[list[int]], order: int, vocab_size: int) -> "NgramModel":
        if order < 1:
            raise ValueError(f"an n-gram model has order 1 or more, got {order}")
        hashes, _ = _hashes(sequences, order)
        raw, continuation = [None], [None]
        for k in range(1, order + 1):
            grams, first, counts = np.unique(hashes[k], return_index=True, return_counts=True)
            raw.append(_Table.build(grams, hashes[k - 1][first], counts))
            if k < order:  # continuation count of a k-gram: how many distinct (k+1)-grams end with it
                longer, at = np.unique(hashes[k + 1], return_index=True)
                grams_c, first_c, counts_c = np.unique(hashes[k][at], return_index=True, return_counts=True)
                continuation.append(_Table.build(grams_c, hashes[k - 1][at][first_c], counts_c))
            else:
                continuation.append(None)
        return cls(order, vocab_size, raw, continuation)

    def with_order(self, order: int) -> "NgramModel":
        """The same counts used as a model of a lower order (no recounting)."""
        if not 1 <= order <= self.order:
            raise ValueError(f"order must be 1..{self.order}, got {order}")
        return NgramModel(order, self.vocab_size, self._raw[:order + 1], self._continuation[:order] + [None])

    def probabilities(self, sequences: list[list[int]]) -> np.ndarray:
        """P(token | history) of every token after the first of each sequence, in order."""
        hashes, _ = _hashes(sequences, self.order)
        probability = np.full(len(hashes[0]), 1.0 / self.vocab_size)
        for k in range(1, self.order + 1):
            table = self._raw[k] if k == self.order else self._continuation[k]
            count = _lookup(table.grams, table.counts, hashes[k])
            total = _lookup(table.contexts, table.totals, hashes[k - 1])
            types = _lookup(table.contexts, table.types, hashes[k - 1])
            seen = total > 0
            mixed = (np.maximum(count - table.discount, 0) + table.discount * types * probability) / np.where(seen, total, 1)
            probability = np.where(seen, mixed, probability)
        return probability

    def nll(self, sequences: list[list[int]]) -> float:
        """Mean negative log-likelihood per token, in nats."""
        return float(-np.mean(np.log(self.probabilities(sequences))))


def choose_order(train: list[list[int]], valid: list[list[int]], vocab_size: int, max_order: int = 10,
                 pad: int | None = None) -> int:
    """The order (1..max_order) whose model, counted on `train`, has the lowest NLL on `valid`."""
    del pad  # sequences hold no padding: they are whole pieces
    full = NgramModel.fit(train, max_order, vocab_size)
    scores = {order: full.with_order(order).nll(valid) for order in range(1, max_order + 1)}
    return min(scores, key=scores.__getitem__)
