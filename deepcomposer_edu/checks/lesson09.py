"""Checkers for lesson 09, what it costs (lessons/09_what_it_costs.ipynb).

9.1 `billing_units(seconds)`: generation is billed per *started* 30 seconds.
9.2 `training_bill(hours, price_per_hour)`: hours x price, 17% off when the month has 10 hours or more,
    in Decimal, rounded to the cent half up.
9.3 `break_even_volume(fixed_a, per_track_a, fixed_b, per_track_b)`: where two monthly cost lines cross.

Every expected value below is worked out by hand in the comment beside it, not by calling the package.
"""

from __future__ import annotations

from decimal import Decimal

from .framework import Wrong, exercise


def _whole_number(value) -> bool:
    try:
        return value == int(value) and not isinstance(value, bool)
    except (TypeError, ValueError, OverflowError):
        return False


@exercise("9.1")
def check_billing_units(billing_units) -> str:
    cases = [  # (seconds of music, units billed)
        (30, 1),  # exactly one unit
        (45, 2),  # 30 s + a started 15 s
        (1, 1),  # one second starts a unit
        (60, 2),
        (61, 3),
        (29.5, 1),
        (150.5, 6),  # five whole units and half a second
        (0, 0),  # no music, no bill
    ]
    for seconds, expected in cases:
        got = billing_units(seconds)
        if not _whole_number(got):
            raise Wrong(
                f"billing_units({seconds}) returned {got!r}, not a whole number of units",
                hint="math.ceil gives a whole number",
            )
        if got == expected:
            continue
        if seconds == 45 and got == 1:
            hint = "a started unit is billed in full: 45 s is 30 s plus a started unit. Round up (math.ceil), not down"
        elif seconds == 30 and got == 2:
            hint = "exactly 30 s fills one unit and starts no second one: math.ceil(seconds / 30)"
        else:
            hint = "divide by 30 and round *up*: math.ceil(seconds / 30)"
        raise Wrong(f"a {seconds} s track should cost {expected} unit(s), your function says {got}", hint=hint)
    return "45 s costs 2 units, 30 s costs 1, 0 s costs nothing: that is the per-started-30-seconds rule."


@exercise("9.2")
def check_training_bill(training_bill) -> str:
    cases = [  # (hours, price per hour, bill)
        ("40", "0.25", "8.30"),  # 10.00 - 17% (1.70): the source's studio month on the plan
        ("9.9", "0.25", "2.48"),  # 2.475, under 10 hours: no discount; half up -> 2.48
        ("10", "0.30", "2.49"),  # 3.00 - 0.51: exactly 10 hours gets the discount
        ("9.99", "0.30", "3.00"),  # 2.997 -> 3.00, still no discount
        ("12", "0.25", "2.49"),  # 3.00 - 0.51
        ("0", "0.25", "0.00"),
    ]
    for hours, price, expected in cases:
        got = training_bill(Decimal(hours), Decimal(price))
        if isinstance(got, float):
            raise Wrong(
                f"training_bill({hours}, {price}) returned the float {got!r}",
                hint="money is Decimal: multiply the Decimal arguments, then .quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)",
            )
        if not isinstance(got, Decimal):
            raise Wrong(
                f"training_bill({hours}, {price}) returned {got!r}, not a Decimal", hint="return a decimal.Decimal"
            )
        if got == Decimal(expected):
            continue
        full = (Decimal(hours) * Decimal(price)).quantize(Decimal("0.01"))
        if hours == "10":
            hint = "the plan starts at 10 hours *or more*: compare with >= 10, not > 10"
        elif hours == "9.9" and got < Decimal("2.40"):
            hint = "under 10 hours there is no discount at all"
        elif hours == "9.9":
            hint = "round half up: Decimal('2.475').quantize(Decimal('0.01'), rounding=ROUND_HALF_UP) is 2.48"
        elif hours in ("40", "12") and got == full:
            hint = f"{hours} hours is 10 or more, so the savings plan takes 17% off"
        elif hours in ("40", "12"):
            hint = "take 17% off the whole training bill, every hour, not only the hours above 10"
        else:
            hint = "hours x price per hour, minus 17% when hours >= 10, rounded to the cent half up"
        raise Wrong(f"{hours} hours at {price} an hour should cost {expected}, your function says {got}", hint=hint)
    return "9.9 hours pay full price and 10 hours get 17% off: right at the threshold, to the cent."


@exercise("9.3")
def check_break_even_volume(break_even_volume) -> str:
    cases = [  # (fixed_a, per_track_a, fixed_b, per_track_b, tracks where the lines cross)
        ("20", "0.0001", "0", "0.0101", "2000"),  # 20 + 0.0001 n = 0.0101 n -> n = 20 / 0.01
        ("0", "0.0101", "20", "0.0001", "2000"),  # the same pair, the other way round
        ("10.50", "0.001", "0", "0.09", "118"),  # 10.50 / 0.089 = 117.977... (cloud and Magenta-style)
        ("30", "0.00", "12", "0.02", "900"),  # 18 / 0.02
    ]
    for fixed_a, per_a, fixed_b, per_b, expected in cases:
        args = tuple(Decimal(x) for x in (fixed_a, per_a, fixed_b, per_b))
        got = break_even_volume(*args)
        shown = "break_even_volume(" + ", ".join(map(str, args)) + ")"
        if got is None:
            raise Wrong(
                f"{shown} returned None, but these lines cross",
                hint="only equal per-track prices mean the lines never cross",
            )
        try:
            tracks = Decimal(str(got))
        except ArithmeticError:
            raise Wrong(
                f"{shown} returned {got!r}, not a number", hint="return the number of tracks, e.g. a Decimal"
            ) from None
        if abs(tracks - Decimal(expected)) > Decimal("0.5"):
            hint = "set fixed_a + per_track_a * n equal to fixed_b + per_track_b * n and solve for n"
            if abs(tracks + Decimal(expected)) <= Decimal("0.5"):
                hint = "the sign is flipped: n = (fixed_a - fixed_b) / (per_track_b - per_track_a)"
            raise Wrong(f"these lines cross at about {expected} tracks, your function says {got}", hint=hint)
    try:
        parallel = break_even_volume(Decimal(5), Decimal("0.1"), Decimal(3), Decimal("0.1"))
    except ArithmeticError:  # ZeroDivisionError, and Decimal's DivisionByZero and InvalidOperation (0 / 0)
        raise Wrong(
            "two lines with the same per-track price made your function divide by zero",
            hint="when the per-track prices are equal the lines never cross: return None",
        ) from None
    if parallel is not None:
        raise Wrong(
            f"lines with the same per-track price never cross, your function says {parallel}",
            hint="return None when per_track_a == per_track_b",
        )
    return "the lines cross where the fixed-cost gap is paid back by the per-track saving."
