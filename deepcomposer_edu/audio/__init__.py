"""Hear a Song: render it to samples, play it in a notebook, export it as WAV or MP3.

Lesson: lessons/00_welcome.ipynb (first listen); every later lesson plays what it makes.

- `render(song)`: mono float32 samples, through a General MIDI soundfont when one is installed
  (soundfont.py), else the built-in synthesizer (synth.py, timbres.py, drums.py), so sound always works.
- `play(song)`: a notebook audio player. `export(song, "x.wav" / "x.mp3")`: a file, written atomically.
- `instrument(name)`, `apply_instrument_pack(song, pack)`: the named instrument library (instruments.py).
"""

from .export import export
from .instruments import PACKS, PRESETS, apply_instrument_pack, instrument
from .player import play
from .render import render
from .soundfont import SoundfontError, find_soundfont

__all__ = ["PACKS", "PRESETS", "SoundfontError", "apply_instrument_pack", "export", "find_soundfont", "instrument",
           "play", "render"]
