"""Cloud, Magenta-style or your own computer: monthly cost as volume grows, and where the lines cross.

Lesson: lessons/09_what_it_costs.ipynb. Rules: docs/costs.md.

Each option's monthly cost is a straight line in the number of tracks made that month:

    cost(tracks) = fixed + per_track x tracks

- cloud (the catalogue's prices): fixed = the month's training and style transfers; per track = its billing
  units (per started 30 s) x the unit price;
- Magenta-style: the source gives one point, $45 for 500 tracks; we draw the straight line through it
  (0.09 a track, nothing fixed);
- your own computer: fixed = the hardware's price spread over its life (per month), plus electricity for
  the month's training hours; per track = the electricity of generating one track, as measured (style
  transfers are assumed to cost what generating one track costs).

Two lines cross at the *break-even* volume: fixed_a + per_a x n = fixed_b + per_b x n, so
n = (fixed_a - fixed_b) / (per_b - per_a). Above it, the option with the lower per-track price is cheaper.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from ..errors import InvalidArgumentError
from .catalogue import as_catalogue
from .measure import energy_kwh
from .money import format_money, to_decimal
from .plan import MonthlyPlan, billing_units, estimate


@dataclass(frozen=True)
class CostLine:
    """One option's monthly cost: `fixed` whatever the volume, plus `per_track` for each track (exact money)."""

    name: str
    fixed: Decimal
    per_track: Decimal

    def cost(self, tracks) -> Decimal:
        """Exact monthly cost for `tracks` tracks (round with `to_cents` to bill it)."""
        return self.fixed + self.per_track * to_decimal(tracks, "tracks")


def break_even(a: CostLine, b: CostLine) -> Decimal | None:
    """The number of tracks per month at which `a` and `b` cost the same; None if the lines never cross
    at a volume of 0 or more (same per-track price, or crossing "before" zero)."""
    if a.per_track == b.per_track:
        return Decimal(0) if a.fixed == b.fixed else None
    tracks = (a.fixed - b.fixed) / (b.per_track - a.per_track)
    return tracks if tracks >= 0 else None


def cloud_line(plan: MonthlyPlan, catalogue=None, track_seconds=30, savings_plan: bool = False) -> CostLine:
    """The cloud's line: the month's training and style transfers are fixed; each track costs its units."""
    catalogue = as_catalogue(catalogue)
    bill = estimate(MonthlyPlan(plan.training_hours, (), plan.style_transfers), catalogue)
    fixed = bill.total_with_savings_plan if savings_plan else bill.total
    per_track = billing_units(track_seconds, catalogue.generation_unit_seconds) * catalogue.generation_per_unit
    name = "Cloud (catalogue prices" + (", savings plan)" if savings_plan else ")")
    return CostLine(name, fixed, per_track)


def magenta_line(catalogue=None) -> CostLine:
    """The Magenta Studio comparison as a line through the source's one point ($45 for 500 tracks)."""
    catalogue = as_catalogue(catalogue)
    return CostLine("Magenta-style", Decimal(0), catalogue.magenta_per_track)


def local_line(plan: MonthlyPlan, seconds_per_track, catalogue=None, watts=None) -> CostLine:
    """Your own computer: hardware per month + electricity for training; each track costs its measured energy."""
    catalogue = as_catalogue(catalogue)
    watts = catalogue.power_watts if watts is None else to_decimal(watts, "watts")
    price = catalogue.electricity_per_kwh
    training = energy_kwh(plan.training_hours * 3600, watts) * price
    per_track = energy_kwh(seconds_per_track, watts) * price
    fixed = catalogue.hardware_per_month + training + plan.style_transfers * per_track
    return CostLine("Your computer", fixed, per_track)


def compare_month(plan: MonthlyPlan, seconds_per_track, catalogue=None, track_seconds=30, watts=None) -> list[CostLine]:
    """The three options for `plan`'s training and style transfers, as lines in the number of tracks."""
    catalogue = as_catalogue(catalogue)
    return [
        cloud_line(plan, catalogue, track_seconds),
        magenta_line(catalogue),
        local_line(plan, seconds_per_track, catalogue, watts),
    ]


def break_even_table(lines: list[CostLine], currency: str = "USD") -> str:
    """Every pair of options: where their lines cross, and what each costs there."""
    rows = []
    for i, a in enumerate(lines):
        for b in lines[i + 1 :]:
            tracks = break_even(a, b)
            if tracks is None:
                rows.append(f"{a.name} and {b.name}: never cost the same")
            else:
                rows.append(
                    f"{a.name} and {b.name}: the same at {tracks:,.1f} tracks a month "
                    f"({format_money(a.cost(tracks))} {currency} each)"
                )
    return "\n".join(rows)


def plot_cost_lines(lines: list[CostLine], max_tracks: int | None = None, currency: str = "USD", ax=None):
    """Monthly cost of each option against tracks per month (log-log), break-even points marked. Returns the Figure."""
    import matplotlib.pyplot as plt
    import numpy as np

    crossings = [(a, b, break_even(a, b)) for i, a in enumerate(lines) for b in lines[i + 1 :]]
    crossings = [(a, b, n) for a, b, n in crossings if n is not None and n >= 1]
    if max_tracks is None:
        max_tracks = int(max([1000, *(float(n) * 3 for _, _, n in crossings)]))
    if max_tracks < 2:
        raise InvalidArgumentError(f"max_tracks must be at least 2, got {max_tracks}")
    if ax is None:
        figure, ax = plt.subplots(figsize=(8, 5))
    else:
        figure = ax.figure
    tracks = np.unique(np.geomspace(1, max_tracks, 200).round())
    for line in lines:
        ax.plot(tracks, [float(line.cost(int(n))) for n in tracks], label=line.name, linewidth=2)
    for a, b, n in crossings:
        if n <= max_tracks:
            ax.plot([float(n)], [float(a.cost(n))], "ko")
            ax.annotate(
                f"{math.ceil(n):,} tracks", (float(n), float(a.cost(n))), textcoords="offset points", xytext=(6, -14)
            )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("tracks generated per month")
    ax.set_ylabel(f"monthly cost ({currency})")
    ax.set_title("What a month costs as volume grows (dots: break-even points)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    return figure
