"""Lesson 04's checkers with right, wrong and untouched answers."""

import math

import torch

from deepcomposer_edu.checks.testing import assert_accepts, assert_not_attempted, assert_rejects


def attention(scale=True, mask=True, dim=-1):
    def weights(q, k):
        scores = q @ k.T / (math.sqrt(q.shape[-1]) if scale else 1.0)
        if mask:
            scores = scores.masked_fill(torch.ones(len(q), len(k), dtype=torch.bool).triu(1), float("-inf"))
        return torch.softmax(scores, dim=dim)

    return weights


def test_4_1_attention_weights():
    assert_accepts("4.1", attention())
    assert_rejects("4.1", attention(mask=False), message_contains="peek", hint_contains="mask")
    assert_rejects("4.1", attention(scale=False), message_contains="scale", hint_contains="sqrt")
    assert_rejects("4.1", lambda q, k: attention()(q, k)[:3], message_contains="shape")
    assert_rejects("4.1", lambda q, k: None, hint_contains="return")
    assert_not_attempted("4.1")


def nucleus(strict=False, by_id=False):
    def keep(probabilities, p):
        values, order = (probabilities, torch.arange(len(probabilities))) if by_id else torch.sort(probabilities, descending=True)
        kept, total = [], 0.0
        for value, token in zip(values.tolist(), order.tolist()):
            if (total > p - 1e-9) if strict else (total >= p - 1e-9):
                break
            kept.append(token)
            total += value
        if strict and total <= p + 1e-9 and len(kept) < len(values):
            kept.append(order.tolist()[len(kept)])
        return sorted(kept)

    return keep


def test_4_2_nucleus():
    assert_accepts("4.2", nucleus())
    assert_rejects("4.2", nucleus(strict=True), hint_contains=">=")
    assert_rejects("4.2", nucleus(by_id=True), hint_contains="sort")
    assert_rejects("4.2", lambda probabilities, p: "two tokens", message_contains="not a list")
    assert_not_attempted("4.2")
