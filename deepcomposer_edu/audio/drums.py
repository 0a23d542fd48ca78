"""Drum sounds for the built-in synthesizer: the General MIDI drum map played with noise and sine sweeps.

Lesson: lessons/00_welcome.ipynb (drums are notes too: pitch 36 is a kick, 38 a snare, 42 a hi-hat).

On a drum track the pitch chooses the drum (the GM percussion key map) and the note length is ignored:
a drum is a one-shot sound. A kick is a sine sweeping down from 120 Hz to 45 Hz; a snare is a burst of
noise with a 190 Hz body; hi-hats and cymbals are high-passed noise with short or long decays; toms are
sine sweeps tuned by pitch.
"""

from __future__ import annotations

import numpy as np

KICKS = {35, 36}
SNARES = {38, 40}
CLAPS = {39}
TOMS = {41: 82.0, 43: 98.0, 45: 116.0, 47: 138.0, 48: 164.0, 50: 195.0}  # key -> pitch in Hz
CLOSED_HATS = {42, 44, 54}  # closed, pedal hi-hat, tambourine
OPEN_HATS = {46}
CYMBALS = {49: 1.2, 51: 0.7, 52: 1.0, 53: 0.5, 55: 0.6, 57: 1.2, 59: 0.7}  # key -> decay in seconds
COWBELLS = {56}
# how loud each drum sits in the mix, as a drummer plays them: hi-hats and cymbals well under kick and snare
LEVELS = {**dict.fromkeys(CLOSED_HATS | OPEN_HATS, 0.3), **dict.fromkeys(CYMBALS, 0.35), **dict.fromkeys(SNARES | CLAPS, 0.8)}


def drum_hit(key: int, sample_rate: int) -> np.ndarray:
    """The sound of GM drum `key` (35..81; other keys play a short click), float32, peak LEVELS[key] (else 1)."""
    rng = np.random.default_rng(1000 + key)  # fixed seed: the same hit always sounds the same

    def seconds(duration: float) -> np.ndarray:
        return np.arange(int(duration * sample_rate)) / sample_rate

    def noise(t: np.ndarray, bright: bool = False) -> np.ndarray:
        white = rng.uniform(-1.0, 1.0, len(t) + 1)
        return np.diff(white) / 2 if bright else white[:-1]  # a difference is a simple high-pass

    if key in KICKS:
        t = seconds(0.4)
        sweep = 45.0 + 75.0 * np.exp(-t / 0.04)  # Hz, falling from 120 to 45
        wave = np.sin(2 * np.pi * np.cumsum(sweep) / sample_rate) * np.exp(-t / 0.15)
        wave += 0.3 * noise(t) * np.exp(-t / 0.004)
    elif key in SNARES:
        t = seconds(0.3)
        wave = 0.7 * noise(t) * np.exp(-t / 0.07) + 0.5 * np.sin(2 * np.pi * 190.0 * t) * np.exp(-t / 0.05)
    elif key in CLAPS:
        t = seconds(0.3)
        bursts = sum(np.exp(-np.maximum(t - delay, 0) / 0.008) * (t >= delay) for delay in (0.0, 0.011, 0.022))
        wave = noise(t) * (0.6 * bursts + 0.5 * np.exp(-np.maximum(t - 0.022, 0) / 0.08) * (t >= 0.022))
    elif key in TOMS:
        t = seconds(0.45)
        pitch = TOMS[key] * (1.0 + 0.5 * np.exp(-t / 0.05))
        wave = np.sin(2 * np.pi * np.cumsum(pitch) / sample_rate) * np.exp(-t / 0.18)
    elif key in CLOSED_HATS or key in OPEN_HATS:
        t = seconds(0.45 if key in OPEN_HATS else 0.1)
        wave = 0.8 * noise(t, bright=True) * np.exp(-t / (0.15 if key in OPEN_HATS else 0.025))
    elif key in CYMBALS:
        t = seconds(2.5 * CYMBALS[key])
        wave = 0.6 * noise(t, bright=True) * np.exp(-t / CYMBALS[key])
    elif key in COWBELLS:
        t = seconds(0.3)
        wave = (np.sign(np.sin(2 * np.pi * 560 * t)) + np.sign(np.sin(2 * np.pi * 845 * t))) * 0.3 * np.exp(-t / 0.07)
    else:
        t = seconds(0.08)
        wave = noise(t) * np.exp(-t / 0.012)
    fade = min(len(t), int(0.005 * sample_rate))
    wave[len(wave) - fade :] *= np.linspace(1.0, 0.0, fade)  # end at exactly 0: no click
    return (wave * LEVELS.get(key, 1.0) / max(np.abs(wave).max(), 1e-9)).astype(np.float32)
