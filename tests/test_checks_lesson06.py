"""Lesson 06's checkers with right, wrong and untouched answers."""

from deepcomposer_edu.checks.testing import assert_accepts, assert_not_attempted, assert_rejects


def freeze(keep_embedding=False, keep_norm=True, nothing=False):
    def answer(model):
        for parameter in model.parameters():
            parameter.requires_grad = False
        if nothing:
            return model
        for parameter in model.blocks[-1].parameters():
            parameter.requires_grad = True
        if keep_norm:
            for parameter in model.norm.parameters():
                parameter.requires_grad = True
        if keep_embedding:
            model.embed.weight.requires_grad = True
        return model

    return answer


def test_6_1_freeze_all_but_last():
    assert_accepts("6.1", freeze())
    assert_rejects("6.1", freeze(keep_embedding=True), message_contains="embedding")
    assert_rejects("6.1", freeze(keep_norm=False), message_contains="frozen by mistake", hint_contains="model.norm")
    assert_rejects("6.1", freeze(nothing=True), message_contains="nothing")
    assert_rejects("6.1", lambda model: None, hint_contains="return model")
    assert_not_attempted("6.1")


def test_6_2_percent_lower():
    assert_accepts("6.2", lambda scratch, tuned: 100 * (scratch - tuned) / scratch)
    assert_rejects("6.2", lambda scratch, tuned: (scratch - tuned) / scratch, hint_contains="100")
    assert_rejects("6.2", lambda scratch, tuned: 100 * (scratch - tuned) / tuned, hint_contains="scratch_nll")
    assert_rejects("6.2", lambda scratch, tuned: scratch - tuned, hint_contains="100 * (scratch_nll")
    assert_not_attempted("6.2")
