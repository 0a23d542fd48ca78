"""Choose, per target style, how strongly style transfer steers towards the source; write it into the card.

    python scripts/evaluate_style_transfer.py --split valid --per-style 8 --json /tmp/g2-A.json   # one per setting
    python scripts/evaluate_style_transfer.py --split valid --per-style 8 --keep-contour 1.5 --json /tmp/g2-C.json
    python scripts/choose_transfer_settings.py /tmp/g2-*.json          # -> pretrained/style-melody/card.json

Every candidate was run on the **valid** split. For each style it keeps the candidate with the highest
transfer strength among those whose contour correlation is at least `--min-contour` (0.65: a margin over
the 0.6 asked); if none reaches it, the one with the highest contour correlation. The test split is measured
only afterwards, with the chosen settings (docs/style_transfer.md).
"""

from __future__ import annotations

import argparse
import json
import sys

from deepcomposer_edu.registry import SHIPPED_DIR
from deepcomposer_edu.transfer.transferer import TransferSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", help="JSON files written by evaluate_style_transfer.py --json")
    parser.add_argument("--min-contour", type=float, default=0.65)
    parser.add_argument("--card", default=str(SHIPPED_DIR / "style-melody" / "card.json"))
    args = parser.parse_args(argv)

    defaults = TransferSettings()
    runs = []
    for path in args.results:
        result = json.loads(open(path).read())
        if result["split"] != "valid" or result["unseen"]:
            raise SystemExit(f"{path}: settings are chosen on the valid split only")
        options = {key: getattr(defaults, key) if value is None else value for key, value in result["options"].items()}
        runs.append((options, result["styles"]))

    chosen = {}
    for style in runs[0][1]:
        good = [(run[style]["transfer_strength"], options) for options, run in runs
                if run[style]["contour_correlation"] >= args.min_contour]
        if good:
            strength, options = max(good, key=lambda item: item[0])
        else:
            options = max(runs, key=lambda run: run[1][style]["contour_correlation"])[0]
        chosen[style] = options
        print(f"{style:15} {options}")

    card = json.loads(open(args.card).read())
    card["settings"]["steering"] = chosen
    card["metrics"]["steering_chosen_by"] = ("python scripts/choose_transfer_settings.py " + " ".join(args.results) +
                                             f" --min-contour {args.min_contour} (valid split)")
    with open(args.card, "w") as file:
        file.write(json.dumps(card, indent=2) + "\n")
    print(f"wrote the steering of {len(chosen)} styles into {args.card}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
