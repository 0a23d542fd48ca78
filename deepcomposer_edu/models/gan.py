"""A MuseGAN-style GAN for multi-track pianorolls, trained with WGAN-GP.

Lesson: lessons/03_gans.ipynb.

What it makes: 8 bars of 4/4 for 4 tracks (for the chorales: soprano, alto, tenor, bass), 16 steps per bar,
over a window of `n_pitches` MIDI pitches starting at `lowest_pitch`. At 64 BPM that is 30 seconds of music.

Two players learn together:
- the **generator** turns random noise (and, when accompanying, a melody) into a pianoroll of probabilities
  that each note is on;
- the **critic** scores pianorolls: high for real music, low for generated. It is a *critic*, not a
  discriminator: it outputs an unbounded score, not a probability (the Wasserstein GAN idea).

Training (one `GanTask.step`): the critic takes `critic_steps` updates to widen the gap between real and
generated scores, with a *gradient penalty* that keeps it smooth (WGAN-GP, Gulrajani et al. 2017); then the
generator takes one update to raise the critic's score of its own output.

Accompaniment: the generator is *conditional*. It always receives a melody track (all zeros for
unconditional generation) through a small encoder whose features join the generator at every scale, like a
U-Net. Its melody output is then replaced by the given melody, so the learner's theme comes back unchanged.

This file knows nothing of files or MIDI: tensors in, tensors out. Converting to and from Songs is
`deepcomposer_edu.music.pianoroll`, and the composer (`deepcomposer_edu/composers.py`) wires it up.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn


@dataclass
class GanConfig:
    n_tracks: int = 4
    n_bars: int = 8
    steps_per_bar: int = 16
    n_pitches: int = 48
    lowest_pitch: int = 36
    latent_size: int = 128
    width: int = 32  # channels of the first/last conv layer; each scale doubles it
    melody_track: int = 0  # which track the condition fills (soprano)
    critic_steps: int = 5
    gradient_penalty: float = 10.0
    learning_rate: float = 1e-3
    chord_critic: bool = False  # give the critic a second path that sees each step's pitch classes (see Critic)

    @property
    def n_steps(self) -> int:
        return self.n_bars * self.steps_per_bar

    def to_dict(self) -> dict:
        return asdict(self)


def _check_shape(config: GanConfig) -> None:
    if config.n_steps % 16 or config.n_pitches % 16:
        raise ValueError("n_bars * steps_per_bar and n_pitches must be multiples of 16 (four halvings)")


class MelodyEncoder(nn.Module):
    """Melody roll (B, 1, T, P) -> features at four scales: (B, w, T/2, P/2) ... (B, 8w, T/16, P/16)."""

    def __init__(self, width: int):
        super().__init__()
        channels = [1, width, 2 * width, 4 * width, 8 * width]
        self.downs = nn.ModuleList(
            nn.Sequential(nn.Conv2d(c_in, c_out, 4, stride=2, padding=1), nn.LeakyReLU(0.2))
            for c_in, c_out in zip(channels[:-1], channels[1:])
        )

    def forward(self, melody: torch.Tensor) -> list[torch.Tensor]:
        features = []
        x = melody
        for down in self.downs:
            x = down(x)
            features.append(x)
        return features  # finest first


class Generator(nn.Module):
    """Noise (B, Z) and melody (B, 1, T, P) -> note-on probabilities (B, tracks, T, P)."""

    def __init__(self, config: GanConfig):
        super().__init__()
        _check_shape(config)
        self.config = config
        w = config.width
        self.seed_shape = (8 * w, config.n_steps // 16, config.n_pitches // 16)
        self.project = nn.Linear(config.latent_size, 8 * w * self.seed_shape[1] * self.seed_shape[2])
        self.melody = MelodyEncoder(w)
        # Each up-block sees its input plus the melody features of the same scale (hence the 2x inputs).
        self.ups = nn.ModuleList(
            [
                self._up(2 * 8 * w, 4 * w),  # T/16 -> T/8
                self._up(2 * 4 * w, 2 * w),  # T/8  -> T/4
                self._up(2 * 2 * w, w),  # T/4  -> T/2
            ]
        )
        self.to_tracks = nn.ConvTranspose2d(2 * w, config.n_tracks, 4, stride=2, padding=1)  # T/2 -> T

    @staticmethod
    def _up(c_in: int, c_out: int) -> nn.Module:
        return nn.Sequential(
            nn.ConvTranspose2d(c_in, c_out, 4, stride=2, padding=1), nn.BatchNorm2d(c_out), nn.ReLU()
        )

    def forward(self, noise: torch.Tensor, melody: torch.Tensor) -> torch.Tensor:
        melody_features = self.melody(melody)  # finest first: T/2, T/4, T/8, T/16
        x = self.project(noise).view(-1, *self.seed_shape)  # (B, 8w, T/16, P/16)
        for up, skip in zip(self.ups, reversed(melody_features[1:])):
            x = up(torch.cat([x, skip], dim=1))
        x = self.to_tracks(torch.cat([x, melody_features[0]], dim=1))  # (B, tracks, T, P)
        return torch.sigmoid(x)


class Critic(nn.Module):
    """Pianorolls (B, tracks, T, P) -> one realism score per piece (B,). No batch norm: WGAN-GP needs
    each sample's score to depend on that sample alone.

    With `chord_critic`, a second path folds the pitches into the 12 pitch classes and reads all of them at
    once (a kernel one octave wide, as in MuseGAN's pitch-time factorisation): small 4x4 kernels see a few
    neighbouring pitches, so on their own they hardly notice a wrong note an octave away from the chord, or
    a piece that leaves its scale.
    """

    def __init__(self, config: GanConfig):
        super().__init__()
        _check_shape(config)
        w = config.width
        channels = [config.n_tracks, w, 2 * w, 4 * w, 8 * w]
        layers: list[nn.Module] = []
        for c_in, c_out in zip(channels[:-1], channels[1:]):
            layers += [nn.Conv2d(c_in, c_out, 4, stride=2, padding=1), nn.LeakyReLU(0.2)]
        self.features = nn.Sequential(*layers)  # (B, 8w, T/16, P/16)
        size = 8 * w * (config.n_steps // 16) * (config.n_pitches // 16)
        self.chords = self._chord_path(config) if config.chord_critic else None
        if self.chords is not None:
            size += 8 * w * (config.n_steps // 16)
        self.score = nn.Linear(size, 1)

    @staticmethod
    def _chord_path(config: GanConfig) -> nn.Module:
        w = config.width
        layers: list[nn.Module] = [nn.Conv2d(config.n_tracks, w, (1, 12)), nn.LeakyReLU(0.2)]  # (B, w, T, 1)
        for c_in, c_out in zip([w, 2 * w, 4 * w, 8 * w], [2 * w, 4 * w, 8 * w, 8 * w]):
            layers += [nn.Conv2d(c_in, c_out, (4, 1), stride=(2, 1), padding=(1, 0)), nn.LeakyReLU(0.2)]
        return nn.Sequential(*layers)  # (B, 8w, T/16, 1)

    def pitch_classes(self, rolls: torch.Tensor) -> torch.Tensor:
        """(B, tracks, T, P) -> (B, tracks, T, 12): each pitch class summed over octaves, C first when the
        window starts on a C (MIDI 36 does)."""
        batch, tracks, steps, pitches = rolls.shape
        padded = nn.functional.pad(rolls, (0, -pitches % 12))
        return padded.view(batch, tracks, steps, -1, 12).sum(dim=3)

    def forward(self, rolls: torch.Tensor) -> torch.Tensor:
        features = self.features(rolls).flatten(1)
        if self.chords is not None:
            features = torch.cat([features, self.chords(self.pitch_classes(rolls)).flatten(1)], dim=1)
        return self.score(features).squeeze(1)


def with_melody(rolls: torch.Tensor, melody: torch.Tensor, track: int) -> torch.Tensor:
    """Put `melody` (B, 1, T, P) into `track` of `rolls` (B, tracks, T, P): the given theme is kept as is."""
    return torch.cat([rolls[:, :track], melody, rolls[:, track + 1 :]], dim=1)


def gradient_penalty(critic: Critic, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """Mean of (|grad critic(x)| - 1)^2 at random points x between real and fake pieces (WGAN-GP)."""
    mix = torch.rand(real.shape[0], 1, 1, 1, device=real.device)
    between = (mix * real + (1 - mix) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(between).sum(), between, create_graph=True)
    return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()


class GanTask:
    """The GAN's training step for `deepcomposer_edu.train.train`.

    A batch is real pianorolls (B, tracks, T, P) with values in [0, 1]. Half of the generator's inputs get
    the real melody as condition (so it learns to accompany), half get none (so it learns to compose).
    """

    def __init__(self, config: GanConfig, generator: Generator | None = None, critic: Critic | None = None):
        self.config = config
        self.generator = generator or Generator(config)
        self.critic = critic or Critic(config)
        self.modules = {"generator": self.generator, "critic": self.critic}
        betas = (0.5, 0.9)
        self.optimizers = {
            "generator": torch.optim.Adam(self.generator.parameters(), lr=config.learning_rate, betas=betas),
            "critic": torch.optim.Adam(self.critic.parameters(), lr=config.learning_rate, betas=betas),
        }
        self._sample_noise = torch.randn(4, config.latent_size, generator=torch.Generator().manual_seed(0))

    def _conditions(self, real: torch.Tensor) -> torch.Tensor:
        track = self.config.melody_track
        melody = real[:, track : track + 1]
        keep = (torch.rand(real.shape[0], 1, 1, 1, device=real.device) < 0.5).float()
        return melody * keep  # (B, 1, T, P): the real melody, or silence

    def _fake(self, real: torch.Tensor) -> torch.Tensor:
        melody = self._conditions(real)
        noise = torch.randn(real.shape[0], self.config.latent_size, device=real.device)
        fake = self.generator(noise, melody)
        has_melody = melody.flatten(1).amax(dim=1).view(-1, 1, 1, 1) > 0
        return torch.where(has_melody, with_melody(fake, melody, self.config.melody_track), fake)

    def step(self, real: torch.Tensor) -> dict[str, float]:
        for _ in range(self.config.critic_steps):
            with torch.no_grad():
                fake = self._fake(real)
            wasserstein = self.critic(real).mean() - self.critic(fake).mean()
            penalty = gradient_penalty(self.critic, real, fake)
            critic_loss = -wasserstein + self.config.gradient_penalty * penalty
            self.optimizers["critic"].zero_grad()
            critic_loss.backward()
            self.optimizers["critic"].step()
        generator_loss = -self.critic(self._fake(real)).mean()
        self.optimizers["generator"].zero_grad()
        generator_loss.backward()
        self.optimizers["generator"].step()
        return {"critic": critic_loss.item(), "generator": generator_loss.item(), "wasserstein": wasserstein.item()}

    def sample(self) -> torch.Tensor:
        """Four unconditional pieces from fixed noise, so successive samples show the same 'seeds' improving."""
        device = next(self.generator.parameters()).device
        silence = torch.zeros(4, 1, self.config.n_steps, self.config.n_pitches, device=device)
        return self.generator(self._sample_noise.to(device), silence)


def binarize(probabilities: torch.Tensor, threshold: float = 0.5, one_note_per_track: bool = False,
             hold: bool = False, no_unison: bool = False) -> torch.Tensor:
    """Note-on probabilities (B, tracks, T, P) -> a 0/1 pianoroll of the same shape.

    The generator gives each (track, step, pitch) a probability of being on; we keep those above
    `threshold` (0.5: "more likely on than off"). Sampling each cell at random instead (Bernoulli) gives
    scattered, flickering notes, which is why MuseGAN found thresholding sounds better.
    With `one_note_per_track`, each track plays at most its most likely pitch at each step (a choir voice
    sings one note at a time), still only where that pitch is above `threshold`. With `hold` too, a track
    whose best pitch is not above the threshold keeps singing the last pitch it was sure of, instead of
    resting (a chorale voice rarely rests); before its first sure pitch it rests. With `no_unison` too, the
    tracks choose in order (soprano first) and a track may not take a pitch that a track above it sings at
    that step: it takes its most likely other pitch (two voices of a chorale seldom sing the same note).
    """
    if not one_note_per_track:
        return (probabilities > threshold).float()
    if no_unison:
        rolls, taken = [], torch.zeros_like(probabilities[:, :1])  # (B, 1, T, P): pitches of the tracks above
        for track in range(probabilities.shape[1]):
            roll = binarize(probabilities[:, track : track + 1] * (1 - taken), threshold, True, hold)
            rolls.append(roll)
            taken = torch.maximum(taken, roll)
        return torch.cat(rolls, dim=1)
    best, pitch = probabilities.max(dim=3, keepdim=True)  # (B, tracks, T, 1) each
    sure = best > threshold
    if hold:
        steps = torch.arange(pitch.shape[2], device=pitch.device).view(1, 1, -1, 1)
        last_sure = torch.where(sure, steps, -1).cummax(dim=2).values  # (B, tracks, T, 1): -1 before any
        pitch = pitch.gather(2, last_sure.clamp(min=0))
        sure = last_sure >= 0
    rolls = torch.zeros_like(probabilities).scatter_(3, pitch, 1.0)
    return rolls * sure.to(probabilities.dtype)


@torch.no_grad()
def generate_from_noise(
    generator: Generator, noise: torch.Tensor, melody: torch.Tensor | None = None, threshold: float = 0.5,
    one_note_per_track: bool = False, hold: bool = False, no_unison: bool = False,
) -> torch.Tensor:
    """Noise (N, Z) -> binary pianorolls (N, tracks, T, P); see `binarize` for the choices.

    `melody` (N, 1, T, P), when given, is kept unchanged in the melody track. Runs in the dtype of `noise`
    (the generator's weights must have the same dtype).
    """
    config = generator.config
    generator.eval()
    if melody is None:
        condition = torch.zeros(len(noise), 1, config.n_steps, config.n_pitches, dtype=noise.dtype)
    else:
        condition = melody.to(noise.dtype)
    rolls = binarize(generator(noise, condition), threshold, one_note_per_track, hold, no_unison)
    if melody is not None:
        rolls = with_melody(rolls, condition, config.melody_track)
    return rolls


def generate(
    generator: Generator, count: int, seed: int, melody: torch.Tensor | None = None, threshold: float = 0.5,
    one_note_per_track: bool = False, temperature: float = 1.0,
) -> torch.Tensor:
    """Sample `count` pieces -> binary pianorolls (count, tracks, T, P); see `binarize` for the choices.

    `temperature` scales the noise: below 1 the pieces stay nearer the generator's most typical output.
    `melody` (count or 1, 1, T, P), when given, is kept unchanged in the melody track.
    """
    noise = torch.randn(count, generator.config.latent_size, generator=torch.Generator().manual_seed(seed))
    condition = None if melody is None else melody.expand(count, -1, -1, -1).float()
    return generate_from_noise(generator, noise * temperature, condition, threshold, one_note_per_track)
