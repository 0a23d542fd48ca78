"""`deepcomposer audit`: show the audit log of models created and music generated, filtered.

Lesson: lessons/09_cost.ipynb. Log format: docs/service.md.

    deepcomposer audit --action generate --model markov-folk --since 2025-07-01 --limit 20
"""

from __future__ import annotations

from ..audit import ACTIONS, read_events
from ._options import add_json_option, print_json


def register(subparsers) -> None:
    parser = subparsers.add_parser("audit", help="show the audit log of creations and generations",
                                   description="Show events from the audit log (DEEPCOMPOSER_HOME/audit.jsonl), oldest first.")
    parser.add_argument("--action", choices=ACTIONS, help="only this kind of event")
    parser.add_argument("--model", metavar="NAME", help="only events of this model")
    parser.add_argument("--since", metavar="DATE", help="only events at or after DATE (UTC), e.g. 2025-07-01")
    parser.add_argument("--limit", type=int, metavar="N", help="only the N most recent events")
    add_json_option(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    events = read_events(action=args.action, model=args.model, since=args.since, limit=args.limit)
    if args.json:
        print_json(events)
        return 0
    for event in events:
        outputs = ", ".join(item.get("path", item["sha256"][:12]) for item in event["outputs"])
        print(f"{event['time']}  {event['user']}  {event['action']:8}  {event['model'] or '-'}  "
              f"seed={event['seed']}  -> {outputs or '-'}")
    return 0
