"""`deepcomposer datasets list|info` (deepcomposer_edu/commands/datasets.py)."""

import json
import subprocess
import sys

from deepcomposer_edu.cli import main
from deepcomposer_edu.data import corpus_info, list_corpora


def test_list_names_every_corpus(capsys):
    assert main(["datasets", "list"]) == 0
    out = capsys.readouterr().out
    for name in list_corpora():
        assert name in out
    total = sum(corpus_info(name)["pieces"] for name in list_corpora())
    assert f"{total:,} pieces" in out


def test_list_json(capsys):
    assert main(["datasets", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["name"] for row in rows] == list_corpora()
    assert rows[0]["pieces"] == corpus_info(rows[0]["name"])["pieces"]


def test_info_by_name_and_by_style(capsys):
    assert main(["datasets", "info", "bach_chorales", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["name"] == "bach_chorales" and info["style_table"]["pack"] == "orchestral"
    assert sum(info["splits"].values()) == info["pieces"]
    assert main(["datasets", "info", "jig"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("oneills_1850:") and "splits" in out and "sha256" in out


def test_unknown_corpus_exits_2_with_one_line():
    run = subprocess.run([sys.executable, "-m", "deepcomposer_edu", "datasets", "info", "nope"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "unknown corpus 'nope'" in run.stderr and "Traceback" not in run.stderr
