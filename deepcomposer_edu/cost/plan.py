"""A month of activities and its bill: the line-item estimate that reproduces the source's game studio.

Lesson: lessons/09_what_it_costs.ipynb. Rules: docs/costs.md.

The rules, in the order a bill applies them:
1. Training is billed by the hour, prorated (40 h x $0.25 = $10.00; 0.1 h = $0.025 -> $0.03).
2. Generation is billed per *started* unit of 30 seconds of music: a 30 s track is 1 unit, a 31 s or 45 s
   track is 2 units, a 60 s track 2 units. `billing_units` is that rule.
3. Style transfer is billed per conversion.
4. Every line is rounded to the cent, half up; the total is the sum of the rounded lines, so the table adds up.
5. The savings plan takes 17% off the training line of a month with 10 or more training hours (all of them,
   not only those above 10; 9.9 h get nothing). The source's own table ignores it, so an estimate shows
   both totals: on demand (the source's $11.00) and with the savings plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from ..errors import InvalidArgumentError
from .catalogue import Catalogue, CostFileError, as_catalogue, read_json_file
from .money import format_money, format_price, to_cents, to_decimal


class PlanError(CostFileError):
    """A plan file that cannot be used: not JSON, an unknown field, a negative number of hours, ..."""


def billing_units(seconds, unit_seconds=30) -> int:
    """How many billing units a track of `seconds` costs: one per *started* `unit_seconds` (45 s -> 2)."""
    seconds, unit_seconds = to_decimal(seconds, "track seconds"), to_decimal(unit_seconds, "unit seconds")
    if seconds < 0 or unit_seconds <= 0:
        raise InvalidArgumentError(f"need seconds >= 0 and unit seconds > 0, got {seconds} and {unit_seconds}")
    return int((seconds / unit_seconds).to_integral_value(rounding=ROUND_CEILING))


def _plain(number: Decimal) -> str:
    """A Decimal as people write it: 40 not 4E+1, 9.9 not 9.90."""
    return f"{number.normalize():f}"


def _plural(number, word: str) -> str:
    """ "1 hour", "0 hours", "9.9 hours": English counts."""
    text = _plain(number) if isinstance(number, Decimal) else str(number)
    return f"{text} {word}" if number == 1 else f"{text} {word}s"


def _count(value, what: str) -> int:
    """A whole number >= 0 (2.0 is fine, 2.5 tracks is not)."""
    number = to_decimal(value, what)
    if number < 0 or number != number.to_integral_value():
        raise InvalidArgumentError(f"{what} must be a whole number >= 0, got {value}")
    return int(number)


@dataclass(frozen=True)
class TrackBatch:
    """`count` generated tracks, each `seconds` long (a label such as "combat tracks" is optional)."""

    count: int
    seconds: Decimal = Decimal(30)
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "count", _count(self.count, "number of tracks"))
        seconds = to_decimal(self.seconds, "track seconds")
        if seconds <= 0:
            raise InvalidArgumentError(f"track seconds must be more than 0, got {self.seconds}")
        object.__setattr__(self, "seconds", seconds)


@dataclass(frozen=True)
class MonthlyPlan:
    """What a studio expects to do in a month: training hours, generated tracks (by length), style transfers."""

    training_hours: Decimal = Decimal(0)
    tracks: tuple[TrackBatch, ...] = ()
    style_transfers: int = 0
    name: str = ""

    def __post_init__(self) -> None:
        hours = to_decimal(self.training_hours, "training hours")
        if hours < 0:
            raise InvalidArgumentError(f"training hours must not be negative, got {self.training_hours}")
        object.__setattr__(self, "training_hours", hours)
        object.__setattr__(self, "tracks", tuple(self.tracks))
        object.__setattr__(self, "style_transfers", _count(self.style_transfers, "number of style transfers"))

    def to_dict(self) -> dict:
        """The plan in the shape of a plan file (hours and seconds as exact text)."""
        return {
            "name": self.name,
            "training_hours": _plain(self.training_hours),
            "tracks": [{"count": b.count, "seconds": _plain(b.seconds), "label": b.label} for b in self.tracks],
            "style_transfers": self.style_transfers,
        }


def game_studio_month() -> MonthlyPlan:
    """The source's example: 40 h of prototyping, 500 combat tracks of 30 s, 100 style transfers ($11.00)."""
    return MonthlyPlan(
        training_hours=Decimal(40),
        tracks=(TrackBatch(500, Decimal(30), "combat tracks"),),
        style_transfers=100,
        name="Game studio month (the source's example)",
    )


@dataclass(frozen=True)
class LineItem:
    """One row of the bill: what, how much, at what unit price, and the cost rounded to the cent."""

    activity: str
    volume: str
    unit_price: Decimal
    unit: str
    cost: Decimal


@dataclass(frozen=True)
class Estimate:
    """The bill for a `MonthlyPlan` under a `Catalogue`: on-demand line items, and what a savings plan changes."""

    plan: MonthlyPlan
    catalogue: Catalogue
    items: tuple[LineItem, ...]
    savings_plan_applies: bool
    savings_plan_discount: Decimal  # rounded to the cent; 0 when the month has too few training hours

    @property
    def total(self) -> Decimal:
        """On-demand total: the sum of the rounded lines (what the source's table shows)."""
        return sum((item.cost for item in self.items), Decimal("0.00"))

    @property
    def total_with_savings_plan(self) -> Decimal:
        return self.total - self.savings_plan_discount

    @property
    def savings_plan_rule(self) -> str:
        catalogue = self.catalogue
        percent = _plain(catalogue.savings_plan_discount * 100)
        return f"{percent}% off all training hours in a month with {_plain(catalogue.savings_plan_min_hours)} or more"

    def table(self) -> str:
        """The line-item table as text: on-demand lines and total, then the savings plan's line and total."""
        header = ("Activity", "Volume", "Unit price", f"Cost ({self.catalogue.currency})")
        body = [
            (i.activity, i.volume, f"{format_price(i.unit_price)} per {i.unit}", format_money(i.cost))
            for i in self.items
        ]
        total = ("Total", "", "", format_money(self.total))
        savings = []
        if self.savings_plan_applies:
            hours = f"{_plain(self.plan.training_hours)} h >= {_plain(self.catalogue.savings_plan_min_hours)} h"
            savings = [
                ("Savings plan discount", hours, "", format_money(-self.savings_plan_discount)),
                ("Total with savings plan", "", "", format_money(self.total_with_savings_plan)),
            ]
        widths = [max(len(row[column]) for row in [header, *body, total, *savings]) for column in range(4)]

        def line(row) -> str:
            return "  ".join([*(cell.ljust(width) for cell, width in zip(row[:3], widths)), row[3].rjust(widths[3])])

        rule = "  ".join("-" * width for width in widths)
        lines = [line(header), rule, *map(line, body), rule, line(total), *map(line, savings)]
        verdict = (
            "applies" if self.savings_plan_applies else f"does not apply to {_plural(self.plan.training_hours, 'hour')}"
        )
        lines.append(f"Savings plan ({self.savings_plan_rule}): {verdict}.")
        lines.append(f"Prices: {self.catalogue.name}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """JSON-ready: amounts as exact text ("11.00"), so no float ever touches them."""
        return {
            "plan": self.plan.to_dict(),
            "catalogue": self.catalogue.to_dict(),
            "currency": self.catalogue.currency,
            "items": [
                {
                    "activity": i.activity,
                    "volume": i.volume,
                    "unit_price": str(i.unit_price),
                    "unit": i.unit,
                    "cost": format_money(i.cost),
                }
                for i in self.items
            ],
            "total": format_money(self.total),
            "savings_plan": {
                "applies": self.savings_plan_applies,
                "discount": format_money(self.savings_plan_discount),
                "total": format_money(self.total_with_savings_plan),
            },
        }


def estimate(plan: MonthlyPlan, catalogue=None) -> Estimate:
    """The line-item bill for `plan` under `catalogue` (a Catalogue, a path to one, or None for the default)."""
    catalogue = as_catalogue(catalogue)
    training_cost = to_cents(plan.training_hours * catalogue.training_per_hour)
    items = [
        LineItem(
            "Model training", _plural(plan.training_hours, "hour"), catalogue.training_per_hour, "hour", training_cost
        )
    ]
    unit_seconds = f"{_plain(catalogue.generation_unit_seconds)} s"
    for batch in plan.tracks:
        units = batch.count * billing_units(batch.seconds, catalogue.generation_unit_seconds)
        label = batch.label or ("track" if batch.count == 1 else "tracks")
        items.append(
            LineItem(
                f"Generation: {batch.count} {label}",
                f"{batch.count} x {_plain(batch.seconds)} s = {_plural(units, 'unit')}",
                catalogue.generation_per_unit,
                f"started {unit_seconds}",
                to_cents(units * catalogue.generation_per_unit),
            )
        )
    items.append(
        LineItem(
            "Style transfer",
            _plural(plan.style_transfers, "conversion"),
            catalogue.style_transfer_per_conversion,
            "conversion",
            to_cents(plan.style_transfers * catalogue.style_transfer_per_conversion),
        )
    )
    applies = plan.training_hours >= catalogue.savings_plan_min_hours and plan.training_hours > 0
    discount = to_cents(training_cost * catalogue.savings_plan_discount) if applies else Decimal("0.00")
    return Estimate(plan, catalogue, tuple(items), applies, discount)


def estimate_cost(training_hours=0, tracks=0, track_seconds=30, style_transfers=0, catalogue=None) -> Estimate:
    """One month's bill from plain numbers: `estimate_cost(40, 500, 30, 100).total == Decimal("11.00")`.

    `catalogue` is a `Catalogue`, a path to a catalogue JSON file, or None for the shipped illustrative prices.
    This is the function behind `client().estimate_cost(...)` and `deepcomposer estimate-cost`.
    """
    batch = TrackBatch(tracks, track_seconds)
    plan = MonthlyPlan(training_hours=training_hours, tracks=(batch,), style_transfers=style_transfers)
    return estimate(plan, catalogue)


_PLAN_FIELDS = {"name", "training_hours", "tracks", "style_transfers"}
_BATCH_FIELDS = {"count", "seconds", "label"}


def plan_from_dict(data, source: str = "<plan>") -> MonthlyPlan:
    """A checked plan from a dict shaped like a plan file; `PlanError` names `source` and the problem."""
    if not isinstance(data, dict):
        raise PlanError(source, f"a plan is a JSON object, got {type(data).__name__}")
    unknown = sorted(set(data) - _PLAN_FIELDS)
    if unknown:
        raise PlanError(source, f"unknown field {unknown[0]!r} (known fields: {', '.join(sorted(_PLAN_FIELDS))})")
    batches = data.get("tracks", [])
    if not isinstance(batches, list):
        raise PlanError(source, 'tracks must be a list such as [{"count": 500, "seconds": 30}]')
    try:
        tracks = []
        for number, batch in enumerate(batches, start=1):
            if not isinstance(batch, dict) or "count" not in batch or set(batch) - _BATCH_FIELDS:
                raise InvalidArgumentError(
                    f'tracks entry {number} must look like {{"count": 500, "seconds": 30, "label": "..."}}, got {batch!r}'
                )
            tracks.append(TrackBatch(batch["count"], batch.get("seconds", 30), str(batch.get("label", ""))))
        return MonthlyPlan(
            training_hours=data.get("training_hours", 0),
            tracks=tuple(tracks),
            style_transfers=data.get("style_transfers", 0),
            name=str(data.get("name", "")),
        )
    except InvalidArgumentError as error:
        raise PlanError(source, str(error)) from None


def load_plan(path) -> MonthlyPlan:
    """Read and check a plan JSON file, e.g. {"training_hours": 40, "tracks": [{"count": 500, "seconds": 30}]}."""
    return plan_from_dict(read_json_file(path, PlanError), source=str(path))
