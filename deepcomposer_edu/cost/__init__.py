"""What it costs: prices, a month's bill, the measured cost of running on your own computer, and break-even.

Lesson: lessons/09_what_it_costs.ipynb. Rules: docs/costs.md. Command: `deepcomposer estimate-cost`.

- `catalogue`: the price list (illustrative prices of the source description, or your own JSON file);
- `money`: exact Decimal money, rounded to the cent half up;
- `plan`: a month of activities -> a line-item `Estimate` (the source's game studio: $11.00);
- `measure`: time any workload on this machine -> energy -> money, and the cloud price of the same work;
- `compare`: monthly cost of cloud, Magenta-style and local as volume grows, break-even points, the plot;
- `workload`: a small real torch workload (train and generate on the example theme) to measure.
"""

from .catalogue import Catalogue, CatalogueError, CostFileError, default_catalogue, load_catalogue
from .compare import CostLine, break_even, compare_month, plot_cost_lines
from .measure import LocalCost, Measurement, local_generation_cost, local_training_cost, measure
from .money import format_money, to_cents
from .plan import (
    Estimate,
    LineItem,
    MonthlyPlan,
    PlanError,
    TrackBatch,
    billing_units,
    estimate,
    estimate_cost,
    game_studio_month,
    load_plan,
)

__all__ = [
    "Catalogue",
    "CatalogueError",
    "CostFileError",
    "CostLine",
    "Estimate",
    "LineItem",
    "LocalCost",
    "Measurement",
    "MonthlyPlan",
    "PlanError",
    "TrackBatch",
    "billing_units",
    "break_even",
    "compare_month",
    "default_catalogue",
    "estimate",
    "estimate_cost",
    "format_money",
    "game_studio_month",
    "load_catalogue",
    "load_plan",
    "local_generation_cost",
    "local_training_cost",
    "measure",
    "plot_cost_lines",
    "to_cents",
]
