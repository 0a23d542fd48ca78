"""Example music shipped with the package, so every lesson runs without a keyboard or a download.

Lesson: lessons/00_welcome.ipynb (the first song you hear) and lessons/01_record_a_melody.ipynb.

`example_theme()` is an 8-bar melody in 4/4 (C major, 100 BPM), stored as `theme.mid` beside this file and
made by `make_theme.py`. A lesson uses it whenever the learner has not recorded a theme of their own.
"""

from __future__ import annotations

from pathlib import Path

from ..music.midi import read_midi
from ..music.song import Song

THEME_PATH = Path(__file__).with_name("theme.mid")


def example_theme() -> Song:
    """The shipped 8-bar example theme, read from `theme.mid` (a fresh Song each call)."""
    return read_midi(THEME_PATH)


__all__ = ["example_theme", "THEME_PATH"]
