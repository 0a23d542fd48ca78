"""ADSR envelopes: how a note's loudness rises, falls, holds and dies away.

Lesson: lessons/00_welcome.ipynb (why a piano and a violin playing the same A4 sound different).

A = attack (seconds from silence to full), D = decay (time constant of the fall towards S),
S = sustain (level held while the key is down, 0..1), R = release (seconds from key-up to silence).
The envelope starts at 0 and ends at exactly 0, so a note never starts or stops with a click.
"""

from __future__ import annotations

import numpy as np


def adsr(on_samples: int, sample_rate: int, attack: float, decay: float, sustain: float, release: float) -> np.ndarray:
    """Envelope of a note held for `on_samples`, followed by its release; shape (on_samples + release samples,)."""
    attack = max(attack, 0.003)  # at least 3 ms: an instant jump is heard as a click
    release_samples = max(int(release * sample_rate), int(0.005 * sample_rate))
    t = np.arange(on_samples, dtype=np.float32) / sample_rate
    rising = np.minimum(t / attack, 1.0)
    falling = sustain + (1.0 - sustain) * np.exp(-np.maximum(t - attack, 0.0) / max(decay, 1e-3))
    held = np.where(t < attack, rising, falling)
    level_at_release = held[-1] if on_samples else 0.0
    fade = np.linspace(1.0, 0.0, release_samples, dtype=np.float32) ** 2  # a quick but smooth fall to 0
    return np.concatenate([held, level_at_release * fade]).astype(np.float32)
