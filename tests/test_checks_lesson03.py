"""Lesson 03's checkers (deepcomposer_edu/checks/lesson03.py) with right, wrong and untouched answers."""

import torch

from deepcomposer_edu.checks.testing import assert_accepts, assert_not_attempted, assert_rejects
from deepcomposer_edu.models.gan import binarize


def test_3_1_critic_loss():
    assert_accepts("3.1", lambda real, fake: fake.mean() - real.mean())
    assert_accepts("3.1", lambda real, fake: -(real.mean() - fake.mean()))
    assert_rejects("3.1", lambda real, fake: real.mean() - fake.mean(), message_contains="sign")
    assert_rejects("3.1", lambda real, fake: fake.sum() - real.sum(), hint_contains=".mean()")
    assert_rejects("3.1", lambda real, fake: torch.log(torch.sigmoid(fake)).mean() - torch.log(torch.sigmoid(real)).mean(),
                   hint_contains="no sigmoid")
    assert_rejects("3.1", lambda real, fake: torch.tensor((fake.mean() - real.mean()).item()), message_contains="differentiated")
    assert_rejects("3.1", lambda real, fake: (fake.mean() - real.mean()).item(), hint_contains=".mean()")
    assert_rejects("3.1", lambda real, fake: None, hint_contains="return")
    assert_not_attempted("3.1")


def by_loops(probabilities, threshold):
    """A learner's answer written with loops, no library help."""
    roll = torch.zeros_like(probabilities)
    for voice in range(probabilities.shape[0]):
        for step in range(probabilities.shape[1]):
            best = int(probabilities[voice, step].argmax())
            if probabilities[voice, step, best] > threshold:
                roll[voice, step, best] = 1
    return roll


def test_3_2_one_note_per_voice():
    assert_accepts("3.2", by_loops)
    assert_accepts("3.2", lambda p, t: binarize(p[None], t, one_note_per_track=True)[0])
    assert_accepts("3.2", lambda p, t: by_loops(p, t).numpy())
    assert_rejects("3.2", lambda p, t: (p > t).float(), hint_contains="most likely")
    assert_rejects("3.2", lambda p, t: torch.zeros_like(p).scatter_(-1, p.argmax(-1, keepdim=True), 1.0),
                   hint_contains="threshold")
    assert_rejects("3.2", lambda p, t: by_loops(p, 0.5), hint_contains="threshold` argument")
    assert_rejects("3.2", lambda p, t: torch.zeros_like(p).scatter_(1, p.argmax(1, keepdim=True), 1.0) * (p > t),
                   hint_contains="pitch")
    assert_rejects("3.2", lambda p, t: by_loops(p, t)[0], hint_contains="zeros_like")
    assert_rejects("3.2", lambda p, t: None, hint_contains="return")
    assert_not_attempted("3.2")
