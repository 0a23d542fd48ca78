"""Real work to measure: a short training run of the course's GAN, and one generated piece.

Lesson: lessons/09_what_it_costs.ipynb (measuring what music costs on your own computer).

What it does, so the figures mean something:
- training: the GAN of lesson 03 (`models/gan.py`, MuseGAN-style, WGAN-GP) trained with the course's one
  training loop (`train.py`) for a fixed number of steps, on pianorolls of the example theme in 12 keys
  (melody track only). A few dozen steps teach it little about music; the point here is the *time* a step
  takes, which depends on the model and the batch, not on how good the music gets. `rolls=` takes any real
  batch of pianorolls (e.g. a corpus from lesson 02) of shape (pieces, tracks, steps, pitches).
- generation: one 8-bar piece from the generator, turned into a Song: at 64 BPM that is 30 seconds of music,
  exactly one billing unit in the cloud's price list.

`cost.measure.measure` times any callable, so a later lesson can measure its transformer the same way.
"""

from __future__ import annotations

import numpy as np
import torch

from ..examples import example_theme
from ..models.gan import GanConfig, GanTask, Generator, generate
from ..music.ops import transpose
from ..music.pianoroll import crop_pitches, from_pianoroll, pad_pitches, to_pianoroll
from ..music.song import Song
from ..paths import smoke_mode
from ..train import TrainingConfig, train

PIECE_BPM = 64.0  # 8 bars of 4/4 at 64 BPM = 30 s


def default_training_steps() -> int:
    """20 steps (about 20 seconds on one free laptop core); 2 under DEEPCOMPOSER_SMOKE=1."""
    return 2 if smoke_mode() else 20


def theme_rolls(config: GanConfig | None = None) -> torch.Tensor:
    """The example theme in 12 keys as GAN training pieces: (12, tracks, steps, pitches), melody in its track."""
    config = config or GanConfig()
    rolls = torch.zeros(12, config.n_tracks, config.n_steps, config.n_pitches)
    steps_per_beat = config.steps_per_bar // 4
    for index, semitones in enumerate(range(-5, 7)):
        roll = to_pianoroll(transpose(example_theme(), semitones), steps_per_beat, steps=config.n_steps)[0]
        window = crop_pitches(roll, config.lowest_pitch, config.lowest_pitch + config.n_pitches)  # (steps, pitches)
        rolls[index, config.melody_track] = torch.from_numpy((window > 0).astype(np.float32))
    return rolls


def train_gan(
    steps: int, rolls: torch.Tensor | None = None, config: GanConfig | None = None, batch_size: int = 8, seed: int = 0
) -> Generator:
    """Train a fresh GAN for `steps` steps on `rolls` (default: `theme_rolls`) and return its generator."""
    config = config or GanConfig()
    rolls = theme_rolls(config) if rolls is None else rolls
    torch.manual_seed(seed)
    task = GanTask(config)
    batches = torch.utils.data.DataLoader(
        rolls, batch_size=batch_size, shuffle=True, drop_last=len(rolls) >= batch_size
    )
    train(task, batches, TrainingConfig(max_steps=steps, seed=seed, device="cpu", progress=False))
    return task.generator


def untrained_generator(config: GanConfig | None = None, seed: int = 0) -> Generator:
    """A GAN generator with fresh random weights: for timing generation, which costs the same arithmetic
    whatever the weights (`deepcomposer estimate-cost --compare` uses it, so it needs no training first)."""
    torch.manual_seed(seed)
    return Generator(config or GanConfig())


def generate_piece(generator: Generator, seed: int = 0, bpm: float = PIECE_BPM) -> Song:
    """One piece from `generator` as a Song (8 bars: 30 s at the default 64 BPM)."""
    config = generator.config
    roll = generate(generator, count=1, seed=seed)[0].numpy().astype(bool)  # (tracks, steps, pitches)
    full = pad_pitches(roll, config.lowest_pitch)  # (tracks, steps, 128)
    return from_pianoroll(full, steps_per_beat=config.steps_per_bar // 4, tempo=bpm)


def piece_seconds(generator: Generator, bpm: float = PIECE_BPM) -> float:
    """How many seconds of music one generated piece lasts (its full 8 bars, sounding or silent)."""
    return generator.config.n_steps / (generator.config.steps_per_bar // 4) * 60.0 / bpm
