"""Lesson 09's checkers (deepcomposer_edu/checks/lesson09.py) with right, wrong and untouched answers."""

import math
from decimal import ROUND_HALF_UP, Decimal

from deepcomposer_edu.checks.testing import assert_accepts, assert_not_attempted, assert_rejects

CENT = Decimal("0.01")


def test_9_1_billing_units():
    assert_accepts("9.1", lambda seconds: math.ceil(seconds / 30))
    assert_accepts("9.1", lambda seconds: int(-(-seconds // 30)))  # ceil as negated floor division
    assert_rejects("9.1", lambda seconds: int(seconds // 30), hint_contains="round up")  # 45 s -> 1
    assert_rejects("9.1", lambda seconds: int(seconds // 30) + 1, hint_contains="exactly 30 s")  # 30 s -> 2
    assert_rejects("9.1", lambda seconds: round(seconds / 30), message_contains="should cost")  # 45 s -> 2, 61 s -> 2
    assert_rejects("9.1", lambda seconds: seconds / 30, message_contains="whole number")
    assert_not_attempted("9.1")


def discount_line(hours, price):
    bill = (hours * price).quantize(CENT, rounding=ROUND_HALF_UP)
    if hours >= 10:
        bill -= (bill * Decimal("0.17")).quantize(CENT, rounding=ROUND_HALF_UP)
    return bill


def pay_83_percent(hours, price):
    rate = Decimal("0.83") if hours >= 10 else Decimal(1)
    return (hours * price * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def test_9_2_training_bill():
    assert_accepts("9.2", discount_line)
    assert_accepts("9.2", pay_83_percent)
    assert_rejects(
        "9.2",
        lambda h, p: pay_83_percent(h, p) if h > 10 else (h * p).quantize(CENT, ROUND_HALF_UP),
        hint_contains=">= 10",
    )
    assert_rejects("9.2", lambda h, p: (h * p).quantize(CENT, ROUND_HALF_UP), hint_contains="17% off")
    assert_rejects(
        "9.2", lambda h, p: (h * p * Decimal("0.83")).quantize(CENT, ROUND_HALF_UP), hint_contains="no discount"
    )
    assert_rejects("9.2", lambda h, p: float(pay_83_percent(h, p)), hint_contains="Decimal")
    truncating = lambda h, p: (h * p * (Decimal("0.83") if h >= 10 else 1)).quantize(
        CENT, rounding="ROUND_DOWN"
    )  # noqa: E731
    assert_rejects("9.2", truncating, hint_contains="half up")  # 2.475 -> 2.47
    only_above_ten = lambda h, p: ((min(h, 10) + max(h - 10, 0) * Decimal("0.83")) * p).quantize(
        CENT, ROUND_HALF_UP
    )  # noqa: E731
    assert_rejects("9.2", only_above_ten, hint_contains="every hour")
    assert_not_attempted("9.2")


def crossing(fixed_a, per_a, fixed_b, per_b):
    if per_a == per_b:
        return None
    return (fixed_a - fixed_b) / (per_b - per_a)


def test_9_3_break_even_volume():
    assert_accepts("9.3", crossing)
    assert_accepts("9.3", lambda *args: None if args[1] == args[3] else math.ceil(crossing(*args)))  # whole tracks
    assert_rejects("9.3", lambda fa, pa, fb, pb: (fa - fb) / (pa - pb), hint_contains="sign")
    assert_rejects("9.3", lambda fa, pa, fb, pb: (fa - fb) / (pb - pa), hint_contains="return None")
    assert_rejects("9.3", lambda fa, pa, fb, pb: fa / pb if pa != pb else None, hint_contains="solve for n")
    assert_rejects("9.3", lambda *args: 0 if args[1] == args[3] else crossing(*args), hint_contains="return None")
    assert_not_attempted("9.3")
