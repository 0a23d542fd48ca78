"""Listening in a notebook: `play(song)` returns an audio player that Jupyter shows under the cell.

Lesson: lessons/00_welcome.ipynb (press play).
"""

from __future__ import annotations

import numpy as np

from ..errors import NotInstalledError
from ..music.song import Song
from .render import render

PLAYER_SAMPLE_RATE = 22050


def play(song_or_audio, sample_rate: int = PLAYER_SAMPLE_RATE, soundfont=None, instrument_pack: str | None = None):
    """An `IPython.display.Audio` player for a Song (rendered with `render`) or for an audio array.

    Make it the last line of a cell (or pass it to `display`) to see the player.
    """
    try:
        from IPython.display import Audio
    except ImportError as error:
        raise NotInstalledError("play() needs IPython: pip install 'deepcomposer-edu[lessons]'") from error

    if isinstance(song_or_audio, Song):
        audio = render(song_or_audio, sample_rate=sample_rate, soundfont=soundfont, instrument_pack=instrument_pack)
    else:
        audio = np.asarray(song_or_audio, dtype=np.float32)
    return Audio(data=np.clip(audio, -1.0, 1.0), rate=sample_rate, normalize=False)
