"""`deepcomposer list-models`, `describe-model NAME`, `delete-model NAME`: what is in the registry.

Lesson: lessons/06_transfer_learning.ipynb. Registry layout and card schema: docs/service.md.
"""

from __future__ import annotations

from ..client import client
from ._options import add_json_option, add_registry_option, print_json


def register(subparsers) -> None:
    listing = subparsers.add_parser("list-models", help="list shipped and user models",
                                    description="List the models shipped with the package, then yours, with their cards.")
    add_json_option(listing)
    add_registry_option(listing)
    listing.set_defaults(run=run_list)

    describe = subparsers.add_parser("describe-model", help="show a model's card",
                                     description="Show a model's card: type, data, settings, metrics, the command that made it.")
    describe.add_argument("name", metavar="NAME", help="model name, e.g. markov-folk")
    add_json_option(describe)
    add_registry_option(describe)
    describe.set_defaults(run=run_describe)

    delete = subparsers.add_parser("delete-model", help="delete one of your models",
                                   description="Delete one of your models from the registry (shipped models cannot be deleted).")
    delete.add_argument("name", metavar="NAME", help="model name")
    add_registry_option(delete)
    delete.set_defaults(run=run_delete)


def run_list(args) -> int:
    models = client(args.registry).list_models()
    if args.json:
        print_json([model.to_dict() for model in models])
        return 0
    rows = [("NAME", "TYPE", "SOURCE", "VERSION", "CREATED", "DESCRIPTION")]
    rows += [(m.name, m.card.type, m.source, str(m.card.version), m.card.created, m.card.description) for m in models]
    widths = [max(len(row[column]) for row in rows) for column in range(5)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[5])
    return 0


def run_describe(args) -> int:
    model = client(args.registry).describe_model(args.name)
    if args.json:
        print_json(model.to_dict())
        return 0
    for key, value in model.to_dict().items():
        print(f"{key + ':':13} {value}")
    return 0


def run_delete(args) -> int:
    folder = client(args.registry).delete_model(args.name)
    print(f"deleted {args.name} ({folder})")
    return 0
