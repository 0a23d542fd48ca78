"""The phase embedding (where a token falls in a beat), sliding-window NLL, aligned windows, long themes."""

import math

import torch
from torch.nn import functional as F

from deepcomposer_edu import transformer_composer as tc
from deepcomposer_edu.music import Note, Song, TempoChange, TimeSignature, Track
from deepcomposer_edu.models.transformer import MusicTransformer, TransformerConfig, trim_caches

PHASED = TransformerConfig(vocab_size=40, context=32, n_layers=2, n_heads=2, width=16, dropout=0.0, period=4)
CHORALE = dict(vocabulary="chorale", styles=[], context=64, layers=1, heads=2, width=16, dropout=0.0, tempo=80.0,
               time_signature=[4, 4], style="chorale", period=16)


def test_the_phase_is_the_position_modulo_the_period():
    torch.manual_seed(0)
    model = MusicTransformer(PHASED).eval()
    with torch.no_grad():
        model.phase.weight.normal_()  # make the phases clearly different
    tokens = torch.randint(0, 40, (1, 10))
    at_zero, _ = model(tokens)
    assert torch.allclose(model(tokens, start=4)[0], at_zero, atol=1e-6)  # one whole period on: the same
    assert not torch.allclose(model(tokens, start=1)[0], at_zero, atol=1e-3)
    rows, _ = model(tokens.expand(2, -1), start=torch.tensor([0, 1]))  # one start per row
    assert torch.allclose(rows[0], at_zero[0], atol=1e-6)
    assert torch.allclose(rows[1], model(tokens, start=1)[0][0], atol=1e-6)


def test_the_cache_carries_the_position_through_sampling_and_trimming():
    torch.manual_seed(1)
    model = MusicTransformer(PHASED).eval()
    with torch.no_grad():
        model.phase.weight.normal_()
    tokens = torch.randint(0, 40, (1, 20))
    full, _ = model(tokens)
    logits, caches = model(tokens[:, :7])
    stepwise = [logits]
    for position in range(7, 20):
        caches = trim_caches(caches, 31)  # nothing is trimmed (20 < 31), but the position must survive
        logits, caches = model(tokens[:, position:position + 1], caches)
        stepwise.append(logits)
    assert caches.position == 20
    assert torch.allclose(torch.cat(stepwise, dim=1), full, atol=1e-5)


def test_sliding_windows_score_every_token_once_with_a_long_context():
    # 10 tokens, context 4, stride 2, worked by hand: the first window scores tokens 1-4; then windows
    # ending at token 6, 8 and 9 score 5-6, 7-8 and 9.
    assert tc.nll_windows(10, 4, 2) == [(0, 1), (2, 5), (4, 7), (5, 9)]
    for length, context, stride in [(100, 16, 3), (17, 16, 2), (5, 16, 2), (64, 8, 1)]:
        scored = []
        for start, first in tc.nll_windows(length, context, stride):
            end = min(start + context + 1, length)
            assert 0 <= start < first < end
            assert first == 1 or first - start >= context - stride  # enough music before every later token
            scored += range(first, end)
        assert scored == list(range(1, length))


def test_sequence_nll_equals_scoring_each_token_on_its_own_window():
    torch.manual_seed(2)
    model = tc.build_model({**CHORALE, "context": 16}).eval()
    sequence = torch.randint(0, 129, (45,)).tolist()
    expected = 0.0
    for start, first in tc.nll_windows(45, 16, 4):
        for target in range(first, min(start + 17, 45)):
            logits, _ = model(torch.tensor([sequence[start:target]]), start=start)
            expected += F.cross_entropy(logits[0, -1:], torch.tensor([sequence[target]])).item()
    total, count = tc.sequence_nll(model, sequence, stride=4)
    assert count == 44 and math.isclose(total, expected, rel_tol=1e-4)


def test_aligned_windows_start_at_a_multiple_of_the_period():
    vocabulary = tc.Vocabulary.chorale()
    sequence = list(range(1, 120))  # token i at position i - 1: the window's first token says where it began
    windows = iter(tc.RandomWindows([sequence], vocabulary, length=32, batch_size=50, max_shift=0, seed=3, align=16))
    firsts = {int(token) - 1 for token in next(windows)[:, 0]}
    assert firsts <= {0, 16, 32, 48, 64, 80} and len(firsts) > 2


def test_a_theme_longer_than_the_context_is_kept_and_continued_on_the_beat():
    torch.manual_seed(4)
    settings = CHORALE  # context 64 tokens: 16 steps, one bar of 4/4; the theme is 3 bars
    composer = tc.TransformerComposer(tc.model_tensors(tc.build_model(settings)), settings)
    voices = [[72, 74, 76, 77], [67, 67, 69, 69], [64, 65, 64, 62], [48, 47, 45, 43]]
    tracks = [Track([Note(p, float(beat), float(beat + 1)) for beat, p in enumerate(line * 3)]) for line in voices]
    theme = Song(tracks=tracks, tempos=[TempoChange(0.0, 80.0)], time_signatures=[TimeSignature(0.0, 4, 4)],
                 key="C major")
    continued = composer.continue_theme(theme, 6, seed=0)
    for before, after in zip(theme.tracks, continued.tracks):
        assert after.notes[:len(before.notes)] == before.notes
        assert all(note.start >= 12.0 for note in after.notes[len(before.notes):])
    assert len(composer.last_tokens) > 64 and continued.end_beat % 4 == 0
