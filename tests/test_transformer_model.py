"""The Music Transformer's attention, skewing and cache (deepcomposer_edu/models/transformer.py)."""

import torch

from deepcomposer_edu.models.transformer import MusicTransformer, TransformerConfig, skew, trim_caches

CONFIG = TransformerConfig(vocab_size=40, context=32, n_layers=2, n_heads=2, width=16, dropout=0.0)


def test_skew_puts_each_distance_under_its_key():
    length = 5
    # Column r of the input holds the score for distance r - (length - 1); make each score equal its distance.
    by_distance = torch.arange(length, dtype=torch.float) - (length - 1)
    relative_logits = by_distance.expand(1, 1, length, length)
    skewed = skew(relative_logits)[0, 0]
    for i in range(length):
        for j in range(i + 1):
            assert skewed[i, j] == j - i


def test_weights_are_tied_and_outputs_are_causal():
    torch.manual_seed(0)
    model = MusicTransformer(CONFIG).eval()
    assert model.head.weight is model.embed.weight
    tokens = torch.randint(0, 40, (1, 12))
    changed = tokens.clone()
    changed[0, 8:] = (changed[0, 8:] + 1) % 40
    first, _ = model(tokens)
    second, _ = model(changed)
    assert torch.allclose(first[0, :8], second[0, :8], atol=1e-6)  # the future does not leak back
    assert not torch.allclose(first[0, 8:], second[0, 8:])


def test_cached_generation_matches_the_full_forward_pass():
    torch.manual_seed(1)
    model = MusicTransformer(CONFIG).eval()
    tokens = torch.randint(0, 40, (2, 20))
    full, _ = model(tokens)
    logits, caches = model(tokens[:, :6])  # prime with a prompt
    stepwise = [logits]
    for position in range(6, 20):
        logits, caches = model(tokens[:, position : position + 1], caches)
        stepwise.append(logits)
    assert torch.allclose(torch.cat(stepwise, dim=1), full, atol=1e-5)


def test_a_sliding_window_equals_attending_to_the_last_context_tokens():
    # With one layer each cached key depends on its own token only, so trimming the cache is exactly a fresh
    # window. (With more layers cached keys also remember tokens that have left the window, as in
    # Transformer-XL: generation still works, but is not equal to a fresh window.)
    torch.manual_seed(2)
    model = MusicTransformer(TransformerConfig(**{**CONFIG.to_dict(), "n_layers": 1})).eval()
    tokens = torch.randint(0, 40, (1, 40))
    _, caches = model(tokens[:, 8:39])  # the 31 tokens before the last, a fresh window
    windowed, _ = model(tokens[:, 39:40], caches)
    _, long_caches = model(tokens[:, :20])
    for position in range(20, 39):
        _, long_caches = model(tokens[:, position : position + 1], trim_caches(long_caches, 31))
    slid, _ = model(tokens[:, 39:40], trim_caches(long_caches, 31))
    assert torch.allclose(windowed, slid, atol=1e-5)


def test_training_lowers_the_loss_on_a_repeating_pattern():
    torch.manual_seed(3)
    model = MusicTransformer(CONFIG)
    pattern = torch.tensor([[1, 5, 9, 5] * 8])
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    start = model.loss(pattern).item()
    for _ in range(150):
        loss = model.loss(pattern)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert loss.item() < 0.1 * start
