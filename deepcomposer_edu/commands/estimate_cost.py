"""`deepcomposer estimate-cost`: a month's bill, line by line, from flags or a plan file.

Lesson: lessons/09_what_it_costs.ipynb. Rules: docs/costs.md.

    deepcomposer estimate-cost --training-hours 40 --tracks 500 --track-seconds 30 --style-transfers 100
    deepcomposer estimate-cost --plan studio.json --catalogue my_prices.json --json
"""

from __future__ import annotations

from ..cost.catalogue import as_catalogue
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
    parser.add_argument("--plan", metavar="FILE", help="a JSON plan file instead of the flags above (see docs/costs.md)")
    parser.add_argument("--catalogue", metavar="FILE", help="a JSON price catalogue (default: the shipped illustrative prices)")
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
    if args.json:
        print_json(bill.to_dict())
    else:
        print(bill.table())
    return 0
