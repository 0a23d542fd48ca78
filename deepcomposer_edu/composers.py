"""Model types: for each, how to train one from Songs and how to compose Songs with it.

Lesson: lessons/04_transformers.ipynb (the Markov baseline) and every lesson that saves a model.

Models (`deepcomposer_edu/models/`) know only tensors; the registry knows only files and cards. This table
is the bridge: a `ModelType` turns Songs into a model's tensors (`train`) and a model's tensors back into a
`Composer` that writes Songs (`load`). The client and the command line find a model's type on its card and
look it up here, so adding a kind of model (the GAN, the transformer) means adding one entry to
`MODEL_TYPES`, and nothing else changes.

Every composer draws its randomness from a `torch.Generator` seeded with the caller's seed, so the same
seed and the same model give the same Song.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Callable, Protocol

import torch
from tqdm.auto import tqdm

from .errors import InvalidArgumentError
from .gan_composer import DEFAULTS as GAN_DEFAULTS
from .gan_composer import GanComposer, train_gan
from .music import Note, Song, TempoChange, TimeSignature, Track
from .transformer_composer import TRANSFORMER_DEFAULTS, TransformerComposer, train_transformer
from .transfer.learn_style import STYLE_DEFAULTS, StyleComposer, train_style_model

STEPS_PER_BEAT = 4  # the Markov chain's grid: sixteenth notes


class Composer(Protocol):
    """A loaded model, ready to compose."""

    def generate(self, seconds: float, seed: int, temperature: float = 1.0) -> Song: ...


@dataclass
class Trained:
    """What training returns: the tensors to save, the settings to rebuild the model, what was measured."""

    tensors: dict[str, torch.Tensor]
    settings: dict
    metrics: dict


@dataclass(frozen=True)
class ModelType:
    name: str
    summary: str
    defaults: dict  # the settings a learner may change when creating one, with their default values
    train: Callable[[list[Song], dict, int], Trained]  # (songs, settings, seed) -> Trained
    load: Callable[[dict, dict], Composer]  # (tensors, settings from the card) -> Composer


# --- markov: the n-gram baseline --------------------------------------------------------------------------


def melody_of(song: Song) -> tuple[torch.Tensor, int]:
    """The song's top line on the sixteenth-note grid: ([notes, 3] (pitch, start, duration) in steps, steps per bar)."""
    from .music.ops import quantize, skyline

    line = skyline(quantize(song, STEPS_PER_BEAT))
    rows = []
    for note in line.notes:
        start, end = round(note.start * STEPS_PER_BEAT), round(note.end * STEPS_PER_BEAT)
        rows.append((note.pitch, start, end - start))
    steps_per_bar = round(song.time_signature.bar_length * STEPS_PER_BEAT)
    return torch.tensor(rows, dtype=torch.long).reshape(len(rows), 3), steps_per_bar


def train_markov(songs: list[Song], settings: dict, seed: int) -> Trained:
    """Count the melodies of `songs` (counting needs no seed: the same songs always give the same model)."""
    from .models.markov import MarkovConfig, MarkovMelody

    began = time.perf_counter()
    try:
        config = MarkovConfig(order=settings["order"], max_interval=settings["max_interval"],
                              max_duration=settings["max_duration"])
    except ValueError as error:
        raise InvalidArgumentError(f"markov settings: {error}") from None
    melodies = [melody_of(song) for song in tqdm(songs, desc="reading melodies", unit="song", leave=False)]
    melodies = [(melody, bar) for melody, bar in melodies if len(melody) >= 2]
    if not melodies:
        raise InvalidArgumentError("the training songs hold no melody of two notes or more: nothing to learn")
    model = MarkovMelody.fit(config, melodies)
    meters = Counter((s.time_signature.numerator, s.time_signature.denominator) for s in songs)
    programs = Counter(t.program for s in songs for t in s.tracks[:1] if not t.is_drum)
    full = {
        **asdict(config),
        "tempo": round(statistics.median(song.tempo for song in songs), 2),
        "time_signature": list(meters.most_common(1)[0][0]),
        "program": programs.most_common(1)[0][0] if programs else 0,
    }
    metrics = {
        "songs": len(melodies),
        "notes": sum(len(melody) for melody, _ in melodies),
        "contexts": [len(model.tensors[f"counts_{k}"]) for k in range(config.order + 1)],
        "training_seconds": round(time.perf_counter() - began, 3),
    }
    return Trained(model.state_dict(), full, metrics)


class MarkovComposer:
    """Samples melodies from a Markov chain, a whole number of bars close to the length asked for."""

    def __init__(self, tensors: dict, settings: dict):
        from .models.markov import MarkovConfig, MarkovMelody

        config = MarkovConfig(order=settings["order"], max_interval=settings["max_interval"],
                              max_duration=settings["max_duration"])
        self.model = MarkovMelody(config, tensors)
        self.tempo = float(settings["tempo"])
        self.meter = TimeSignature(0.0, *settings["time_signature"])
        self.program = int(settings.get("program", 0))

    def generate(self, seconds: float, seed: int, temperature: float = 1.0) -> Song:
        if not seconds > 0:
            raise InvalidArgumentError(f"length must be a positive number of seconds, got {seconds}")
        if not temperature > 0:
            raise InvalidArgumentError(f"temperature must be positive, got {temperature}")
        bar_seconds = self.meter.bar_length * 60.0 / self.tempo
        bars = max(1, round(seconds / bar_seconds))
        steps_per_bar = round(self.meter.bar_length * STEPS_PER_BEAT)
        generator = torch.Generator().manual_seed(seed)
        melody = self.model.sample(bars * steps_per_bar, steps_per_bar, generator, temperature)  # [notes, 3]
        notes = [Note(p, s / STEPS_PER_BEAT, (s + d) / STEPS_PER_BEAT, 80) for p, s, d in melody.tolist()]
        return Song(
            tracks=[Track(notes, program=self.program, name="melody")],
            tempos=[TempoChange(0.0, self.tempo)],
            time_signatures=[self.meter],
            title=f"markov melody, seed {seed}",
        )


# --- the table ------------------------------------------------------------------------------------------

MODEL_TYPES: dict[str, ModelType] = {
    "markov": ModelType(
        name="markov",
        summary="order-n Markov chain over melody events (interval, duration, bar position), with back-off",
        defaults={"order": 3, "max_interval": 12, "max_duration": 16},
        train=train_markov,
        load=MarkovComposer,
    ),
    "gan": ModelType(
        name="gan",
        summary="MuseGAN-style GAN (WGAN-GP) over 4-voice pianorolls: composes 8-bar windows, accompanies a melody",
        defaults=GAN_DEFAULTS,
        train=train_gan,
        load=GanComposer,
    ),
    "transformer": ModelType(
        name="transformer",
        summary="small Music Transformer over REMI melody tokens (relative attention), trained or fine-tuned",
        defaults=TRANSFORMER_DEFAULTS,
        train=train_transformer,
        load=TransformerComposer,
    ),
    "style": ModelType(
        name="style",
        summary="style-conditioned melody model (style transfer, lesson 07): learns your files' style as a new one",
        defaults=STYLE_DEFAULTS,
        train=train_style_model,
        load=StyleComposer,
    ),
}


def model_type(name: str) -> ModelType:
    """The entry for `name`, or a clear error listing the types this version knows."""
    if name not in MODEL_TYPES:
        raise InvalidArgumentError(f"unknown model type {name!r}; types are {', '.join(sorted(MODEL_TYPES))}")
    return MODEL_TYPES[name]


def settings_for(kind: ModelType, given: dict | None) -> dict:
    """The type's default settings updated with `given`; an unknown setting or a wrong kind of value is refused."""
    settings = dict(kind.defaults)
    for key, value in (given or {}).items():
        if key not in kind.defaults:
            raise InvalidArgumentError(
                f"unknown setting {key!r} for a {kind.name} model; settings are {', '.join(sorted(kind.defaults))}"
            )
        expected = type(kind.defaults[key])
        if expected is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise InvalidArgumentError(f"setting {key} must be a whole number >= 0, got {value!r}")
        settings[key] = value
    return settings
