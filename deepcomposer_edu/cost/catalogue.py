"""The price catalogue: what each activity costs, read from a JSON file and checked field by field.

Lesson: lessons/09_what_it_costs.ipynb. Rules: docs/costs.md.

The shipped catalogue (`deepcomposer_edu/data/prices_default.json`) holds the *illustrative* prices of the
source description: training $0.25 an hour, generation $0.001 per started 30 seconds of music, style
transfer $0.005 a conversion, a savings plan of 17% off all training hours in a month with 10 or more, and
Magenta Studio at $45 for 500 tracks; plus this course's assumptions for running on your own computer
(hardware price and life, CPU power, electricity price). Nobody should budget with them: copy the file,
put in your own numbers and load it with `load_catalogue(path)` or `deepcomposer estimate-cost --catalogue`.

A catalogue file is one JSON object with exactly the fields of `Catalogue` (no more, no fewer; `note` is
optional). Numbers are read straight into `Decimal`, never through a float.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path

from ..errors import DeepComposerError, InvalidArgumentError
from ..paths import PACKAGE_DIR
from .money import to_decimal

DEFAULT_CATALOGUE_PATH = PACKAGE_DIR / "data" / "prices_default.json"


class CostFileError(DeepComposerError):
    """A catalogue or plan file that cannot be used; the message names the file and the problem."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class CatalogueError(CostFileError):
    """A catalogue file that cannot be used: not JSON, a missing or unknown field, a negative price, ..."""


@dataclass(frozen=True)
class Catalogue:
    """Prices (in `currency`) and the assumptions behind the on-premise estimate. All numbers are Decimals."""

    name: str
    currency: str
    training_per_hour: Decimal  # cloud training, prorated to the second
    generation_per_unit: Decimal  # one unit = a started `generation_unit_seconds` of generated music
    generation_unit_seconds: Decimal
    style_transfer_per_conversion: Decimal
    savings_plan_discount: Decimal  # a fraction: 0.17 = 17% off...
    savings_plan_min_hours: Decimal  # ...all training hours of a month with at least this many
    magenta_price: Decimal  # Magenta Studio comparison: this price...
    magenta_tracks: Decimal  # ...for this many tracks
    hardware_price: Decimal  # on premise: the computer's price...
    hardware_life_months: Decimal  # ...spread evenly over its life
    power_watts: Decimal  # electrical power drawn while working (a CPU under load)
    electricity_per_kwh: Decimal
    note: str = ""

    def __post_init__(self) -> None:
        for name in _AT_LEAST_ZERO:
            if getattr(self, name) < 0:
                raise InvalidArgumentError(f"{name} must not be negative, got {getattr(self, name)}")
        for name in _ABOVE_ZERO:
            if getattr(self, name) <= 0:
                raise InvalidArgumentError(f"{name} must be more than 0, got {getattr(self, name)}")
        if self.savings_plan_discount > 1:
            raise InvalidArgumentError(
                f"savings_plan_discount is a fraction from 0 to 1 (0.17 = 17% off), got {self.savings_plan_discount}"
            )
        if not self.currency.strip():
            raise InvalidArgumentError("currency must not be empty")

    @property
    def magenta_per_track(self) -> Decimal:
        """The Magenta Studio figure as a price per track ($45 / 500 = $0.09)."""
        return self.magenta_price / self.magenta_tracks

    @property
    def hardware_per_month(self) -> Decimal:
        """The computer's price spread evenly over its life, per month."""
        return self.hardware_price / self.hardware_life_months

    @classmethod
    def from_dict(cls, data, source: str = "<catalogue>") -> "Catalogue":
        """A checked catalogue from a dict shaped like the JSON file; `CatalogueError` names `source` and the problem."""
        if not isinstance(data, dict):
            raise CatalogueError(source, f"a catalogue is a JSON object of prices, got {type(data).__name__}")
        unknown = sorted(set(data) - _FIELD_NAMES)
        if unknown:
            raise CatalogueError(source, f"unknown field {unknown[0]!r} (known fields: {', '.join(_ORDER)})")
        missing = [name for name in _ORDER if name not in data and name != "note"]
        if missing:
            raise CatalogueError(source, f"missing field {missing[0]!r}")
        values = {}
        for name in _ORDER:
            if name not in data:
                continue
            value = data[name]
            if name in _TEXT:
                if not isinstance(value, str):
                    raise CatalogueError(source, f"{name} must be text, got {value!r}")
                values[name] = value
            elif isinstance(value, str) or value is None:
                raise CatalogueError(source, f"{name} must be a number, got {value!r}")
            else:
                try:
                    values[name] = to_decimal(value, name)
                except InvalidArgumentError as error:
                    raise CatalogueError(source, str(error)) from None
        try:
            return cls(**values)
        except InvalidArgumentError as error:
            raise CatalogueError(source, str(error)) from None

    def to_dict(self) -> dict:
        """The catalogue as JSON-ready values (numbers as exact text, e.g. "0.001")."""
        return {name: value if name in _TEXT else str(value) for name, value in ((n, getattr(self, n)) for n in _ORDER)}


_ORDER = [f.name for f in fields(Catalogue)]
_FIELD_NAMES = set(_ORDER)
_TEXT = {"name", "currency", "note"}
_ABOVE_ZERO = ("generation_unit_seconds", "magenta_tracks", "hardware_life_months")
_AT_LEAST_ZERO = tuple(name for name in _ORDER if name not in _TEXT and name not in _ABOVE_ZERO)


def read_json_file(path, error_class: type[CostFileError]):
    """The JSON value in `path`, with every number that has a fraction read as an exact Decimal.

    Raises `error_class(path, reason)` if the file is missing, unreadable or not JSON.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error_class(path, "no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise error_class(path, f"cannot be read ({error.__class__.__name__}: {error})") from None
    try:
        return json.loads(text, parse_float=Decimal)  # 0.1 stays exactly 0.1
    except json.JSONDecodeError as error:
        raise error_class(path, f"not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})") from None


def load_catalogue(path) -> Catalogue:
    """Read and check a catalogue JSON file. Raises `CatalogueError` naming the file and the problem."""
    return Catalogue.from_dict(read_json_file(path, CatalogueError), source=str(path))


def default_catalogue() -> Catalogue:
    """The shipped catalogue of illustrative prices (see the module docstring: not for real budgets)."""
    return load_catalogue(DEFAULT_CATALOGUE_PATH)


def as_catalogue(catalogue=None) -> Catalogue:
    """A `Catalogue` as given, one loaded from a file path, or (for None) the shipped default."""
    if catalogue is None:
        return default_catalogue()
    if isinstance(catalogue, Catalogue):
        return catalogue
    return load_catalogue(catalogue)
