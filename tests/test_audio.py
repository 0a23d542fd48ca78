"""Rendering a Song to sound (deepcomposer_edu/audio): the sound is checked, not only that it exists.

Every check runs with the built-in synthesizer and, where a GM soundfont is installed, with the soundfont.
"""

import numpy as np
import pytest

from deepcomposer_edu.audio import SoundfontError, find_soundfont, play, render
from deepcomposer_edu.audio.soundfont import tinysoundfont_available
from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.music import Note, Song, TempoChange, Track

RATE = 22050
SOUNDFONT = find_soundfont() if tinysoundfont_available() else None
SYNTHS = [pytest.param(False, id="builtin"),
          pytest.param(SOUNDFONT, id="soundfont", marks=pytest.mark.skipif(SOUNDFONT is None, reason="no GM soundfont"))]


def peak_frequency(audio, rate=RATE):
    spectrum = np.abs(np.fft.rfft(audio * np.hanning(len(audio))))
    return np.fft.rfftfreq(len(audio), 1 / rate)[np.argmax(spectrum)]


def rms(audio):
    return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))


def window(audio, start_s, end_s, rate=RATE):
    return audio[int(start_s * rate) : int(end_s * rate)]


def onset_seconds(audio, threshold=0.02, rate=RATE):
    """First time the signal exceeds `threshold` of its peak."""
    return np.argmax(np.abs(audio) > threshold * np.abs(audio).max()) / rate


@pytest.mark.parametrize("soundfont", SYNTHS)
def test_a4_has_its_energy_at_440_hz(soundfont):
    audio = render(Song([Track([Note(69, 0, 2)], program=0)]), soundfont=soundfont)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert peak_frequency(window(audio, 0.05, 0.9)) == pytest.approx(440, abs=3)


@pytest.mark.parametrize("program", [24, 40, 56, 73, 81])  # guitar, violin, trumpet, flute, saw lead
def test_builtin_families_are_in_tune(program):
    audio = render(Song([Track([Note(57, 0, 4)], program=program)]), soundfont=False)
    assert peak_frequency(window(audio, 0.2, 1.9)) == pytest.approx(220, abs=2)


@pytest.mark.parametrize("soundfont", SYNTHS)
def test_a_note_starts_when_the_tempo_map_says(soundfont):
    # 60 BPM for beats 0-2 (2 s), then 120 BPM: beat 3 sounds at 2.5 s
    song = Song([Track([Note(60, 3, 4)])], tempos=[TempoChange(0, 60), TempoChange(2, 120)])
    audio = render(song, soundfont=soundfont)
    assert onset_seconds(audio) == pytest.approx(song.seconds_at(3), abs=0.01)
    assert song.seconds_at(3) == pytest.approx(2.5)


@pytest.mark.parametrize("soundfont", SYNTHS)
def test_rests_are_silent(soundfont):
    # a note for beat 0-1 (0-0.5 s), a rest until beat 4 (2 s), another note
    audio = render(Song([Track([Note(64, 0, 1), Note(64, 4, 5)])]), soundfont=soundfont)
    assert rms(window(audio, 0.1, 0.4)) > 0.05
    assert rms(window(audio, 1.3, 1.95)) < 1e-3
    assert rms(window(audio, 2.05, 2.4)) > 0.05


@pytest.mark.parametrize("soundfont", SYNTHS)
def test_drums_are_audible(soundfont):
    # a quiet piano note holds; kick (36), snare (38) and hi-hat (42) hit on beats 1, 2, 3 (0.5, 1.0, 1.5 s)
    drums = Track([Note(36, 1, 1.5, 110), Note(38, 2, 2.5, 110), Note(42, 3, 3.5, 110)], is_drum=True)
    audio = render(Song([drums]), soundfont=soundfont)
    for hit in (0.5, 1.0, 1.5):
        assert rms(window(audio, hit, hit + 0.05)) > 10 * rms(window(audio, hit - 0.1, hit - 0.02)) + 1e-4
    assert rms(window(audio, 0.0, 0.45)) < 1e-3  # nothing before the first hit


def test_length_is_the_song_plus_a_one_second_tail():
    song = Song([Track([Note(60, 0, 8)])], tempos=[TempoChange(0, 120)])  # 4 s
    assert len(render(song, soundfont=False)) == (4 + 1) * RATE
    assert len(render(song, sample_rate=8000, soundfont=False)) == 5 * 8000


def test_loud_song_does_not_clip():
    chord = [Note(p, 0, 2, 127) for p in range(48, 84, 2)]  # 18 loud notes at once
    audio = render(Song([Track(chord)]), soundfont=False)
    assert np.abs(audio).max() <= 1.0


def test_same_song_renders_to_the_same_samples():
    song = Song([Track([Note(60, 0, 1), Note(67, 1, 2)], program=25), Track([Note(38, 0, 1)], is_drum=True)])
    assert np.array_equal(render(song, soundfont=False), render(song, soundfont=False))


def test_empty_song_is_one_second_of_silence():
    audio = render(Song(), soundfont=False)
    assert len(audio) == RATE and not audio.any()


def test_bad_arguments_are_clear_errors(tmp_path):
    with pytest.raises(InvalidArgumentError, match="sample_rate"):
        render(Song(), sample_rate=100)
    with pytest.raises(SoundfontError, match="missing.sf2"):
        render(Song(), soundfont=tmp_path / "missing.sf2")
    broken = tmp_path / "broken.sf2"
    broken.write_bytes(b"not a soundfont")
    with pytest.raises(SoundfontError, match="broken.sf2"):
        render(Song([Track([Note(60, 0, 1)])]), soundfont=broken)


def test_environment_variable_chooses_the_builtin_synth(monkeypatch):
    monkeypatch.setenv("DEEPCOMPOSER_SOUNDFONT", "builtin")
    assert find_soundfont() is None
    monkeypatch.setenv("DEEPCOMPOSER_SOUNDFONT", "/nowhere/font.sf2")
    with pytest.raises(SoundfontError, match="/nowhere/font.sf2"):
        find_soundfont()


def test_play_returns_a_notebook_player():
    player = play(Song([Track([Note(69, 0, 1)])]), soundfont=False)
    assert type(player).__name__ == "Audio"
    assert player.data[:4] == b"RIFF" and b"WAVE" in player.data[:12]
    assert int.from_bytes(player.data[24:28], "little") == RATE  # the WAV header's sample rate
