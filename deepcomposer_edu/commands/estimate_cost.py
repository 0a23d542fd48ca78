"""`deepcomposer estimate-cost`: a month's bill, line by line, from flags or a plan file.

Lesson: lessons/09_what_it_costs.ipynb. Rules: docs/costs.md.

    deepcomposer estimate-cost --training-hours 40 --tracks 500 --track-seconds 30 --style-transfers 100
    deepcomposer estimate-cost --plan studio.json --catalogue my_prices.json --json
    deepcomposer estimate-cost --training-hours 40 --style-transfers 100 --compare --watts 65

`--compare` also times one generated piece on this computer (the course's GAN) and prints the monthly cost
of the cloud, a Magenta-style service and this computer as lines in the number of tracks, with the volumes
where they break even.
"""

from __future__ import annotations

from decimal import Decimal

from ..cost.catalogue import as_catalogue
from ..cost.compare import break_even_table, compare_month
from ..cost.measure import format_local_costs, local_generation_cost, measure
from ..cost.money import to_decimal
from ..cost.plan import estimate, estimate_cost, load_plan
from ..errors import InvalidArgumentError
from ._options import add_json_option, print_json

_ACTIVITY_FLAGS = ("training_hours", "tracks", "track_seconds", "style_transfers")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "estimate-cost",
        help="estimate a month's bill for training, generation and style transfer",
        description=(
            "Print a line-item estimate of a month's usage at the catalogue's prices (by default the illustrative "
            "prices of the source description), with and without the savings plan. Rules: docs/costs.md."
        ),
    )
    parser.add_argument("--training-hours", metavar="H", help="hours of model training in the month (default 0)")
    parser.add_argument("--tracks", metavar="N", help="number of tracks generated (default 0)")
    parser.add_argument("--track-seconds", metavar="S", help="length of each track in seconds (default 30)")
    parser.add_argument("--style-transfers", metavar="N", help="number of style transfer conversions (default 0)")
    parser.add_argument(
        "--plan", metavar="FILE", help="a JSON plan file instead of the flags above (see docs/costs.md)"
    )
    parser.add_argument(
        "--catalogue", metavar="FILE", help="a JSON price catalogue (default: the shipped illustrative prices)"
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="also time one generated piece here and compare cloud, Magenta-style and local costs (break-even volumes)",
    )
    parser.add_argument(
        "--watts", metavar="W", help="power drawn while working, for --compare (default: the catalogue's)"
    )
    add_json_option(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    catalogue = as_catalogue(args.catalogue)
    given = [name for name in _ACTIVITY_FLAGS if getattr(args, name) is not None]
    if args.plan:
        if given:
            flags = ", ".join("--" + name.replace("_", "-") for name in given)
            raise InvalidArgumentError(f"give either --plan or activity flags, not both (got --plan and {flags})")
        bill = estimate(load_plan(args.plan), catalogue)
    else:
        bill = estimate_cost(
            training_hours=args.training_hours or 0,
            tracks=args.tracks or 0,
            track_seconds=args.track_seconds or 30,
            style_transfers=args.style_transfers or 0,
            catalogue=catalogue,
        )
    report = bill.to_dict()
    if args.compare:
        lines, local = _compare(bill.plan, catalogue, args.watts)
        report["comparison"] = {
            "measured": local.to_dict(),
            "lines": [
                {"name": line.name, "fixed": str(line.fixed), "per_track": str(line.per_track)} for line in lines
            ],
            "break_even": break_even_table(lines, catalogue.currency).splitlines(),
        }
    if args.json:
        print_json(report)
        return 0
    print(bill.table())
    if args.compare:
        print()
        print(format_local_costs([local], catalogue.currency))
        print()
        print(break_even_table(lines, catalogue.currency))
    return 0


def _compare(plan, catalogue, watts):
    """Time one GAN piece here (3 runs, median), then the three options' monthly cost lines for `plan`."""
    from ..cost.workload import generate_piece, piece_seconds, untrained_generator  # torch: only when asked

    generator = untrained_generator()
    measurement = measure(lambda: generate_piece(generator), label="one generated piece (GAN)", repeats=3)
    music_seconds = piece_seconds(generator)
    local = local_generation_cost(
        measurement.seconds, music_seconds, catalogue=catalogue, watts=watts, label=measurement.label
    )
    track_seconds = plan.tracks[0].seconds if plan.tracks else Decimal(30)
    seconds_per_track = (
        to_decimal(measurement.seconds, "seconds") * track_seconds / to_decimal(music_seconds, "seconds")
    )
    return compare_month(plan, seconds_per_track, catalogue, track_seconds, watts), local
