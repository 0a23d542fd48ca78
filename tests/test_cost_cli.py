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
    assert data["catalogue"]["generation_per_unit"] == "0.001"  # the prices used, exactly


def test_a_plan_file_gives_the_same_bill_as_the_flags(tmp_path, capsys):
    plan = tmp_path / "studio.json"
    plan.write_text(
        json.dumps(
            {
                "name": "Studio",
                "training_hours": 40,
                "tracks": [{"count": 500, "seconds": 30, "label": "combat tracks"}],
                "style_transfers": 100,
            }
        )
    )
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


@pytest.mark.parametrize(
    "args, problem",
    [
        (["--training-hours", "-5"], "training hours must not be negative"),
        (["--tracks", "ten"], "number of tracks must be a number"),
        (["--tracks", "3", "--track-seconds", "0"], "track seconds must be more than 0"),
        (["--catalogue", "no/such/prices.json"], "no/such/prices.json: no such file"),
    ],
)
def test_bad_values_exit_2_with_one_line(args, problem, capsys):
    assert main(["estimate-cost", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and problem in captured.err


def test_a_bad_catalogue_exits_2_from_a_real_process_without_a_traceback(tmp_path):
    path = tmp_path / "prices.json"
    path.write_text(
        DEFAULT_CATALOGUE_PATH.read_text().replace('"training_per_hour": 0.25', '"training_per_hour": -0.25')
    )
    command = [sys.executable, "-m", "deepcomposer_edu", "estimate-cost", *STUDIO_FLAGS, "--catalogue", str(path)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"deepcomposer: error: {path}: training_per_hour must not be negative, got -0.25\n"


def test_compare_times_a_real_piece_and_prints_break_even_volumes(capsys):
    assert main(["estimate-cost", *STUDIO_FLAGS, "--compare", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    comparison = data["comparison"]
    assert Decimal(comparison["measured"]["seconds"]) > 0
    assert comparison["measured"]["cloud_equivalent"] == "0.001"  # one 30 s piece = one unit
    cloud, magenta, local = comparison["lines"]
    assert (cloud["fixed"], cloud["per_track"]) == ("10.50", "0.001")  # training 10.00 + transfers 0.50
    assert magenta["per_track"] == "0.09"
    assert Decimal(local["fixed"]) > Decimal(1000) / 36  # the hardware's month, plus electricity
    # cloud and Magenta-style: 10.50 + 0.001 n = 0.09 n  ->  n = 10.50 / 0.089 = 117.98
    assert "Magenta-style: the same at 118.0 tracks a month" in comparison["break_even"][0]
