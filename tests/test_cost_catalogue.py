"""Price catalogues (deepcomposer_edu/cost/catalogue.py): the shipped illustrative prices and user files."""

import json
from decimal import Decimal

import pytest

from deepcomposer_edu.cost import CatalogueError, default_catalogue, estimate, game_studio_month, load_catalogue
from deepcomposer_edu.cost.catalogue import DEFAULT_CATALOGUE_PATH
from deepcomposer_edu.errors import DeepComposerError


def default_fields() -> dict:
    return json.loads(DEFAULT_CATALOGUE_PATH.read_text())


def write(tmp_path, data, name="prices.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def test_default_catalogue_holds_the_source_prices_and_says_they_are_illustrative():
    catalogue = default_catalogue()
    assert catalogue.training_per_hour == Decimal("0.25")
    assert catalogue.generation_per_unit == Decimal("0.001")
    assert catalogue.generation_unit_seconds == 30
    assert catalogue.style_transfer_per_conversion == Decimal("0.005")
    assert catalogue.savings_plan_discount == Decimal("0.17")
    assert catalogue.savings_plan_min_hours == 10
    assert catalogue.magenta_price == Decimal("45") and catalogue.magenta_tracks == 500
    assert catalogue.magenta_per_track == Decimal("0.09")
    assert "illustrative" in catalogue.name.lower()


def test_prices_are_read_as_exact_decimals_not_floats():
    assert type(default_catalogue().generation_per_unit) is Decimal
    assert str(default_catalogue().generation_per_unit) == "0.001"


def test_a_user_catalogue_changes_the_bill(tmp_path):
    fields = default_fields() | {"name": "My prices", "training_per_hour": 0.5}
    catalogue = load_catalogue(write(tmp_path, fields))
    bill = estimate(game_studio_month(), catalogue)
    assert bill.total == Decimal("21.00")  # 40 h x 0.50 + 0.50 + 0.50
    assert bill.savings_plan_discount == Decimal("3.40")  # 17% of 20.00
    assert "My prices" in bill.table()


def test_hardware_is_spread_evenly_over_its_life():
    assert default_catalogue().hardware_per_month == Decimal(1000) / 36


def bad_catalogue_cases():
    fields = default_fields()
    without_price = {k: v for k, v in fields.items() if k != "training_per_hour"}
    return [
        ("not json {", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        (without_price, "missing field 'training_per_hour'"),
        (fields | {"training_per_hour": -0.25}, "training_per_hour must not be negative"),
        (fields | {"generation_per_unit": "cheap"}, "generation_per_unit must be a number"),
        (fields | {"gpu_per_hour": 3}, "unknown field 'gpu_per_hour'"),
        (fields | {"savings_plan_discount": 17}, "fraction"),
        (fields | {"generation_unit_seconds": 0}, "generation_unit_seconds must be more than 0"),
        (fields | {"hardware_life_months": 0}, "hardware_life_months must be more than 0"),
        (fields | {"power_watts": True}, "power_watts must be a number"),
        (fields | {"currency": 3}, "currency must be text"),
    ]


@pytest.mark.parametrize("content, problem", bad_catalogue_cases())
def test_a_bad_catalogue_file_gives_one_line_naming_the_file_and_the_problem(tmp_path, content, problem):
    path = write(tmp_path, content)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    message = str(caught.value)
    assert isinstance(caught.value, DeepComposerError)
    assert message.startswith(str(path) + ": ")
    assert problem in message
    assert "\n" not in message


def test_nan_price_is_refused(tmp_path):
    text = DEFAULT_CATALOGUE_PATH.read_text().replace('"electricity_per_kwh": 0.30', '"electricity_per_kwh": NaN')
    with pytest.raises(CatalogueError, match="electricity_per_kwh must be a finite number"):
        load_catalogue(write(tmp_path, text))


def test_a_missing_catalogue_file_is_named(tmp_path):
    with pytest.raises(CatalogueError, match="nowhere.json: no such file"):
        load_catalogue(tmp_path / "nowhere.json")
