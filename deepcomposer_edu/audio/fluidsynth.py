"""The second way to play a soundfont: the `fluidsynth` program (Debian/Ubuntu/Homebrew package).

Lesson: lessons/00_welcome.ipynb (behind `render`; nothing to call directly).

Used when the tinysoundfont Python package is missing but the fluidsynth program is installed (the Binder
image installs it with apt). The Song is written to a temporary MIDI file, fluidsynth renders it "faster
than real time" to raw 32-bit float samples, and we read them back. Reverb and chorus are off, so rests
stay silent and the result matches the tinysoundfont path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..music.song import Song
from .soundfont import SoundfontError, restrike_overlaps

TIMEOUT_SECONDS = 300


def fluidsynth_program() -> str | None:
    """Path of the fluidsynth executable, or None if it is not installed."""
    return shutil.which("fluidsynth")


def playable(song: Song) -> Song:
    """`song` with overlapping same-pitch notes in each track turned into re-strikes (see restrike_overlaps)."""
    return replace(song, tracks=[replace(track, notes=restrike_overlaps(track.notes)) for track in song.tracks])


def render_fluidsynth(song: Song, soundfont: str | os.PathLike, sample_rate: int, total_samples: int) -> np.ndarray:
    """Play `song` through `soundfont` with the fluidsynth program; mono float32, `total_samples` long."""
    from ..music.midi import midi_bytes

    program = fluidsynth_program()
    if program is None:
        raise SoundfontError("neither tinysoundfont nor the fluidsynth program is installed")
    with tempfile.TemporaryDirectory(prefix="deepcomposer-render-") as folder:
        midi_path, raw_path = Path(folder) / "song.mid", Path(folder) / "song.raw"
        midi_path.write_bytes(midi_bytes(playable(song)))
        command = [program, "-n", "-i", "-q", "-R", "0", "-C", "0", "-g", "0.5", "-r", str(sample_rate),
                   "-T", "raw", "-O", "float", "-E", "little", "-F", str(raw_path), os.fspath(soundfont), str(midi_path)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
        if result.returncode != 0 or not raw_path.exists():
            reason = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
            raise SoundfontError(f"{soundfont}: fluidsynth could not render it ({reason[0]})")
        stereo = np.fromfile(raw_path, dtype="<f4").reshape(-1, 2)  # interleaved L, R
    mono = np.zeros(total_samples, dtype=np.float32)
    count = min(total_samples, len(stereo))
    mono[:count] = stereo[:count].mean(axis=1)
    return mono
