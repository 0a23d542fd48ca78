"""The melody-only style classifier: what it ignores, that it learns, that the shipped one judges, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
import torch

from deepcomposer_edu.cli import main as cli_main
from deepcomposer_edu.errors import DeepComposerError
from deepcomposer_edu.models.classifier import ClassifierConfig, StyleCNN
from deepcomposer_edu.music.midi import write_midi
from deepcomposer_edu.music.song import Note, Song, TempoChange, TimeSignature, Track
from deepcomposer_edu.styles import style_names
from deepcomposer_edu.transfer.classify import (
    StyleClassifier, beat_windows, estimate_tonic, load_style_classifier, melody_features,
)
from deepcomposer_edu.transfer.classify_training import evaluate, fit, style_windows
from deepcomposer_edu.transfer.melody import Melody, melody_line

C_MAJOR = [0, 2, 4, 5, 7, 9, 11]
WHOLE_TONE = [0, 2, 4, 6, 8, 10]


def stepwise(random: np.random.Generator, beats: int = 32) -> Melody:
    """A plain hymn-like line: quarter and half notes on the beat, moving by step in C major."""
    degree, onset, notes = 7, 0.0, []
    while onset < beats:
        length = float(random.choice([1.0, 1.0, 2.0]))
        degree = int(np.clip(degree + random.choice([-1, 1]), 0, 13))
        notes.append(Note(60 + 12 * (degree // 7) + C_MAJOR[degree % 7], onset, onset + length))
        onset += length
    return Melody.from_notes(notes)


def leaping_triplets(random: np.random.Generator, beats: int = 32) -> Melody:
    """A restless line: triplet eighths off the beat, leaping up and down by fourths to sevenths, whole-tone."""
    pitch, onset, notes = 66, 1.0 / 3.0, []
    while onset < beats:
        pitch = int(np.clip(pitch + random.choice([-1, 1]) * random.choice([6, 8, 10]), 50, 90))
        pitch -= pitch % 2  # on the whole-tone scale of C
        notes.append(Note(pitch, onset, onset + 1.0 / 3.0))
        onset += float(random.choice([1.0, 2.0])) / 3.0
    return Melody.from_notes(notes)


def tiny_classifier(styles: list[str], seed: int = 0) -> StyleClassifier:
    torch.manual_seed(seed)
    return StyleClassifier(StyleCNN(ClassifierConfig(styles=styles, width=16)).eval())


def song_of(melody: Melody, **changes) -> Song:
    return replace(Song(tracks=[Track(melody.notes(), program=0, name="melody")]), **changes)


@pytest.fixture
def one_thread():
    """Train on one thread, as the course does on a shared machine (two threads fight over busy cores)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def shipped():
    return load_style_classifier()


# --- what it sees -------------------------------------------------------------------------------------


def test_features_are_the_same_for_a_transposed_melody_except_its_pitch():
    melody = stepwise(np.random.default_rng(0))
    up = Melody(melody.pitches + 5, melody.onsets, melody.durations)
    a, b = melody_features(melody), melody_features(up)
    assert np.array_equal(a.codes[:, 1:], b.codes[:, 1:])  # intervals, degrees, rhythm: unchanged
    assert np.array_equal(a.codes[:, 0] + 5, b.codes[:, 0])
    assert np.allclose(a.contour, b.contour)


def test_tonic_of_a_c_major_scale_is_c_and_of_an_a_minor_arpeggio_is_a():
    scale = np.array([60, 62, 64, 65, 67, 69, 71, 72])
    assert estimate_tonic(scale, np.array([2, 1, 1, 1, 2, 1, 1, 2.0])) == (0, False)
    assert estimate_tonic(np.array([57, 60, 64, 69, 64, 60, 57]), np.ones(7)) == (9, True)


def test_onset_positions_read_sixteenths_triplets_and_groups_of_beats():
    melody = Melody(np.array([60, 62, 64, 65]), np.array([0.0, 0.25, 1.0 / 3.0, 3.5]), np.array([0.25, 0.1, 0.5, 1.0]))
    codes = melody_features(melody).codes
    assert codes[:, 5].tolist() == [0, 3, 4, 6]  # twelfths of a beat
    assert codes[:, 8].tolist() == [0, 0, 0, 7]  # half beats within 4 beats: 3.5 beats is the 8th half beat
    assert codes[:, 7].tolist() == [0, 0, 0, 1]  # within 3 beats: 3.5 is half a beat into the second group
    assert codes[:, 1].tolist() == [0, 23, 23, 22]  # first note, then +2, +2, +1 semitones (offset 21)


def test_tempo_meter_instrument_and_lower_voices_do_not_change_the_verdict():
    judge = tiny_classifier(["a", "b", "c"])
    melody = stepwise(np.random.default_rng(1), beats=64)
    plain = song_of(melody)
    bass = Track([Note(int(p) - 24, float(s), float(s + d)) for p, s, d in
                  zip(melody.pitches, melody.onsets, melody.durations)], program=32, name="bass")
    with_inner_voice = Track(melody.notes() + [Note(48, 0.0, 8.0), Note(50, 8.0, 16.0)], program=0)
    variants = [
        song_of(melody, tempos=[TempoChange(0.0, 60.0), TempoChange(16.0, 180.0)]),
        song_of(melody, time_signatures=[TimeSignature(0.0, 3, 4), TimeSignature(12.0, 6, 8)]),
        replace(plain, tracks=[Track(melody.notes(), program=73, name="flute")]),
        replace(plain, tracks=[Track(melody.notes(), program=40), bass]),
        replace(plain, tracks=[with_inner_voice]),
    ]
    whole, windowed = judge.probabilities([plain]), judge.song_probabilities(plain)
    for variant in variants:
        assert np.array_equal(judge.probabilities([variant]), whole)
        assert np.array_equal(judge.song_probabilities(variant), windowed)


def test_a_melody_scores_the_same_alone_as_padded_in_a_batch():
    judge = tiny_classifier(["a", "b"])
    random = np.random.default_rng(2)
    short, long = stepwise(random, beats=8), leaping_triplets(random, beats=40)
    together = judge.probabilities([short, long])
    assert np.allclose(together[0], judge.probabilities([short])[0], atol=1e-6)
    assert np.allclose(together[1], judge.probabilities([long])[0], atol=1e-6)
    assert np.allclose(together.sum(axis=1), 1.0)


def test_beat_windows_cover_a_long_melody_and_keep_a_short_one_whole():
    melody = Melody(np.full(60, 60), np.arange(60.0), np.ones(60))  # 60 beats of quarter notes
    windows = beat_windows(melody, beats=24, hop=12)
    assert [len(w) for w in windows] == [24, 24, 24, 24]  # starting at beats 0, 12, 24 and 36
    assert windows[1].onsets[0] == 0.0
    short = Melody(np.array([60, 62, 64]), np.array([0.0, 1.0, 2.0]), np.ones(3))
    assert beat_windows(short) == [short]


def test_an_empty_melody_is_refused_with_a_clear_error():
    with pytest.raises(DeepComposerError, match="no notes"):
        melody_features(Melody(np.array([], dtype=int), np.array([]), np.array([])))


# --- it learns -------------------------------------------------------------------------------------------


def test_a_tiny_training_run_separates_two_synthetic_styles(one_thread):
    random = np.random.default_rng(3)
    train_windows = [[stepwise(random) for _ in range(40)], [leaping_triplets(random) for _ in range(40)]]
    network = StyleCNN(ClassifierConfig(styles=["hymn", "restless"], width=16))
    network, summary = fit(network, train_windows, steps=40, batch_size=16, seed=0, progress=False)
    held_out = {"hymn": [stepwise(random) for _ in range(20)], "restless": [leaping_triplets(random) for _ in range(20)]}
    result = evaluate(StyleClassifier(network), held_out)
    assert summary["steps"] == 40
    assert result.per_style["hymn"] >= 0.9 and result.per_style["restless"] >= 0.9


# --- the shipped classifier --------------------------------------------------------------------------------


def test_the_shipped_classifier_knows_the_nine_styles(shipped):
    assert shipped.styles == style_names()
    assert shipped.card.metrics["test"]["per_style"].keys() == set(style_names())


def test_the_shipped_classifier_tells_held_out_chorales_from_irish_tunes(shipped):
    chorales = list(style_windows("chorale", "test"))[:12]
    tunes = list(style_windows("irish", "test"))[:12]
    assert sum(style == "chorale" for style in shipped.predict(chorales)) >= 8  # chance is 12 / 9
    assert sum(style == "irish" for style in shipped.predict(tunes)) >= 6
    chorale = shipped.styles.index("chorale")
    assert shipped.probabilities(chorales)[:, chorale].mean() > 3 * shipped.probabilities(tunes)[:, chorale].mean()


def test_a_new_style_is_learned_from_a_folder_of_files(shipped, tmp_path, one_thread):
    from deepcomposer_edu.data import load_folder

    random = np.random.default_rng(4)
    for index in range(12):
        write_midi(song_of(leaping_triplets(random, beats=48), tempos=[TempoChange(0.0, 150.0)]),
                   tmp_path / f"piece{index}.mid")
    songs = load_folder(tmp_path, progress=False).songs
    grown = shipped.with_new_style("restless", songs, seconds=30, progress=False)
    assert grown.styles == [*shipped.styles, "restless"]
    fresh = [leaping_triplets(random, beats=32) for _ in range(8)]
    assert sum(style == "restless" for style in grown.predict(fresh)) >= 7
    chorales = list(style_windows("chorale", "test"))[:12]
    assert sum(style == "chorale" for style in grown.predict(chorales)) >= 8  # the old styles are still known
    assert shipped.styles == style_names()  # the shipped classifier itself is unchanged


def test_a_classifier_with_a_new_style_can_be_saved_and_loaded(tmp_path):
    from deepcomposer_edu.registry import Registry

    judge = tiny_classifier(["a", "b"])
    registry = Registry(tmp_path / "models")
    judge.save("my-judge", registry=registry)
    again = load_style_classifier("my-judge", registry=registry)
    melody = stepwise(np.random.default_rng(5))
    assert again.styles == ["a", "b"]
    assert np.array_equal(again.probabilities([melody]), judge.probabilities([melody]))


# --- the command line ----------------------------------------------------------------------------------------


def test_cli_json_gives_a_probability_for_every_style(tmp_path, capsys, shipped):
    path = write_midi(song_of(stepwise(np.random.default_rng(6), beats=48)), tmp_path / "hymn.mid")
    assert cli_main(["classify-style", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result["probabilities"]) == set(shipped.styles)
    assert abs(sum(result["probabilities"].values()) - 1.0) < 1e-4
    best = max(result["probabilities"], key=result["probabilities"].get)
    assert result["top"][0] == best and len(result["top"]) == 3


def test_cli_prints_the_top_styles(tmp_path, capsys):
    path = write_midi(song_of(stepwise(np.random.default_rng(7), beats=32)), tmp_path / "hymn.mid")
    assert cli_main(["classify-style", str(path), "--top", "2"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and all(line.split()[0] in style_names() for line in lines)


def test_cli_refuses_a_bad_file_with_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "broken.mid"
    bad.write_bytes(b"this is not a MIDI file")
    done = subprocess.run([sys.executable, "-m", "deepcomposer_edu", "classify-style", str(bad)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "broken.mid" in done.stderr


def test_generate_music_does_not_take_the_classifier_as_a_composer(tmp_path, capsys):
    code = cli_main(["generate-music", "--model-name", "style-classifier", "-o", str(tmp_path / "x.mid")])
    assert code == 2
    assert "style-classifier" in capsys.readouterr().err
    assert not (tmp_path / "x.mid").exists()
