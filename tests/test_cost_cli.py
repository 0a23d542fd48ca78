"""`deepcomposer estimate-cost` (deepcomposer_edu/commands/estimate_cost.py) and plan files."""

import json
import re
import subprocess
import sys
from decimal import Decimal

import pytest

from deepcomposer_edu.cli import main
from deepcomposer_edu.cost import PlanError, estimate, load_plan
from deepcomposer_edu.cost.catalogue import DEFAULT_CATALOGUE_PATH

STUDIO_FLAGS = ["--training-hours", "40", "--tracks", "500", "--track-seconds", "30", "--style-transfers", "100"]


def total_line(output: str) -> str:
    [line] = [line for line in output.splitlines() if re.fullmatch(r"Total\s+\S+", line)]
    return line


def test_the_source_table_prints_a_total_of_11_00(capsys):
    assert main(["estimate-cost", *STUDIO_FLAGS]) == 0
    output = capsys.readouterr().out
    assert total_line(output).split()[-1] == "11.00"
    assert re.search(r"^Model training\s.*\s10\.00$", output, re.MULTILINE)
    assert re.search(r"^Generation: 500 tracks\s.*\s0\.50$", output, re.MULTILINE)
    assert re.search(r"^Style transfer\s.*\s0\.50$", output, re.MULTILINE)
    assert re.search(r"^Total with savings plan\s.*\s9\.30$", output, re.MULTILINE)


def test_json_output_is_machine_readable(capsys):
    assert main(["estimate-cost", *STUDIO_FLAGS, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == "11.00"
    assert data["savings_plan"]["total"] == "9.30"


def test_a_plan_file_gives_the_same_bill_as_the_flags(tmp_path, capsys):
    plan = tmp_path / "studio.json"
    plan.write_text(json.dumps({
        "name": "Studio",
        "training_hours": 40,
        "tracks": [{"count": 500, "seconds": 30, "label": "combat tracks"}],
        "style_transfers": 100,
    }))
    assert main(["estimate-cost", "--plan", str(plan)]) == 0
    output = capsys.readouterr().out
    assert total_line(output).split()[-1] == "11.00"
    assert "Generation: 500 combat tracks" in output


def test_a_plan_file_can_mix_track_lengths(tmp_path):
    plan = tmp_path / "mixed.json"
    plan.write_text('{"tracks": [{"count": 10, "seconds": 45}, {"count": 5, "seconds": 91.5}]}')
    # 10 x 2 units + 5 x 4 units = 40 units x 0.001 = 0.04
    assert estimate(load_plan(plan)).total == Decimal("0.04")


def test_a_catalogue_file_changes_the_printed_total(tmp_path, capsys):
    prices = json.loads(DEFAULT_CATALOGUE_PATH.read_text()) | {"training_per_hour": 1}
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(prices))
    assert main(["estimate-cost", *STUDIO_FLAGS, "--catalogue", str(path)]) == 0
    assert total_line(capsys.readouterr().out).split()[-1] == "41.00"  # 40 x 1.00 + 0.50 + 0.50


@pytest.mark.parametrize(
    "content, problem",
    [
        ("{", "not valid JSON"),
        ('{"training_hours": -2}', "training hours must not be negative"),
        ('{"training_hour": 2}', "unknown field 'training_hour'"),
        ('{"tracks": 500}', "tracks must be a list"),
        ('{"tracks": [{"seconds": 30}]}', "tracks entry 1"),
        ('{"tracks": [{"count": 1, "seconds": 0}]}', "track seconds must be more than 0"),
    ],
)
def test_a_bad_plan_file_names_the_file_and_the_problem(tmp_path, content, problem):
    path = tmp_path / "plan.json"
    path.write_text(content)
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert problem in str(caught.value)


def test_plan_and_activity_flags_together_are_refused(tmp_path, capsys):
    path = tmp_path / "plan.json"
    path.write_text("{}")
    assert main(["estimate-cost", "--plan", str(path), "--tracks", "3"]) == 2
    assert "--plan" in capsys.readouterr().err


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "deepcomposer_edu", "estimate-cost", *args], capture_output=True, text=True)


@pytest.mark.parametrize(
    "args, problem",
    [
        (["--training-hours", "-5"], "training hours must not be negative"),
        (["--tracks", "ten"], "number of tracks must be a number"),
        (["--tracks", "3", "--track-seconds", "0"], "track seconds must be more than 0"),
        (["--catalogue", "no/such/prices.json"], "no/such/prices.json: no such file"),
    ],
)
def test_bad_values_exit_2_with_one_line_and_no_traceback(args, problem):
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and problem in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_catalogue_through_the_command_line_exits_2(tmp_path):
    path = tmp_path / "prices.json"
    path.write_text(DEFAULT_CATALOGUE_PATH.read_text().replace('"training_per_hour": 0.25', '"training_per_hour": -0.25'))
    result = run_cli(*STUDIO_FLAGS, "--catalogue", str(path))
    assert result.returncode == 2
    assert f"{path}: training_per_hour must not be negative" in result.stderr
