"""WAV/MP3 export (deepcomposer_edu/audio/export.py) and the `deepcomposer render` command."""

import io
import subprocess
import sys
import wave

import numpy as np
import pytest

from deepcomposer_edu.audio import export
from deepcomposer_edu.cli import main
from deepcomposer_edu.errors import InvalidArgumentError, OutputExistsError
from deepcomposer_edu.music import Note, Song, TempoChange, Track

miniaudio = pytest.importorskip("miniaudio")  # an MP3 decoder (the `test` extra installs it)

RATE = 22050


def seconds_long(beats, bpm=120):
    return Song([Track([Note(69, 0, beats)])], tempos=[TempoChange(0, bpm)])


def decode_mp3(path):
    decoded = miniaudio.decode_file(str(path), output_format=miniaudio.SampleFormat.FLOAT32, nchannels=1, sample_rate=RATE)
    return np.asarray(decoded.samples, dtype=np.float32)


def test_wav_holds_the_rendered_samples(tmp_path):
    path = export(seconds_long(4), tmp_path / "a.wav", soundfont=False)  # 2 s + 1 s tail
    with wave.open(str(path)) as reader:
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (1, 2, RATE)
        assert reader.getnframes() == 3 * RATE
        samples = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2") / 32767
    spectrum = np.abs(np.fft.rfft(samples[: RATE]))
    assert np.fft.rfftfreq(RATE, 1 / RATE)[np.argmax(spectrum)] == pytest.approx(440, abs=2)


def test_mp3_decodes_to_the_right_length_and_pitch(tmp_path):
    short = decode_mp3(export(seconds_long(4), tmp_path / "short.mp3", soundfont=False))  # 3 s with the tail
    long = decode_mp3(export(seconds_long(12), tmp_path / "long.mp3", soundfont=False))  # 7 s
    # MP3 adds an encoder delay and pads to whole frames (576 samples at 22050 Hz): a few hundredths of a second
    assert len(short) / RATE == pytest.approx(3.0, abs=0.1)
    assert len(long) / RATE == pytest.approx(7.0, abs=0.1)
    assert (len(long) - len(short)) / RATE == pytest.approx(4.0, abs=0.06)
    spectrum = np.abs(np.fft.rfft(long[RATE : 3 * RATE]))
    assert np.fft.rfftfreq(2 * RATE, 1 / RATE)[np.argmax(spectrum)] == pytest.approx(440, abs=2)


def test_mp3_size_follows_its_bitrate(tmp_path):
    song = seconds_long(16)  # 8 s + 1 s tail = 9 s
    wav = export(song, tmp_path / "a.wav", soundfont=False).stat().st_size
    mp3 = export(song, tmp_path / "a.mp3", soundfont=False).stat().st_size
    small = export(song, tmp_path / "b.mp3", soundfont=False, bitrate=64).stat().st_size
    assert wav == 44 + 9 * RATE * 2  # header + 16-bit mono samples: 352.8 kbit/s
    assert mp3 == pytest.approx(128_000 / 8 * 9, rel=0.05)  # 128 kbit/s
    assert small == pytest.approx(64_000 / 8 * 9, rel=0.05)


def test_export_accepts_an_audio_array(tmp_path):
    tone = np.sin(np.arange(RATE) * 2 * np.pi * 440 / RATE).astype(np.float32) * 0.5
    with wave.open(str(export(tone, tmp_path / "tone.wav"))) as reader:
        assert reader.getnframes() == RATE


def test_export_never_overwrites_without_permission(tmp_path):
    path = tmp_path / "a.wav"
    path.write_bytes(b"the user's file")
    with pytest.raises(OutputExistsError):
        export(seconds_long(1), path, soundfont=False)
    assert path.read_bytes() == b"the user's file"
    export(seconds_long(1), path, overwrite=True, soundfont=False)
    assert path.read_bytes()[:4] == b"RIFF"
    assert [p.name for p in tmp_path.iterdir()] == ["a.wav"]  # no temporary file left behind


def test_unknown_format_and_bitrate_are_clear_errors(tmp_path):
    with pytest.raises(InvalidArgumentError, match="a.ogg.*.wav or .mp3"):
        export(seconds_long(1), tmp_path / "a.ogg")
    with pytest.raises(InvalidArgumentError, match="bitrate"):
        export(seconds_long(1), tmp_path / "a.mp3", bitrate=100)


@pytest.fixture
def midi_file(tmp_path):
    from deepcomposer_edu.music.midi import write_midi

    song = Song([Track([Note(69, 0, 2), Note(72, 2, 4)], name="melody"), Track([Note(36, 0, 1)], is_drum=True)])
    return write_midi(song, tmp_path / "in.mid")  # 4 beats at 120 BPM: 2 s


def test_render_command_writes_mp3(midi_file, tmp_path, capsys):
    out = tmp_path / "out.mp3"
    assert main(["render", str(midi_file), "-o", str(out), "--instrument-pack", "orchestral", "--builtin-synth"]) == 0
    assert len(decode_mp3(out)) / RATE == pytest.approx(3.0, abs=0.1)
    assert "built-in synthesizer" in capsys.readouterr().out


def test_render_command_json_and_wav(midi_file, tmp_path, capsys):
    out = tmp_path / "out.wav"
    assert main(["render", str(midi_file), "-o", str(out), "--builtin-synth", "--json"]) == 0
    assert '"seconds": 2.0' in capsys.readouterr().out
    with wave.open(str(out)) as reader:
        assert reader.getnframes() == 3 * RATE


def test_render_command_refuses_to_overwrite_then_overwrites(midi_file, tmp_path):
    out = tmp_path / "out.wav"
    out.write_bytes(b"mine")
    assert main(["render", str(midi_file), "-o", str(out), "--builtin-synth"]) == 2
    assert out.read_bytes() == b"mine"
    assert main(["render", str(midi_file), "-o", str(out), "--builtin-synth", "--overwrite"]) == 0


@pytest.mark.parametrize("extra, message", [
    (["--soundfont", "/nowhere/x.sf2"], "/nowhere/x.sf2"),
    (["--instrument-pack", "jazz"], "invalid choice: 'jazz'"),
])
def test_render_command_bad_input_is_one_line_and_exit_2(midi_file, tmp_path, extra, message):
    result = subprocess.run([sys.executable, "-m", "deepcomposer_edu", "render", str(midi_file), "-o",
                             str(tmp_path / "o.wav"), *extra], capture_output=True, text=True)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_render_command_missing_midi_is_exit_2(tmp_path):
    assert main(["render", str(tmp_path / "none.mid"), "-o", str(tmp_path / "o.wav")]) == 2
