"""Shared by the service tests (test_audit.py, test_client.py, test_cli_models.py).

A `home` fixture (a fresh DEEPCOMPOSER_HOME), the audit log's events, and a small folder of real MIDI tunes.

The tunes are random walks on a C major scale with a bass line, fixed by a seed: enough for a real
Markov model to learn from in a fraction of a second.
"""

import json
import random

import pytest

from deepcomposer_edu.music import Note, Song, Track
from deepcomposer_edu.music.midi import write_midi



@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh DEEPCOMPOSER_HOME for the test (its registry, its audit log)."""
    monkeypatch.setenv("DEEPCOMPOSER_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def audit_events(home):
    return [json.loads(line) for line in (home / "audit.jsonl").read_text().splitlines()]


SCALE = [60, 62, 64, 65, 67, 69, 71, 72]


def tune(seed: int, bars: int = 8) -> Song:
    rng = random.Random(seed)
    melody, degree, beat = [], rng.randrange(len(SCALE)), 0.0
    while beat < bars * 4:
        length = min(rng.choice([0.5, 1.0, 1.0, 2.0]), bars * 4 - beat)
        degree = max(0, min(len(SCALE) - 1, degree + rng.choice([-2, -1, 1, 1, 2])))
        melody.append(Note(SCALE[degree], beat, beat + length))
        beat += length
    bass = [Note(48 if bar % 2 == 0 else 43, bar * 4, bar * 4 + 4) for bar in range(bars)]
    return Song(tracks=[Track(melody, program=73, name="melody"), Track(bass, program=32, name="bass")],
                title=f"tune {seed}")


def write_training_folder(folder, count: int = 6):
    folder.mkdir(parents=True, exist_ok=True)
    for seed in range(count):
        write_midi(tune(seed), folder / f"tune{seed}.mid")
    return folder
