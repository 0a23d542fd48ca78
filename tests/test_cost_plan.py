"""The billing rules of deepcomposer_edu/cost/plan.py and money.py, each against a hand-worked bill."""

from decimal import Decimal

import pytest

from deepcomposer_edu.cost import (
    MonthlyPlan,
    TrackBatch,
    billing_units,
    estimate,
    estimate_cost,
    game_studio_month,
    to_cents,
)
from deepcomposer_edu.cost.money import format_price
from deepcomposer_edu.errors import InvalidArgumentError


def cost_of(bill, activity_start):
    [item] = [item for item in bill.items if item.activity.startswith(activity_start)]
    return item.cost


def test_the_source_game_studio_month_reproduces_to_the_cent():
    bill = estimate(game_studio_month())
    assert cost_of(bill, "Model training") == Decimal("10.00")  # 40 h x 0.25
    assert cost_of(bill, "Generation") == Decimal("0.50")  # 500 x 1 unit x 0.001
    assert cost_of(bill, "Style transfer") == Decimal("0.50")  # 100 x 0.005
    assert bill.total == Decimal("11.00")
    assert isinstance(bill.total, Decimal)


def test_the_savings_plan_changes_the_studio_month_from_11_00_to_9_30():
    bill = estimate(game_studio_month())
    assert bill.savings_plan_applies
    assert bill.savings_plan_discount == Decimal("1.70")  # 17% of 10.00
    assert bill.total_with_savings_plan == Decimal("9.30")
    table = bill.table()
    assert "9.30" in table and "-1.70" in table


@pytest.mark.parametrize(
    "seconds, units",
    [(30, 1), (45, 2), (1, 1), (29.9, 1), (30.01, 2), (60, 2), (61, 3), ("90", 3), (0, 0)],
)
def test_generation_is_billed_per_started_30_seconds(seconds, units):
    assert billing_units(seconds) == units


def test_a_45_second_track_costs_two_units():
    bill = estimate_cost(tracks=1000, track_seconds=45)
    assert cost_of(bill, "Generation") == Decimal("2.00")  # 1000 tracks x 2 units x 0.001
    assert "2000 units" in bill.table()


def test_a_30_second_track_costs_one_unit():
    assert cost_of(estimate_cost(tracks=1000, track_seconds=30), "Generation") == Decimal("1.00")


def test_zero_tracks_cost_nothing():
    bill = estimate_cost(tracks=0)
    assert cost_of(bill, "Generation") == Decimal("0.00")
    assert bill.total == Decimal("0.00")


def test_tracks_of_several_lengths_are_billed_separately():
    plan = MonthlyPlan(tracks=(TrackBatch(100, 30), TrackBatch(100, 45), TrackBatch(10, 120)))
    # 100 x 1 + 100 x 2 + 10 x 4 = 340 units -> 0.34
    assert estimate(plan).total == Decimal("0.34")


def test_savings_plan_starts_at_exactly_10_hours():
    under, at = estimate_cost(training_hours="9.9"), estimate_cost(training_hours=10)
    assert not under.savings_plan_applies
    assert under.total_with_savings_plan == under.total == Decimal("2.48")  # 2.475 rounded half up
    assert at.savings_plan_applies
    assert at.total == Decimal("2.50")
    assert at.savings_plan_discount == Decimal("0.43")  # 17% of 2.50 = 0.425 -> 0.43, half up
    assert at.total_with_savings_plan == Decimal("2.07")  # 10 hours on the plan cost less than 9.9 without


def test_savings_plan_discounts_all_hours_not_only_those_above_ten():
    assert estimate_cost(training_hours=20).savings_plan_discount == Decimal("0.85")  # 17% of 5.00


def test_savings_plan_never_touches_generation_or_style_transfer():
    bill = estimate_cost(training_hours=0, tracks=10000, style_transfers=1000)
    assert bill.savings_plan_discount == 0
    assert bill.total_with_savings_plan == bill.total == Decimal("15.00")  # 10.00 + 5.00


@pytest.mark.parametrize(
    "amount, cents",
    [
        ("0.005", "0.01"),
        ("0.0049", "0.00"),
        ("0.425", "0.43"),
        ("2.475", "2.48"),
        ("0.015", "0.02"),
        ("-0.425", "-0.43"),
    ],
)
def test_rounding_is_to_the_cent_half_up(amount, cents):
    assert to_cents(Decimal(amount)) == Decimal(cents)


def test_each_line_is_rounded_and_the_total_adds_the_rounded_lines():
    # 0.1 h x 0.25 = 0.025 -> 0.03; 3 tracks x 0.001 = 0.003 -> 0.00; 1 transfer = 0.005 -> 0.01
    bill = estimate_cost(training_hours="0.1", tracks=3, style_transfers=1)
    assert [item.cost for item in bill.items] == [Decimal("0.03"), Decimal("0.00"), Decimal("0.01")]
    assert bill.total == Decimal("0.04")  # not to_cents(0.025 + 0.003 + 0.005) = 0.03


def test_float_inputs_do_not_leak_binary_error_into_the_bill():
    # 4.02 h x 0.25 = 1.005 -> 1.01. In binary floats 4.02 is 4.01999..., and round(4.02 * 0.25, 2) gives 1.0.
    assert round(4.02 * 0.25, 2) == 1.0
    assert estimate_cost(training_hours=4.02).items[0].cost == Decimal("1.01")


def test_unit_prices_show_every_significant_decimal():
    assert format_price(Decimal("0.001")) == "0.001"
    assert format_price(Decimal("0.25")) == "0.25"
    assert format_price(Decimal("45")) == "45.00"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"training_hours": -1},
        {"training_hours": float("nan")},
        {"training_hours": "lots"},
        {"tracks": -3},
        {"tracks": 2.5},
        {"tracks": 3, "track_seconds": 0},
        {"tracks": 3, "track_seconds": -30},
        {"style_transfers": -1},
        {"style_transfers": True},
    ],
)
def test_bad_values_are_refused_with_a_clear_error(kwargs):
    with pytest.raises(InvalidArgumentError) as error:
        estimate_cost(**kwargs)
    assert "\n" not in str(error.value)


def test_estimate_as_json_ready_dict_keeps_exact_text():
    data = estimate(game_studio_month()).to_dict()
    assert data["total"] == "11.00"
    assert data["savings_plan"] == {"applies": True, "discount": "1.70", "total": "9.30"}
    assert [item["cost"] for item in data["items"]] == ["10.00", "0.50", "0.50"]
    assert data["plan"]["tracks"] == [{"count": 500, "seconds": "30", "label": "combat tracks"}]
