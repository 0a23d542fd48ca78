"""Saving audio as a WAV or MP3 file, written atomically (never half a file, never over one by accident).

Lesson: lessons/00_welcome.ipynb (save what you hear), and every lesson that ends with a piece to share.

WAV is uncompressed 16-bit PCM (Python's `wave` module): exact, but about 2.6 MB a minute at 22050 Hz.
MP3 (encoded by lameenc, 128 kbit/s by default) is about a tenth of that, and every phone plays it.
"""

from __future__ import annotations

import io
import os
import wave
from pathlib import Path

import numpy as np

from ..errors import InvalidArgumentError
from ..files import atomic_write_bytes, check_writable
from ..music.song import Song
from .render import render

FORMATS = (".wav", ".mp3")
MP3_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)  # kbit/s that MP3 allows


def export(
    song_or_audio,
    path: str | os.PathLike,
    overwrite: bool = False,
    *,
    sample_rate: int = 22050,
    soundfont=None,
    instrument_pack: str | None = None,
    bitrate: int = 128,
) -> Path:
    """Render a Song (or take an audio array at `sample_rate`) and write it to `path` (.wav or .mp3).

    Raises OutputExistsError before any work if `path` exists and `overwrite` is false.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidArgumentError(f"{path}: cannot tell the audio format; the name must end in .wav or .mp3")
    if suffix == ".mp3" and bitrate not in MP3_BITRATES:
        raise InvalidArgumentError(f"MP3 bitrate must be one of {MP3_BITRATES} kbit/s, got {bitrate!r}")
    check_writable(path, overwrite)
    if isinstance(song_or_audio, Song):
        audio = render(song_or_audio, sample_rate=sample_rate, soundfont=soundfont, instrument_pack=instrument_pack)
    else:
        audio = np.asarray(song_or_audio, dtype=np.float32)
    data = wav_bytes(audio, sample_rate) if suffix == ".wav" else mp3_bytes(audio, sample_rate, bitrate)
    return atomic_write_bytes(path, data, overwrite=overwrite)


def to_pcm16(audio: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] -> 16-bit integers (values outside are clipped)."""
    return (np.clip(audio, -1.0, 1.0) * 32767.0).round().astype("<i2")


def wav_bytes(audio: np.ndarray, sample_rate: int) -> bytes:
    """A mono 16-bit WAV file's bytes."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(sample_rate)
        writer.writeframes(to_pcm16(audio).tobytes())
    return buffer.getvalue()


def mp3_bytes(audio: np.ndarray, sample_rate: int, bitrate: int = 128) -> bytes:
    """A mono MP3 file's bytes, encoded by LAME (through lameenc)."""
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_channels(1)
    encoder.set_quality(2)  # 2 = high quality, 7 = fastest
    return bytes(encoder.encode(to_pcm16(audio).tobytes()) + encoder.flush())
