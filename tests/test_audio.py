"""Rendering a Song to sound (deepcomposer_edu/audio): the sound is checked, not only that it exists.

Every check runs with the built-in synthesizer and, where a GM soundfont is installed, with the soundfont.
"""

import numpy as np
import pytest

import shutil

from deepcomposer_edu.audio import SoundfontError, find_soundfont, play, render
from deepcomposer_edu.audio import soundfont as soundfont_module
from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.music import Note, Song, TempoChange, Track

RATE = 22050
SOUNDFONT = find_soundfont()
ENGINES = [
    pytest.param("builtin", id="builtin"),
    pytest.param("tinysoundfont", id="tinysoundfont", marks=pytest.mark.skipif(
        SOUNDFONT is None or not soundfont_module.tinysoundfont_available(), reason="no GM soundfont or tinysoundfont")),
    pytest.param("fluidsynth", id="fluidsynth", marks=pytest.mark.skipif(
        SOUNDFONT is None or not shutil.which("fluidsynth"), reason="no GM soundfont or fluidsynth program")),
]


@pytest.fixture(params=ENGINES)
def synth(request, monkeypatch):
    """A `render` that uses one engine: the built-in synth, or the soundfont through tinysoundfont or fluidsynth."""
    engine = request.param
    if engine == "fluidsynth":
        monkeypatch.setattr(soundfont_module, "tinysoundfont_available", lambda: False)

    def render_with(song, **options):
        return render(song, soundfont=False if engine == "builtin" else SOUNDFONT, **options)

    return render_with


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


def test_a4_has_its_energy_at_440_hz(synth):
    audio = synth(Song([Track([Note(69, 0, 2)], program=0)]))
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert peak_frequency(window(audio, 0.05, 0.9)) == pytest.approx(440, abs=3)


@pytest.mark.parametrize("program", [24, 40, 56, 73, 81])  # guitar, violin, trumpet, flute, saw lead
def test_builtin_families_are_in_tune(program):
    audio = render(Song([Track([Note(57, 0, 4)], program=program)]), soundfont=False)
    assert peak_frequency(window(audio, 0.2, 1.9)) == pytest.approx(220, abs=2)


def test_a_note_starts_when_the_tempo_map_says(synth):
    # 60 BPM for beats 0-2 (2 s), then 120 BPM: beat 3 sounds at 2.5 s
    song = Song([Track([Note(60, 3, 4)])], tempos=[TempoChange(0, 60), TempoChange(2, 120)])
    audio = synth(song)
    assert onset_seconds(audio) == pytest.approx(song.seconds_at(3), abs=0.01)
    assert song.seconds_at(3) == pytest.approx(2.5)


def test_rests_are_silent(synth):
    # a note for beat 0-1 (0-0.5 s), a rest until beat 4 (2 s), another note
    audio = synth(Song([Track([Note(64, 0, 1), Note(64, 4, 5)])]))
    assert rms(window(audio, 0.1, 0.4)) > 0.05
    assert rms(window(audio, 1.3, 1.95)) < 1e-3
    assert rms(window(audio, 2.05, 2.4)) > 0.05


@pytest.mark.parametrize("kit", [0, 25])  # the standard kit, and the 808 kit (a soundfont may lack it)
def test_drums_are_audible(synth, kit):
    # kick (36), snare (38) and hi-hat (42) hit on beats 1, 2, 3 (0.5, 1.0, 1.5 s)
    drums = Track([Note(36, 1, 1.5, 110), Note(38, 2, 2.5, 110), Note(42, 3, 3.5, 110)], program=kit, is_drum=True)
    audio = synth(Song([drums]))
    for hit in (0.5, 1.0, 1.5):
        assert rms(window(audio, hit, hit + 0.05)) > 3 * rms(window(audio, hit - 0.1, hit - 0.02)) + 1e-3
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


@pytest.mark.skipif(SOUNDFONT is None, reason="no GM soundfont")
@pytest.mark.parametrize("family", range(16))
def test_every_gm_family_plays_through_the_soundfont(family):
    program = family * 8 + 1  # one instrument of each family of eight (piano, chromatic percussion, organ, ...)
    audio = render(Song([Track([Note(60, 0, 2)], program=program)]), soundfont=SOUNDFONT)
    assert rms(window(audio, 0.05, 0.5)) > 0.02, f"program {program} is silent"


@pytest.mark.parametrize("program", [0, 8, 19, 24, 33, 40, 56, 66, 73, 81, 89])  # one of each built-in timbre
def test_builtin_notes_fade_in_and_out_from_silence(program):
    # a click is a jump from silence to a loud sample (or back): the envelope must ramp both ways
    audio = render(Song([Track([Note(60, 1, 3)], program=program)]), soundfont=False)
    begin, peak = int(0.5 * RATE), np.abs(audio).max()
    assert audio[begin - 1] == 0.0  # silence right before the note
    assert np.abs(audio[begin : begin + 5]).max() < 0.2 * peak  # the first quarter millisecond is still quiet
    last = np.flatnonzero(audio)[-1]
    assert np.abs(audio[last - 4 : last + 1]).max() < 0.05 * peak  # and it dies away to nothing


@pytest.mark.parametrize("program", [19, 40, 73, 89])  # organ, violin, flute, pad: sounds that hold steady
def test_held_notes_start_and_stop_no_steeper_than_they_sound(program):
    audio = render(Song([Track([Note(60, 1, 3)], program=program)]), soundfont=False)
    steady = np.abs(np.diff(window(audio, 0.8, 1.4))).max()  # the note at its loudest
    start = np.abs(np.diff(window(audio, 0.49, 0.52))).max()  # it begins at 0.5 s
    stop = np.abs(np.diff(window(audio, 1.49, 2.2))).max()  # it is released at 1.5 s
    assert start <= steady * 1.2 and stop <= steady * 1.2


def test_louder_velocity_is_louder(synth):
    # the same note soft (velocity 40) at 0-1 s, then loud (velocity 120) at 2-3 s, 60 BPM
    song = Song([Track([Note(60, 0, 1, 40), Note(60, 2, 3, 120)], program=19)], tempos=[TempoChange(0, 60)])
    audio = synth(song)
    assert rms(window(audio, 2.2, 2.8)) > 1.5 * rms(window(audio, 0.2, 0.8))


def test_overlapping_notes_of_one_pitch_keep_sounding(synth):
    # organ C4 held 0-2 s and again 1-3 s (60 BPM): the key stays down until 3 s, not cut off at 2 s
    song = Song([Track([Note(60, 0, 2), Note(60, 1, 3)], program=19)], tempos=[TempoChange(0, 60)])
    audio = synth(song)
    assert rms(window(audio, 2.2, 2.8)) > 0.3 * rms(window(audio, 0.2, 0.8))
    assert rms(window(audio, 3.6, 3.9)) < 1e-3


def test_restrike_overlaps_by_hand():
    from deepcomposer_edu.audio.soundfont import restrike_overlaps

    notes = [Note(60, 0, 2, 70), Note(60, 1, 3, 90), Note(64, 0.5, 1), Note(67, 4, 5), Note(67, 4, 4.5, 50)]
    assert restrike_overlaps(notes) == [
        Note(60, 0, 1, 70),  # cut where the same key is struck again
        Note(64, 0.5, 1),  # another pitch: untouched
        Note(60, 1, 3, 90),
        Note(67, 4, 5),  # two strikes at one moment: one note, held to the later end
    ]
