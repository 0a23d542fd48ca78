"""Checkers for lesson 04 (lessons/04_transformers.ipynb): causal attention weights, and nucleus (top-p) sampling.

Exercise 4.1: `attention_weights(q, k)`: for queries and keys of shape (T, D), the (T, T) matrix of causal
scaled dot-product attention weights: softmax over keys of q·k / sqrt(D), with every future key masked out.
Exercise 4.2: `nucleus(probabilities, p)`: the token ids (sorted) of the smallest set of most likely tokens
whose probabilities add up to at least p, the set top-p sampling draws from.
"""

from __future__ import annotations

import math

import torch

from .framework import Wrong, exercise

ATTENTION_HINT = "scores = q @ k.T / sqrt(D); set scores[i, j] = -inf where j > i; softmax over the last dimension"


def _reference_attention(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    length, size = q.shape
    scores = q @ k.T / math.sqrt(size)
    future = torch.ones(length, length, dtype=torch.bool).triu(1)
    return torch.softmax(scores.masked_fill(future, float("-inf")), dim=-1)


def _as_tensor(got, shape) -> torch.Tensor:
    if got is None:
        raise Wrong("your function returned None", hint="end it with `return` and the (T, T) matrix of weights")
    if not isinstance(got, torch.Tensor):
        raise Wrong(f"your function returned a {type(got).__name__}, not a torch tensor", hint=ATTENTION_HINT)
    if tuple(got.shape) != shape:
        raise Wrong(f"for T = {shape[0]} the weights should have shape {shape}, yours have {tuple(got.shape)}",
                    hint="one row per query, one column per key: q @ k.T")
    return got.float()


@exercise("4.1")
def attention_weights(answer) -> str:
    generator = torch.Generator().manual_seed(4)
    q, k = torch.randn(6, 8, generator=generator), torch.randn(6, 8, generator=generator)
    got = _as_tensor(answer(q.clone(), k.clone()), (6, 6))
    if torch.any(got.triu(1).abs() > 1e-6):
        raise Wrong("a query gives weight to keys after it: the model could peek at the notes it must predict",
                    hint="mask the future before the softmax: scores.masked_fill(mask, float('-inf')) with "
                         "mask = torch.ones(T, T, dtype=torch.bool).triu(1)")
    if not torch.allclose(got.sum(dim=-1), torch.ones(6), atol=1e-4):
        raise Wrong("each query's weights should add up to 1 (they share out its attention)",
                    hint="softmax over the keys: dim=-1 (the last dimension)")
    expected = _reference_attention(q, k)
    unscaled = torch.softmax((q @ k.T).masked_fill(torch.ones(6, 6, dtype=torch.bool).triu(1), float("-inf")), dim=-1)
    if torch.allclose(got, unscaled, atol=1e-4):
        raise Wrong("the weights are right except for the scale: without dividing by sqrt(D) the softmax becomes "
                    "too peaked as D grows", hint="divide the scores by math.sqrt(D), D = q.shape[-1]")
    if not torch.allclose(got, expected, atol=1e-4):
        raise Wrong("the weights differ from softmax(q k^T / sqrt(D)) with the future masked", hint=ATTENTION_HINT)
    return "each note now looks back at the notes before it, never ahead: that is what lets the model generate."


@exercise("4.2")
def nucleus(answer) -> str:
    # Hand-worked: sorted 0.5 (id 2), 0.3 (id 0), 0.15 (id 3), 0.05 (id 1).
    probabilities = torch.tensor([0.3, 0.05, 0.5, 0.15])
    cases = [(0.5, [2]), (0.6, [0, 2]), (0.8, [0, 2]), (0.9, [0, 2, 3]), (1.0, [0, 1, 2, 3])]
    for p, expected in cases:
        got = answer(probabilities.clone(), p)
        if got is None:
            raise Wrong("your function returned None", hint="return a sorted list of token ids")
        try:
            got = sorted(int(token) for token in got)
        except (TypeError, ValueError):
            raise Wrong(f"your function returned {got!r}, not a list of token ids", hint="return a sorted list of ints") from None
        if got != expected:
            reached = math.isclose(float(probabilities[expected].sum()), p, abs_tol=1e-6)
            if reached and len(got) == len(expected) + 1 and set(expected) <= set(got):
                raise Wrong(f"with p = {p} the tokens {expected} already add up to exactly {p}: one more is not needed",
                            hint="stop as soon as the running total reaches p (>=, not >)")
            by_id = next(n for n in range(1, 5) if float(probabilities[:n].sum()) >= p - 1e-6)
            if got == list(range(by_id)) and got != expected:
                raise Wrong(f"with p = {p} you kept the first tokens by id, not the most likely ones",
                            hint="sort the probabilities from largest to smallest first (torch.sort(..., descending=True))")
            raise Wrong(f"with probabilities {probabilities.tolist()} and p = {p} the nucleus is {expected}, yours is {got}",
                        hint="take tokens from most to least likely, adding their probabilities, until the total reaches p")
    return "top-p keeps a few tokens when the model is sure and many when it is not: the tail of unlikely tokens is cut."
