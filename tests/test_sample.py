"""Token sampling (deepcomposer_edu/sample.py): filters, seeds, masks, stopping and long generation."""

import math

import pytest
import torch

from deepcomposer_edu.models.transformer import MusicTransformer, TransformerConfig
from deepcomposer_edu.sample import filter_logits, sample_tokens


def test_top_k_keeps_the_k_best():
    logits = torch.tensor([0.1, 3.0, 2.0, -1.0, 2.5])
    kept = torch.isfinite(filter_logits(logits, top_k=2))
    assert kept.tolist() == [False, True, False, False, True]


def test_top_p_keeps_the_smallest_set_reaching_p():
    probabilities = torch.tensor([0.2, 0.5, 0.3])
    logits = probabilities.log()
    # sorted: 0.5, 0.3, 0.2 -> 0.5 < 0.7, 0.5 + 0.3 >= 0.7: keep the first two
    assert torch.isfinite(filter_logits(logits, top_p=0.7)).tolist() == [False, True, True]
    assert torch.isfinite(filter_logits(logits, top_p=0.4)).tolist() == [False, True, False]
    kept = torch.softmax(filter_logits(logits, top_p=0.7), dim=-1)
    assert kept[1].item() == pytest.approx(0.5 / 0.8)


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    return MusicTransformer(TransformerConfig(vocab_size=12, context=16, n_layers=1, n_heads=2, width=16, dropout=0))


def test_same_seed_same_tokens_whatever_the_global_random_state(model):
    first = sample_tokens(model, [0], 20, seed=5)
    torch.rand(100)  # disturb torch's global generator
    assert sample_tokens(model, [0], 20, seed=5) == first
    assert sample_tokens(model, [0], 20, seed=6) != first


def test_the_allowed_mask_is_obeyed_and_stop_ends_early(model):
    only_even = torch.tensor([i % 2 == 0 for i in range(12)])
    tokens = sample_tokens(model, [0], 30, seed=1, allowed=lambda _: only_even, stop=lambda t: t[-1] == 4)
    assert all(t % 2 == 0 for t in tokens)
    assert tokens[-1] == 4 or len(tokens) == 31
    assert 4 not in tokens[1:-1]


def test_generation_runs_far_past_the_context(model):
    tokens = sample_tokens(model, [1, 2, 3], 100, seed=2, temperature=0.9, top_k=8, top_p=0.95)
    assert len(tokens) == 103 and tokens[:3] == [1, 2, 3]
    assert all(0 <= t < 12 for t in tokens)


def test_bad_settings_are_refused(model):
    with pytest.raises(ValueError):
        sample_tokens(model, [], 5)
    with pytest.raises(ValueError):
        sample_tokens(model, [0], 5, temperature=0)
    assert math.isinf(filter_logits(torch.tensor([1.0, 0.0]), top_k=1)[1].item())
