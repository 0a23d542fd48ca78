"""Measured local cost: time real work on this computer, then turn seconds into energy and money.

Lesson: lessons/09_what_it_costs.ipynb. Rules: docs/costs.md.

The chain, with the units at each step:

    seconds (measured)  x  watts (the CPU's power under load)          = joules
    joules / 3 600 000                                                 = kilowatt-hours (kWh)
    kWh  x  price per kWh                                              = money for electricity

and, for comparison, what a cloud service with the catalogue's prices would bill for the same work:
training by the hour (prorated), generation per started 30 s of music produced.

`measure` takes any callable, so the same code measures the course's GAN, its transformer, or anything a
learner writes. The power figure is an assumption (the catalogue's `power_watts`, 45 W by default: a
laptop CPU working hard), not a measurement: pass your own with `watts=`. A wattmeter at the plug, or
RAPL counters on Linux, would measure it; the whole computer draws more than its CPU.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable

from ..errors import InvalidArgumentError
from .catalogue import Catalogue, as_catalogue
from .money import to_decimal
from .plan import billing_units

JOULES_PER_KWH = Decimal(3_600_000)
SECONDS_PER_HOUR = Decimal(3600)


@dataclass(frozen=True)
class Measurement:
    """How long a workload took: the median of `runs` (wall-clock seconds), and what its last run returned."""

    label: str
    seconds: float
    runs: tuple[float, ...]
    result: Any = None


def measure(workload: Callable[[], Any], label: str = "workload", repeats: int = 1) -> Measurement:
    """Run `workload()` `repeats` times and time each run with a monotonic clock; the median is the figure."""
    if repeats < 1:
        raise InvalidArgumentError(f"repeats must be at least 1, got {repeats}")
    runs, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = workload()
        runs.append(time.perf_counter() - started)
    return Measurement(label, statistics.median(runs), tuple(runs), result)


def energy_kwh(seconds, watts) -> Decimal:
    """Energy used working `seconds` at `watts`: 3600 s at 45 W = 0.045 kWh."""
    seconds, watts = to_decimal(seconds, "seconds"), to_decimal(watts, "watts")
    if seconds < 0 or watts < 0:
        raise InvalidArgumentError(f"seconds and watts must not be negative, got {seconds} s and {watts} W")
    return seconds * watts / JOULES_PER_KWH


@dataclass(frozen=True)
class LocalCost:
    """One measured piece of work: its energy, its electricity cost here, and its price in the cloud.

    Money is exact (unrounded): a fraction of a cent per track matters once it is multiplied by a volume.
    """

    label: str
    seconds: Decimal
    watts: Decimal
    energy_kwh: Decimal
    electricity: Decimal
    cloud_equivalent: Decimal
    cloud_rule: str

    def to_dict(self) -> dict:
        return {name: str(value) for name, value in self.__dict__.items()}


def _local(label: str, seconds, catalogue: Catalogue, watts, cloud: Decimal, rule: str) -> LocalCost:
    watts = catalogue.power_watts if watts is None else to_decimal(watts, "watts")
    energy = energy_kwh(seconds, watts)
    return LocalCost(
        label, to_decimal(seconds, "seconds"), watts, energy, energy * catalogue.electricity_per_kwh, cloud, rule
    )


def local_training_cost(seconds, catalogue=None, watts=None, label: str = "training") -> LocalCost:
    """`seconds` of training here, against the same time of cloud training at the catalogue's hourly price."""
    catalogue = as_catalogue(catalogue)
    cloud = to_decimal(seconds, "seconds") / SECONDS_PER_HOUR * catalogue.training_per_hour
    return _local(label, seconds, catalogue, watts, cloud, f"{catalogue.training_per_hour} per hour, prorated")


def local_generation_cost(
    seconds, music_seconds, count: int = 1, catalogue=None, watts=None, label: str = "generation"
) -> LocalCost:
    """`seconds` spent here generating `count` pieces of `music_seconds` each, against the cloud's per-unit bill."""
    catalogue = as_catalogue(catalogue)
    units = count * billing_units(music_seconds, catalogue.generation_unit_seconds)
    cloud = units * catalogue.generation_per_unit
    rule = f"{units} x {catalogue.generation_per_unit} per started {catalogue.generation_unit_seconds} s"
    return _local(label, seconds, catalogue, watts, cloud, rule)


def _significant(amount: Decimal, digits: int = 3) -> str:
    """Small amounts readably: 0.000000454321 -> "0.000000454"."""
    if amount == 0:
        return "0"
    exponent = amount.adjusted() - digits + 1
    rounded = amount.quantize(Decimal(1).scaleb(min(exponent, -2)), rounding=ROUND_HALF_UP)
    return f"{rounded:f}"


def format_local_costs(costs: list[LocalCost], currency: str = "USD") -> str:
    """A table of measured costs: seconds, energy, electricity here, and the cloud's price for the same work."""
    header = ("Work", "Seconds", "Watts", "Energy (kWh)", f"Electricity ({currency})", f"Cloud ({currency})")
    rows = [
        (
            c.label,
            f"{c.seconds:.3g}",
            f"{c.watts.normalize():f}",
            _significant(c.energy_kwh),
            _significant(c.electricity),
            _significant(c.cloud_equivalent),
        )
        for c in costs
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
