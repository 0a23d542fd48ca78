"""Checkers for lesson 03 (lessons/03_gans.ipynb): the critic's loss, and turning probabilities into notes.

Exercise 3.1: `critic_loss(real_scores, fake_scores)`, the Wasserstein critic's loss before the gradient
penalty: mean fake score minus mean real score (the critic learns by making it small: real high, fake low).
Exercise 3.2: `one_note_per_voice(probabilities, threshold)`: (tracks, steps, pitches) probabilities -> 0/1,
each voice playing its most likely pitch at each step, and only where that pitch is above `threshold`
(`models.gan.binarize(..., one_note_per_track=True)`).
"""

from __future__ import annotations

import math

import torch

from .framework import Wrong, exercise

LOSS_HINT = "the critic wants real scores high and fake scores low: loss = fake_scores.mean() - real_scores.mean()"


def _scalar(answer, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    got = answer(real, fake)
    if got is None:
        raise Wrong("your function returned None", hint="end it with `return` and the loss")
    if not isinstance(got, torch.Tensor) or got.numel() != 1:
        raise Wrong(f"your function returned {got!r}, not a one-number tensor",
                    hint="use tensor operations (.mean()) so that the loss can be differentiated")
    return got


@exercise("3.1")
def critic_loss(answer) -> str:
    real = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)  # mean 2
    fake = torch.tensor([-1.0, 0.0, -2.0, -1.0], requires_grad=True)  # mean -1
    got = _scalar(answer, real, fake)
    value = got.item()
    if math.isclose(value, 3.0, abs_tol=1e-5):
        raise Wrong("for real scores averaging 2 and fake ones averaging -1 you returned +3: the sign is flipped, "
                    "so minimising it would teach the critic to score fakes higher", hint=LOSS_HINT)
    if math.isclose(value, -2.0 - 4.0, abs_tol=1e-5) or math.isclose(value, -4.0 - 6.0, abs_tol=1e-5):
        raise Wrong(f"you returned {value:g}: that looks like sums, not means (the batches have different sizes)",
                    hint="use .mean(), so the loss does not grow with the batch size")
    if not math.isclose(value, -3.0, abs_tol=1e-5):
        raise Wrong(f"for real scores averaging 2 and fake ones averaging -1 the loss is -1 - 2 = -3; you returned "
                    f"{value:g}", hint="a WGAN critic outputs raw scores, not probabilities: no sigmoid, no log. "
                    + LOSS_HINT)
    if not got.requires_grad:
        raise Wrong("your loss cannot be differentiated (did you use .item() or numpy?)",
                    hint="keep everything as torch operations on the score tensors")
    got.backward()
    if real.grad is None or not torch.allclose(real.grad, torch.full((3,), -1 / 3)):
        raise Wrong("the loss's gradient with respect to each real score should be -1/3 (a mean over 3 scores)",
                    hint=LOSS_HINT)
    return "right: minimising this pushes real scores up and fake scores down, by the same average amount."


def _roll(answer, probabilities: torch.Tensor, threshold: float, what: str) -> torch.Tensor:
    got = answer(probabilities.clone(), threshold)
    if got is None:
        raise Wrong("your function returned None", hint="return the 0/1 roll")
    try:
        got = torch.as_tensor(got).float()
    except (TypeError, ValueError, RuntimeError):
        raise Wrong(f"for {what} your function returned {got!r}, not a roll", hint="return a tensor") from None
    if got.shape != probabilities.shape:
        raise Wrong(f"for {what} the roll should keep the shape {tuple(probabilities.shape)}, got {tuple(got.shape)}",
                    hint="build a zeros_like(probabilities) and set a 1 at each voice's chosen pitch")
    return got


@exercise("3.2")
def one_note_per_voice(answer) -> str:
    # 2 voices x 2 steps x 3 pitches
    probabilities = torch.tensor([[[0.1, 0.7, 0.6], [0.2, 0.3, 0.4]],
                                  [[0.9, 0.95, 0.0], [0.0, 0.0, 0.51]]])
    expected = torch.tensor([[[0.0, 1, 0], [0, 0, 0]], [[0, 1, 0], [0, 0, 1]]])
    got = _roll(answer, probabilities, 0.5, "two voices of two steps")
    if torch.equal(got, (probabilities > 0.5).float()):
        raise Wrong("the first voice plays two pitches at once at step 0 (0.7 and 0.6 are both above 0.5)",
                    hint="keep only each voice's most likely pitch at each step: probabilities.max(dim=-1)")
    if got[0, 1].sum() == 1:
        raise Wrong("at its second step the first voice has no pitch above 0.5, so it should be silent",
                    hint="after choosing the most likely pitch, keep it only where its probability > threshold")
    if got.sum(dim=-1).max() > 1:
        raise Wrong("a voice plays more than one pitch at one step", hint="take the maximum over the PITCH axis (the last)")
    if not torch.equal(got, expected):
        raise Wrong(f"for two voices of two steps the answer is {expected.tolist()}; you returned {got.tolist()}",
                    hint="argmax over the last axis (pitches), then keep it where the max is above the threshold")
    quiet = torch.full((1, 4, 3), 0.2)
    if _roll(answer, quiet, 0.1, "a lower threshold").sum() != 4:
        raise Wrong("with threshold 0.1, probabilities of 0.2 are above it, so the voice sings at every step",
                    hint="use the `threshold` argument, not a fixed 0.5")
    return "right: each voice sings one note at a time, and only where it is more likely on than off."
