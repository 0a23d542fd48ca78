"""MoodSense: the mood -> music mapping does what docs/mood.md says (tempo, mode, register, density, dynamics,
harmony, instruments), deterministically, with clear errors; and the `mood` command and client method."""

import json
import math
import random
import statistics
import subprocess
import sys

import pytest

from deepcomposer_edu.cli import main
from deepcomposer_edu.client import client
from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.examples import example_theme
from deepcomposer_edu.mood import generate_for_mood, mood_settings
from deepcomposer_edu.mood.harmony import CHORDS, choose_chord, vocabulary, voice_lead
from deepcomposer_edu.music import Note, Song, TempoChange, Track, midi_bytes, read_midi, write_midi
from deepcomposer_edu.styles import get_style

C_MAJOR, C_MINOR = {0, 2, 4, 5, 7, 9, 11}, {0, 2, 3, 5, 7, 8, 10}


def whole_notes(pitches, bpm=100.0) -> Song:
    """One held note per 4/4 bar, so the melody's density is set only by the mood."""
    notes = [Note(p, 4.0 * i, 4.0 * i + 4.0) for i, p in enumerate(pitches)]
    return Song(tracks=[Track(notes, name="base")], tempos=[TempoChange(0.0, bpm)], key="C major", title="whole notes")


def track(song: Song, name: str) -> Track:
    return next(t for t in song.tracks if t.name == name)


def per_bar(notes, bars: int) -> list[int]:
    counts = [0] * bars
    for note in notes:
        counts[int(note.start // 4)] += 1
    return counts


BASE = whole_notes([60, 64, 67, 65, 64, 62, 60, 67])


def test_tempo_rises_with_mood_from_the_genres_tempo():
    # cinematic is an alias of the classical style: tempo = its tempo x (0.5 + 0.75 x arousal)
    typical = get_style("cinematic").tempo
    assert generate_for_mood(BASE, 0.0, "cinematic").tempo == pytest.approx(typical / 2, abs=0.01)
    assert generate_for_mood(BASE, 1.0, "cinematic").tempo == pytest.approx(typical * 1.25, abs=0.01)
    assert generate_for_mood(BASE, 0.87, "cinematic").tempo == pytest.approx(typical * 1.1525, abs=0.01)
    tempos = [generate_for_mood(BASE, m, "cinematic").tempo for m in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)]
    assert tempos == sorted(tempos) and len(set(tempos)) == len(tempos)
    # a jig (the irish style) has its own, faster, range
    assert generate_for_mood(BASE, 0.5, "jig").tempo == pytest.approx(get_style("irish").tempo * 0.875, abs=0.01)


def test_mode_is_major_when_bright_and_minor_when_dark():
    calm, intense = generate_for_mood(example_theme(), 0.2), generate_for_mood(example_theme(), 0.8)
    assert calm.key == "C major" and intense.key == "C minor"
    calm_classes = {n.pitch % 12 for n in track(calm, "melody").notes}
    intense_classes = {n.pitch % 12 for n in track(intense, "melody").notes}
    assert calm_classes <= C_MAJOR
    assert intense_classes <= C_MINOR and 3 in intense_classes  # E became Eb
    # valence given explicitly wins over the score: an intense but bright mood stays major
    assert generate_for_mood(example_theme(), 0.9, valence=0.9).key == "C major"


def test_note_density_follows_the_mood():
    # a held note per bar sampled every 2, 1, 1/2, 1/4 beats: 2, 4, 8, 16 notes per bar
    for mood, expected in ((0.1, 2), (0.3, 4), (0.6, 8), (0.9, 16)):
        melody = track(generate_for_mood(BASE, mood), "melody")
        assert per_bar(melody.notes, 8) == [expected] * 8, mood


def test_dynamics_register_and_articulation_follow_the_mood():
    calm, intense = generate_for_mood(BASE, 0.1), generate_for_mood(BASE, 0.9)
    calm_melody, intense_melody = track(calm, "melody").notes, track(intense, "melody").notes
    assert statistics.mean(n.velocity for n in calm_melody) == pytest.approx(40 + 70 * 0.1, abs=1)
    assert statistics.mean(n.velocity for n in intense_melody) > 100
    assert statistics.median(n.pitch for n in intense_melody) > statistics.median(n.pitch for n in calm_melody)
    assert all(n.duration == 2.0 for n in calm_melody)  # legato half notes
    assert all(n.duration == 0.125 for n in intense_melody)  # staccato sixteenths: half their step


def test_layers_and_instruments_follow_mood_and_genre():
    names = lambda song: [t.name for t in song.tracks]
    assert names(generate_for_mood(BASE, 0.1)) == ["melody", "pad"]
    assert names(generate_for_mood(BASE, 0.3)) == ["melody", "pad", "bass"]
    assert names(generate_for_mood(BASE, 0.6)) == ["melody", "pad", "pulse", "bass"]
    intense = generate_for_mood(BASE, 0.9)
    assert names(intense) == ["melody", "pad", "pulse", "bass", "drums"] and track(intense, "drums").is_drum
    assert track(intense, "melody").program == 40  # cinematic -> orchestral pack: violin
    assert track(generate_for_mood(BASE, 0.9, "jig"), "melody").program == 77  # irish -> world pack: shakuhachi


def test_calm_harmony_uses_consonant_triads_and_tension_opens_dissonant_chords():
    c_triads = [{0, 4, 7}, {5, 9, 0}, {7, 11, 2}, {9, 0, 4}]  # I IV V vi in C
    pad = track(generate_for_mood(example_theme(), 0.1, seed=3), "pad").notes
    for bar in range(8):
        assert {n.pitch % 12 for n in pad if n.start == 4.0 * bar} in c_triads
    # B D F Ab is exactly vii°7 of C: only tension level 2 has that chord
    melody = [Note(71, 0, 1), Note(74, 1, 2), Note(77, 2, 3), Note(80, 3, 4)]
    rng = random.Random(0)
    assert choose_chord(melody, 0, vocabulary("major", 2), None, rng).name == "vii°7"
    assert choose_chord(melody, 0, vocabulary("major", 0), None, rng).name in ("I", "IV", "V", "vi")


def test_chords_are_voice_led_by_small_steps():
    voicing = None
    for name in ("I", "vi", "IV", "V", "I"):
        new = voice_lead(CHORDS[name], 0, voicing)
        if voicing:
            assert sum(abs(a - b) for a, b in zip(sorted(new), sorted(voicing))) <= 6
        voicing = new


def test_same_seed_same_bytes_and_seed_matters():
    a = midi_bytes(generate_for_mood(example_theme(), 0.9, seed=5))
    assert a == midi_bytes(generate_for_mood(example_theme(), 0.9, seed=5))
    assert a != midi_bytes(generate_for_mood(example_theme(), 0.9, seed=6))


@pytest.mark.parametrize("kwargs, words", [
    ({"mood_score": 1.5}, "mood_score must be a number from 0 to 1, got 1.5"),
    ({"mood_score": -0.1}, "mood_score"),
    ({"mood_score": math.nan}, "mood_score"),
    ({"mood_score": True}, "mood_score"),
    ({"mood_score": "loud"}, "'loud'"),
    ({"mood_score": 0.5, "genre": "polka"}, "unknown style 'polka'"),
    ({"mood_score": 0.5, "valence": 2}, "valence"),
    ({"mood_score": 0.5, "arousal": -1}, "arousal"),
    ({"mood_score": 0.5, "bpm": 500}, "bpm"),
    ({"mood_score": 0.5, "bars": 0}, "bars"),
])
def test_bad_values_get_one_clear_error(kwargs, words):
    with pytest.raises(InvalidArgumentError, match=None) as raised:
        generate_for_mood(BASE, **kwargs)
    assert words in str(raised.value)


def test_a_base_without_notes_is_refused():
    with pytest.raises(InvalidArgumentError, match="no pitched notes"):
        generate_for_mood(Song(title="empty"), 0.5)


def test_mood_settings_table_values():
    settings = mood_settings(0.87, "cinematic")
    assert (settings.mode, settings.melody_step, settings.tension, settings.velocity) == ("minor", 0.25, 2, 101)
    assert settings.register == 56 + round(12 * 0.87 + 4 * 0.13)


def test_mood_command_writes_midi_and_logs(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DEEPCOMPOSER_HOME", str(tmp_path / "home"))
    base = write_midi(example_theme(), tmp_path / "combat.mid")
    out = tmp_path / "out.mid"
    assert main(["mood", str(base), "--score", "0.87", "--genre", "cinematic", "-o", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    song = read_midi(out)
    expected = get_style("cinematic").tempo * (0.5 + 0.75 * 0.87)
    assert song.tempo == pytest.approx(expected, abs=0.01) and report["tempo"] == pytest.approx(expected, abs=0.01)
    assert report["key"] == "C minor" and song.bar_count() == 8
    events = [json.loads(line) for line in (tmp_path / "home" / "audit.jsonl").read_text().splitlines()]
    assert events[-1]["action"] == "generate" and events[-1]["parameters"]["mood"] == 0.87
    assert events[-1]["outputs"][0]["path"] == str(out)
    assert main(["mood", str(base), "--score", "0.5", "-o", str(out)]) == 2  # never overwrites silently
    assert "already exists" in capsys.readouterr().err


def test_mood_command_bad_score_is_one_line_exit_2(tmp_path):
    base = write_midi(example_theme(), tmp_path / "base.mid")
    run = subprocess.run([sys.executable, "-m", "deepcomposer_edu.cli", "mood", str(base), "--score", "1.7",
                          "-o", str(tmp_path / "x.mid")], capture_output=True, text=True,
                         env={"DEEPCOMPOSER_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "mood_score" in run.stderr
    assert not (tmp_path / "x.mid").exists()


def test_client_generate_for_mood_from_a_song(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPCOMPOSER_HOME", str(tmp_path))
    piece = client(tmp_path / "models").generate_for_mood(example_theme(), 0.3, "chorale", seed=2)
    assert piece.path is None and piece.metadata["key"] == "C major"
    assert piece.song.tempo == pytest.approx(get_style("chorale").tempo * (0.5 + 0.75 * 0.3), abs=0.01)
