"""Money as exact decimals, rounded to the cent by one documented rule.

Lesson: lessons/09_what_it_costs.ipynb.

Why not floats? `0.1 + 0.2 != 0.3` in binary floating point, and a bill that is off by a cent is a wrong
bill. Every price and every total in `deepcomposer_edu.cost` is a `decimal.Decimal`, computed exactly;
only the amounts we *charge* are rounded, each to the cent, half up (ROUND_HALF_UP: 0.425 -> 0.43, and
-0.425 -> -0.43, away from zero as on a shop's till; not the "banker's rounding" of Python's `round`).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..errors import InvalidArgumentError

CENT = Decimal("0.01")


def to_decimal(value, what: str = "value") -> Decimal:
    """`value` (int, str, Decimal, or float via its shortest text form) as a finite Decimal."""
    if isinstance(value, bool):
        raise InvalidArgumentError(f"{what} must be a number, got {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidArgumentError(f"{what} must be a finite number, got {value!r}")
        value = repr(value)  # 0.1 -> "0.1", not 0.1000000000000000055511151231257827...
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidArgumentError(f"{what} must be a number, got {value!r}") from None
    if not number.is_finite():
        raise InvalidArgumentError(f"{what} must be a finite number, got {value!r}")
    return number


def to_cents(amount: Decimal) -> Decimal:
    """`amount` rounded to the cent, half up (away from zero): 0.005 -> 0.01, 0.0049 -> 0.00, -0.425 -> -0.43."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal) -> str:
    """A charged amount with exactly two decimals: Decimal("11") -> "11.00"."""
    return f"{to_cents(amount):.2f}"


def format_price(price: Decimal) -> str:
    """A unit price with as many decimals as it needs, and at least two: 0.25 -> "0.25", 0.001 -> "0.001"."""
    text = format(price.normalize(), "f")
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"
