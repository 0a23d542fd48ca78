"""Sampling tokens from a language model: temperature, top-k and top-p, one token at a time.

Lesson: lessons/04_transformers.ipynb.

A model gives, for the next token, a score (logit) per vocabulary entry. Sampling turns scores into a choice:
- **temperature** divides the scores: below 1 the likely tokens become likelier (safer, more repetitive
  music), above 1 the distribution flattens (more surprising, more mistakes);
- **top-k** keeps only the k best-scoring tokens;
- **top-p** (nucleus) keeps the smallest set of best tokens whose probabilities add up to p;
- an optional **mask** forbids tokens that would break the grammar of the encoding (a pitch where a bar
  line must come, say), supplied by whoever knows the encoding.

Sampling uses its own `torch.Generator`, so the same seed gives the same tokens whatever else the program
has drawn from torch's global random state. On the CPU it runs on one thread: a step works on one token,
and for operations that small, waking a second thread costs more than it saves (ten times more on a busy
machine).
"""

from __future__ import annotations

from contextlib import contextmanager, nullcontext
from typing import Callable

import torch

from .models.transformer import MusicTransformer, trim_caches


def filter_logits(logits: torch.Tensor, top_k: int | None = None, top_p: float | None = None) -> torch.Tensor:
    """Set every token outside the top-k / top-p set to -inf. `logits` is (V,) or (B, V)."""
    logits = logits.clone()
    if top_k is not None and 0 < top_k < logits.shape[-1]:
        kth_best = torch.topk(logits, top_k, dim=-1).values[..., -1:]
        logits[logits < kth_best] = float("-inf")
    if top_p is not None and 0 < top_p < 1:
        sorted_logits, order = torch.sort(logits, descending=True, dim=-1)
        cumulative = torch.softmax(sorted_logits, dim=-1).cumsum(dim=-1)
        outside = cumulative - torch.softmax(sorted_logits, dim=-1) >= top_p  # the best token always stays
        sorted_logits[outside] = float("-inf")
        logits = torch.full_like(logits, float("-inf")).scatter(-1, order, sorted_logits)
    return logits


@contextmanager
def _one_thread():
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


@torch.no_grad()
def sample_tokens(
    model: MusicTransformer,
    prompt: list[int],
    max_new_tokens: int,
    seed: int = 0,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    allowed: Callable[[list[int]], torch.Tensor | None] | None = None,
    stop: Callable[[list[int]], bool] | None = None,
) -> list[int]:
    """Continue `prompt` by up to `max_new_tokens` tokens; returns prompt + new tokens.

    `allowed(tokens)` may return a boolean mask (V,) of tokens allowed next (a token it leaves alone is
    taken without asking the model, and fed to it with the next tokens in one call); `stop(tokens)` ends
    sampling early when it returns True. Past the model's context, the key/value cache slides (see `trim_caches`).
    """
    if not prompt:
        raise ValueError("sampling needs a prompt of at least one token (e.g. a start token)")
    if temperature <= 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    model.eval()
    generator = torch.Generator(device="cpu").manual_seed(seed)
    with _one_thread() if next(model.parameters()).device.type == "cpu" else nullcontext():
        return _sample(model, prompt, max_new_tokens, generator, temperature, top_k, top_p, allowed, stop)


def _sample(model, prompt, max_new_tokens, generator, temperature, top_k, top_p, allowed, stop) -> list[int]:
    device = next(model.parameters()).device
    context = model.config.context
    tokens = list(prompt)
    logits, caches = model(torch.tensor([tokens[-context:]], device=device))
    fed = len(tokens)  # tokens[:fed] are in the cache; later ones were forced by `allowed` and wait to be fed
    for _ in range(max_new_tokens):
        mask = allowed(tokens) if allowed is not None else None
        if mask is not None and int(mask.sum()) == 1:
            token = int(mask.nonzero()[0])  # the grammar leaves one choice: no need to ask the model
        else:
            if fed < len(tokens):  # feed the forced tokens in one call
                waiting = tokens[fed:]
                caches = trim_caches(caches, context - len(waiting))
                logits, caches = model(torch.tensor([waiting], device=device), caches)
                fed = len(tokens)
            next_logits = logits[0, -1].float().cpu() / temperature
            if mask is not None:
                if not mask.any():
                    raise ValueError(f"`allowed` left no token possible after {len(tokens)} tokens")
                next_logits = next_logits.masked_fill(~mask, float("-inf"))
            probabilities = torch.softmax(filter_logits(next_logits, top_k, top_p), dim=-1)
            token = int(torch.multinomial(probabilities, 1, generator=generator))
        tokens.append(token)
        if stop is not None and stop(tokens):
            break
        if fed == len(tokens) - 1 and (mask is None or int(mask.sum()) != 1):
            caches = trim_caches(caches, context - 1)
            logits, caches = model(torch.tensor([[token]], device=device), caches)
            fed = len(tokens)
    return tokens
