"""Measured local cost and the cloud / Magenta-style / local comparison (cost/measure.py, cost/compare.py)."""

import time
from decimal import Decimal

import matplotlib
import pytest

from deepcomposer_edu.cost import MonthlyPlan, default_catalogue, game_studio_month
from deepcomposer_edu.cost.compare import (
    CostLine,
    break_even,
    break_even_table,
    cloud_line,
    compare_month,
    local_line,
    magenta_line,
    plot_cost_lines,
)
from deepcomposer_edu.cost.measure import (
    energy_kwh,
    format_local_costs,
    local_generation_cost,
    local_training_cost,
    measure,
)
from deepcomposer_edu.errors import InvalidArgumentError

matplotlib.use("Agg")


def test_measure_times_any_callable_and_keeps_its_result():
    calls = []

    def workload():
        calls.append(1)
        time.sleep(0.02)
        return "done"

    measurement = measure(workload, label="nap", repeats=3)
    assert len(calls) == 3 and len(measurement.runs) == 3
    assert measurement.result == "done"
    assert all(run >= 0.02 for run in measurement.runs)
    assert measurement.seconds == sorted(measurement.runs)[1]  # the median of three


def test_measure_needs_at_least_one_run():
    with pytest.raises(InvalidArgumentError):
        measure(lambda: None, repeats=0)


def test_energy_is_watts_times_seconds_in_kilowatt_hours():
    assert energy_kwh(3600, 45) == Decimal("0.045")  # an hour at 45 W
    assert energy_kwh(80, 45) == Decimal("0.001")  # 3600 J
    with pytest.raises(InvalidArgumentError):
        energy_kwh(-1, 45)


def test_local_training_cost_against_the_cloud_hourly_price():
    # 2 hours at 100 W = 0.2 kWh; at 0.30 a kWh that is 0.06. The cloud bills 2 h x 0.25 = 0.50.
    cost = local_training_cost(7200, watts=100)
    assert cost.energy_kwh == Decimal("0.2")
    assert cost.electricity == Decimal("0.06")
    assert cost.cloud_equivalent == Decimal("0.50")


def test_local_generation_cost_uses_the_per_started_30_seconds_rule():
    # 4 pieces of 45 s: 8 units x 0.001 in the cloud; 36 s here at 45 W = 0.00045 kWh x 0.30
    cost = local_generation_cost(36, music_seconds=45, count=4)
    assert cost.cloud_equivalent == Decimal("0.008")
    assert cost.electricity == Decimal("0.000135")


def test_default_power_comes_from_the_catalogue_and_can_be_overridden():
    assert local_training_cost(3600).watts == default_catalogue().power_watts
    assert local_training_cost(3600, watts=15).energy_kwh == Decimal("0.015")


def test_local_cost_table_shows_each_measurement():
    table = format_local_costs([local_training_cost(7200, watts=100, label="GAN training")])
    assert "GAN training" in table and "0.0600" in table and "0.500" in table


def test_break_even_of_a_hand_worked_pair():
    # Local: 20.00 a month plus 0.0001 a track. Cloud: nothing fixed, 0.0101 a track.
    # 20 + 0.0001 n = 0.0101 n  ->  n = 20 / 0.01 = 2000 tracks
    local, cloud = CostLine("local", Decimal(20), Decimal("0.0001")), CostLine("cloud", Decimal(0), Decimal("0.0101"))
    assert break_even(local, cloud) == Decimal(2000)
    assert break_even(cloud, local) == Decimal(2000)
    assert local.cost(1999) > cloud.cost(1999) and local.cost(2001) < cloud.cost(2001)


def test_parallel_lines_never_break_even():
    assert break_even(CostLine("a", Decimal(1), Decimal("0.1")), CostLine("b", Decimal(2), Decimal("0.1"))) is None


def test_lines_that_cross_below_zero_tracks_never_break_even():
    # a is cheaper to start with and per track: it would only equal b at -10 tracks
    assert break_even(CostLine("a", Decimal(0), Decimal(1)), CostLine("b", Decimal(10), Decimal(2))) is None


def test_cloud_line_at_500_tracks_is_the_source_studio_month():
    line = cloud_line(game_studio_month())
    assert line.fixed == Decimal("10.50")  # training 10.00 + style transfers 0.50
    assert line.cost(500) == Decimal("11.00")
    assert cloud_line(game_studio_month(), savings_plan=True).cost(500) == Decimal("9.30")


def test_magenta_line_passes_through_the_source_point():
    assert magenta_line().cost(500) == Decimal("45.00")
    assert magenta_line().cost(0) == 0


def test_local_line_is_hardware_per_month_plus_measured_energy():
    # hardware 1000 / 36 a month; 40 h training at 45 W = 1.8 kWh x 0.30 = 0.54; 2 s a track at 45 W
    line = local_line(MonthlyPlan(training_hours=40), seconds_per_track=2)
    assert line.fixed == Decimal(1000) / 36 + Decimal("0.54")
    assert line.per_track == Decimal("0.0000075")  # 90 J = 0.000025 kWh x 0.30


def test_compare_month_finds_where_local_beats_the_cloud():
    cloud, magenta, local = compare_month(game_studio_month(), seconds_per_track=0)
    tracks = break_even(local, cloud)
    # local fixed = 27.777... + 0.54, cloud fixed 10.50, cloud 0.001 a track, local 0 a track
    assert tracks == (Decimal(1000) / 36 + Decimal("0.54") - Decimal("10.50")) / Decimal("0.001")
    assert "Magenta-style" in break_even_table([cloud, magenta, local])


def test_plot_draws_one_line_per_option_and_marks_break_even_points():
    lines = compare_month(game_studio_month(), seconds_per_track=0.01)
    figure = plot_cost_lines(lines)
    ax = figure.axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert [name for name in labels if not name.startswith("_")] == [line.name for line in lines]
    assert len(ax.get_lines()) == 3 + 3  # three options, three crossings (all at 1 track or more)
    matplotlib.pyplot.close(figure)
