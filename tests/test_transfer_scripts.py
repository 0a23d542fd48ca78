"""The rules the style-transfer scripts apply: how steering is chosen (scripts/choose_transfer_settings.py) and
how sure a measured transfer strength is (scripts/evaluate_style_transfer.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import choose_transfer_settings as choose  # noqa: E402
import evaluate_style_transfer as evaluate  # noqa: E402


def result(notes_per_beat=1.2, repeated=0.2):
    return {"notes_per_beat": notes_per_beat, "repeated_pitches": repeated,
            "real_notes_per_beat_p10_p90": [0.8, 1.6], "real_repeated_pitches_p10_p90": [0.1, 0.35]}


def test_a_transfer_is_plausible_only_inside_the_real_styles_10th_to_90th_percentiles():
    assert choose.plausible(result())
    assert not choose.plausible(result(notes_per_beat=0.5))  # long notes only
    assert not choose.plausible(result(repeated=0.59))  # one pitch hammered again and again
    incomplete = result()
    del incomplete["real_repeated_pitches_p10_p90"]
    assert not choose.plausible(incomplete)  # no evidence is not evidence of plausibility


def test_the_grid_chooses_only_among_its_candidates_not_whatever_else_is_in_the_folder(tmp_path):
    for candidate in choose.CANDIDATES:  # every candidate already run: nothing is started
        choose.candidate_file(tmp_path, candidate).write_text("{}")
    (tmp_path / "an-experiment.json").write_text("{}")
    paths = choose.run_grid(tmp_path, jobs=1)
    assert len(paths) == len(set(paths)) == len(choose.CANDIDATES)
    assert str(tmp_path / "an-experiment.json") not in paths
    assert str(tmp_path / "g2-c2-s3-t0.9-r0.json") in paths and str(tmp_path / "g0-c2-s1.5-t0.9.json") in paths


def test_the_steering_chosen_for_a_style_is_the_strongest_plausible_one_with_enough_contour(tmp_path):
    def run(name, contrast, strength, contour, notes_per_beat=1.2):
        styles = {"irish": {"transfer_strength": strength, "contour_correlation": contour, **result(notes_per_beat)}}
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps({"split": "valid", "unseen": False, "styles": styles,
                                    "options": {"style_contrast": contrast, "keep_contour": 2.0}}))
        return str(path)

    card = tmp_path / "card.json"
    card.write_text(json.dumps({"settings": {}, "metrics": {}}))
    paths = [run("weak", 0.0, 0.4, 0.8), run("caricature", 3.0, 0.9, 0.7, notes_per_beat=0.4),
             run("loose", 2.0, 0.8, 0.5), run("chosen", 1.0, 0.6, 0.7)]
    assert choose.main([*paths, "--card", str(card)]) == 0
    steering = json.loads(card.read_text())["settings"]["steering"]["irish"]
    assert steering["style_contrast"] == 1.0


def test_drafts_are_chosen_only_when_they_earn_their_extra_time(tmp_path):
    def run(name, drafts, strength):
        styles = {"irish": {"transfer_strength": strength, "contour_correlation": 0.7, **result()}}
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps({"split": "valid", "unseen": False, "styles": styles,
                                    "options": {"style_contrast": 1.0, "bar_drafts": drafts}}))
        return str(path)

    card = tmp_path / "card.json"
    # the margin is DRAFT_MARGIN = 0.05 over 0.50; 88 of 160 against 80 of 160 is exactly it
    for drafted_strength, expected in ((0.52, 1), (88 / 160, 3), (0.60, 3)):
        card.write_text(json.dumps({"settings": {}, "metrics": {}}))
        paths = [run("once", 1, 80 / 160), run("drafted", 3, drafted_strength)]
        assert choose.main([*paths, "--card", str(card)]) == 0
        steering = json.loads(card.read_text())["settings"]["steering"]["irish"]
        assert steering["bar_drafts"] == expected
        assert set(steering) >= {"keep_contour", "keep_key", "temperature", "style_contrast", "bar_drafts"}


def test_the_95_percent_interval_of_a_measured_share_is_wilsons():
    assert evaluate.wilson_interval(50, 100) == pytest.approx((0.4038, 0.5962), abs=1e-4)
    low, high = evaluate.wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    assert evaluate.wilson_interval(0, 0) == (0.0, 1.0)
