"""Checkers for lesson 06 (lessons/06_transfer_learning.ipynb): freezing layers, and measuring the gain honestly.

Exercise 6.1: `freeze_all_but_last(model)`: in a `MusicTransformer`, stop every parameter from training
(`requires_grad = False`) except those of the last block and the final norm; return the model.
Exercise 6.2: `percent_lower(scratch_nll, finetuned_nll)`: how many percent lower the fine-tuned model's
held-out NLL is than the from-scratch model's (negative if it is higher).
"""

from __future__ import annotations

import math

from .framework import Wrong, exercise


def _fresh_model():
    from ..models.transformer import MusicTransformer, TransformerConfig

    return MusicTransformer(TransformerConfig(vocab_size=20, context=8, n_layers=3, n_heads=2, width=8, dropout=0.0))


@exercise("6.1")
def freeze_all_but_last(answer) -> str:
    model = _fresh_model()
    got = answer(model)
    if got is None:
        raise Wrong("your function returned None", hint="end it with `return model`")
    trainable = {name for name, parameter in got.named_parameters() if parameter.requires_grad}
    expected = {name for name, _ in got.named_parameters() if name.startswith(("blocks.2.", "norm."))}
    if not trainable:
        raise Wrong("nothing is left to train: the last block and the final norm should still learn",
                    hint="set requires_grad = False on every parameter, then True again on model.blocks[-1] and model.norm")
    if "embed.weight" in trainable:
        raise Wrong("the token embedding still trains (it is also the output layer: the two share weights)",
                    hint="freeze model.embed too: it holds what the model knows about every token")
    if trainable != expected:
        extra, missing = sorted(trainable - expected), sorted(expected - trainable)
        raise Wrong(f"trainable parameters should be exactly the last block's and the final norm's; "
                    f"also training: {extra[:3]}, frozen by mistake: {missing[:3]}",
                    hint="model.blocks[-1].parameters() and model.norm.parameters() keep requires_grad = True")
    return "only the top of the network adapts to your music; what it learned about melody below stays as it was."


@exercise("6.2")
def percent_lower(answer) -> str:
    cases = [((2.0, 1.5), 25.0), ((1.2, 0.9), 25.0), ((0.8, 1.0), -25.0), ((1.6, 1.6), 0.0)]
    for (scratch, finetuned), expected in cases:
        got = answer(scratch, finetuned)
        if not isinstance(got, (int, float)) or isinstance(got, bool):
            raise Wrong(f"your function returned {got!r}, not a number", hint="return a number of percent, e.g. 25.0")
        if math.isclose(got, expected / 100, abs_tol=1e-9) and expected:
            raise Wrong(f"for {scratch} and {finetuned} you returned {got:g}: a fraction, not a percentage",
                        hint="multiply by 100")
        if math.isclose(got, (scratch - finetuned) / finetuned * 100, abs_tol=1e-6) and not math.isclose(got, expected):
            raise Wrong(f"for {scratch} (scratch) and {finetuned} (fine-tuned) the gain is measured against the "
                        f"from-scratch model: {expected:g}%, not {got:g}%", hint="divide by scratch_nll")
        if not math.isclose(got, expected, abs_tol=1e-6):
            raise Wrong(f"from {scratch} (scratch) to {finetuned} (fine-tuned) is {expected:g}% lower; you said {got:g}",
                        hint="100 * (scratch_nll - finetuned_nll) / scratch_nll")
    return "a gain is a share of where you started: 2.0 down to 1.5 is 25% lower."
