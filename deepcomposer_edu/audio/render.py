"""Render a Song to audio samples: with a soundfont when one is available, else the built-in synthesizer.

Lesson: lessons/00_welcome.ipynb (hear a Song), used by every lesson that plays music.

The result is always a mono float32 numpy array at `sample_rate` (22050 Hz by default, plenty for
teaching and half the size of CD rate), lasting the song plus TAIL_SECONDS for the last notes to ring
out, and scaled so its peak is PEAK (no clipping, and every song plays at a similar level).
"""

from __future__ import annotations

import math
import os

import numpy as np

from ..errors import InvalidArgumentError
from ..music.song import Song
from .soundfont import SoundfontError, find_soundfont, render_soundfont, soundfont_engine
from .synth import render_builtin

TAIL_SECONDS = 1.0
PEAK = 0.89  # about -1 dBFS
FADE_SECONDS = 0.01
BUILTIN = "builtin"


def render(song: Song, sample_rate: int = 22050, soundfont=None, instrument_pack: str | None = None) -> np.ndarray:
    """Audio of `song`: mono float32 samples in [-1, 1], shape (samples,).

    soundfont: None to use a soundfont if one is found (see soundfont.find_soundfont), else the built-in
      synthesizer; a path to use that .sf2/.sf3 file; False or "builtin" for the built-in synthesizer.
    instrument_pack: a pack name from audio.instruments (e.g. "orchestral") to re-orchestrate the song first.
    """
    if not isinstance(sample_rate, int) or not 8000 <= sample_rate <= 96000:
        raise InvalidArgumentError(f"sample_rate must be a whole number of Hz from 8000 to 96000, got {sample_rate!r}")
    if instrument_pack is not None:
        from .instruments import apply_instrument_pack

        song = apply_instrument_pack(song, instrument_pack)
    total = math.ceil((song.duration_seconds + TAIL_SECONDS) * sample_rate)
    font = choose_soundfont(soundfont)
    if font is None:
        audio = render_builtin(song, sample_rate, total)
    else:
        audio = render_soundfont(song, font, sample_rate, total)
    return finish(audio, sample_rate)


def choose_soundfont(soundfont) -> os.PathLike | None:
    """The soundfont file `render` will use for this `soundfont` argument, or None for the built-in synth."""
    if soundfont is False or (isinstance(soundfont, str) and soundfont.lower() == BUILTIN):
        return None
    if soundfont is None:
        return find_soundfont() if soundfont_engine() else None
    path = os.fspath(soundfont)
    if not os.path.isfile(path):
        raise SoundfontError(f"{path}: no such soundfont file")
    return path


def finish(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Scale to PEAK and fade the last few milliseconds to silence (a cut-off tail would click)."""
    audio = np.asarray(audio, dtype=np.float32)
    peak = float(np.abs(audio).max()) if audio.size else 0.0
    if peak > 0:
        audio *= PEAK / peak
    fade = min(len(audio), int(FADE_SECONDS * sample_rate))
    if fade:
        audio[len(audio) - fade :] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)
    return audio
