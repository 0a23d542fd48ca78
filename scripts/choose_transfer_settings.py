"""Choose, per target style, how strongly style transfer steers towards the source; write it into the card.

    python scripts/choose_transfer_settings.py --grid /tmp/steering-grid --jobs 2   # runs CANDIDATES, then chooses
    python scripts/choose_transfer_settings.py /tmp/steering-grid/*.json            # choose from results already run

`--grid DIR` runs `scripts/evaluate_style_transfer.py --split valid --per-style 20 ... --json DIR/NAME.json`
for every candidate below that DIR does not hold yet (about 40 s each on one core), then chooses among the
candidates' results (other files in DIR are ignored). Every candidate is run on the **valid** split. For
each style it keeps the candidate with the highest transfer strength among those whose contour correlation
is at least `--min-contour` (0.65: a margin over the 0.6 asked) and whose melodies are still plausible for
the style (`plausible`); if none qualifies, the one with the highest contour correlation. Candidates with
several drafts a bar are chosen only if they beat the best single-draft one by `DRAFT_MARGIN`. Exact ties
go to the file name that sorts first. The test split is measured only afterwards, with the chosen settings
(docs/style_transfer.md).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from deepcomposer_edu.registry import SHIPPED_DIR
from deepcomposer_edu.transfer.transferer import TransferSettings


# (style_contrast, keep_contour, contour_slack, temperature[, keep_rhythm[, bar_drafts]]): the candidates of the
# shipped card's choice; keep_rhythm is 0.5 and bar_drafts 1 where not given, keep_key always KEEP_KEY
CANDIDATES = [(contrast, 2.0, 1.5, 0.9) for contrast in (0, 0.5, 1, 1.5, 2, 3)] + \
    [(contrast, 2.0, 3.0, 0.9) for contrast in (0, 0.5, 1, 1.5, 2, 3)] + \
    [(contrast, 2.0, 3.0, 0.7) for contrast in (0, 0.5, 1, 2)] + \
    [(contrast, 1.0, 1.5, 0.9) for contrast in (0, 0.5, 1, 2)] + \
    [(contrast, 1.0, 0.0, 0.9) for contrast in (0, 0.5, 1, 2)] + \
    [(contrast, 1.0, 3.0, 0.7) for contrast in (0, 0.5, 1, 1.5, 2)] + \
    [(3, 3.0, 1.5, 0.9), (2, 3.0, 1.5, 0.9), (2, 3.0, 0.0, 0.9)] + \
    [(3, 2.0, 3.0, 0.9, 0.0), (2, 2.0, 3.0, 0.9, 0.0), (3, 2.0, 1.5, 0.9, 0.0), (2, 3.0, 1.5, 0.9, 0.0),
     (1.5, 2.0, 3.0, 0.9, 0.0), (2, 1.0, 3.0, 0.7, 0.0)] + \
    [(contrast, 2.0, 3.0, 0.9, 0.5, 3) for contrast in (0, 1, 2, 3)] + \
    [(contrast, 2.0, 1.5, 0.9, 0.5, 3) for contrast in (1, 2)] + \
    [(contrast, 2.0, 3.0, 0.7, 0.5, 3) for contrast in (1, 2)] + \
    [(2, 1.0, 3.0, 0.7, 0.0, 3), (3, 2.0, 3.0, 0.9, 0.0, 3), (1.5, 2.0, 3.0, 0.9, 0.0, 3), (2, 3.0, 1.5, 0.9, 0.0, 3)]
# Contrast stops at 3: beyond it melodies turn into caricatures (at 5, transfers into European folk repeat the
# previous pitch on 59% of notes, real songs on 27%; docs/style_transfer.md).
PER_STYLE = 20
DRAFT_MARGIN = 0.05  # three drafts a bar cost three times the time: they must win at least this much strength
KEEP_KEY = 2.0  # every candidate's; given explicitly, so a run never depends on what the card holds now


def plausible(result: dict) -> bool:
    """Whether the transfers' mean notes per beat and share of repeated pitches lie between the 10th and 90th
    percentile of real melodies of the style: a strong push can win the judge with a caricature (a note
    repeated again and again, or a melody of long notes only), and that is not a transfer a musician wants."""
    for key in ("notes_per_beat", "repeated_pitches"):
        if key not in result or f"real_{key}_p10_p90" not in result:
            return False  # a result without the statistics cannot show it is plausible
        low, high = result[f"real_{key}_p10_p90"]
        if not low <= result[key] <= high:
            return False
    return True


def unpack(candidate: tuple) -> tuple:
    """(style_contrast, keep_contour, contour_slack, temperature, keep_rhythm, bar_drafts), defaults filled in."""
    return (*candidate, 0.5, 1)[:6] if len(candidate) == 4 else (*candidate, 1)[:6]


def candidate_file(folder: Path, candidate: tuple) -> Path:
    """Where a candidate's result lives in the grid folder, e.g. g2-c2-s3-t0.9.json (-r0: keep_rhythm 0, -d3:
    three drafts a bar)."""
    contrast, contour, slack, temperature, rhythm, drafts = unpack(candidate)
    name = (f"g{contrast:g}-c{contour:g}-s{slack:g}-t{temperature:g}" + ("" if rhythm == 0.5 else f"-r{rhythm:g}")
            + ("" if drafts == 1 else f"-d{drafts}"))
    return folder / f"{name}.json"


def run_grid(folder: Path, jobs: int) -> list[str]:
    """Run every candidate not yet in `folder` on the valid split; the paths of the candidates' results.

    Only CANDIDATES' files are returned: anything else in the folder (an experiment of the day) is not chosen from."""
    folder.mkdir(parents=True, exist_ok=True)
    script = Path(__file__).with_name("evaluate_style_transfer.py")

    def run(candidate) -> None:
        contrast, contour, slack, temperature, rhythm, drafts = unpack(candidate)
        result = candidate_file(folder, candidate)
        if not result.exists():
            subprocess.run([sys.executable, str(script), "--split", "valid", "--per-style", str(PER_STYLE),
                            "--style-contrast", str(contrast), "--keep-contour", str(contour), "--contour-slack",
                            str(slack), "--temperature", str(temperature), "--keep-rhythm", str(rhythm),
                            "--keep-key", str(KEEP_KEY), "--bar-drafts", str(drafts), "--json", str(result)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print(f"ran {result.name}", flush=True)

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(run, CANDIDATES))
    return [str(candidate_file(folder, candidate)) for candidate in CANDIDATES]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="*", help="JSON files written by evaluate_style_transfer.py --json")
    parser.add_argument("--grid", metavar="DIR", help="run the CANDIDATES on valid into DIR first, then choose")
    parser.add_argument("--jobs", type=int, default=1, help="candidates run at once with --grid")
    parser.add_argument("--min-contour", type=float, default=0.65)
    parser.add_argument("--card", default=str(SHIPPED_DIR / "style-melody" / "card.json"))
    args = parser.parse_args(argv)
    if args.grid:
        args.results = run_grid(Path(args.grid), args.jobs)
    if not args.results:
        parser.error("give result files, or --grid DIR")

    defaults = dataclasses.asdict(TransferSettings())
    runs = []
    for path in sorted(args.results, key=lambda path: Path(path).name):  # exact ties go to the first name
        result = json.loads(open(path).read())
        if result["split"] != "valid" or result["unseen"]:
            raise SystemExit(f"{path}: settings are chosen on the valid split only")
        given = {key: value for key, value in result["options"].items() if value is not None}
        options = {**defaults, **given}  # every knob written out (grid runs give each one explicitly)
        runs.append((options, result["styles"]))

    chosen = {}
    for style in runs[0][1]:
        good = [(run[style]["transfer_strength"], options) for options, run in runs
                if run[style]["contour_correlation"] >= args.min_contour and plausible(run[style])]
        once = [item for item in good if item[1]["bar_drafts"] == 1]
        drafted = [item for item in good if item[1]["bar_drafts"] > 1]
        if once and drafted and max(s for s, _ in drafted) < max(s for s, _ in once) + DRAFT_MARGIN - 1e-9:
            good = once  # drafts that do not earn their time are not worth it
        if good:
            strength, options = max(good, key=lambda item: item[0])
        else:
            options = max(runs, key=lambda run: run[1][style]["contour_correlation"])[0]
        chosen[style] = options
        print(f"{style:15} {options}")

    card = json.loads(open(args.card).read())
    card["settings"]["steering"] = chosen
    how = f"--grid {args.grid}" if args.grid else " ".join(args.results)
    card["metrics"]["steering_chosen_by"] = (f"python scripts/choose_transfer_settings.py {how} "
                                             f"--min-contour {args.min_contour} (valid split, {len(runs)} candidates)")
    with open(args.card, "w") as file:
        file.write(json.dumps(card, indent=2) + "\n")
    print(f"wrote the steering of {len(chosen)} styles into {args.card}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
