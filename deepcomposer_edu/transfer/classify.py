"""The style judge: which of the course's styles a melody sounds like, from its melody line alone.

Lesson: lessons/07_style_transfer.ipynb (style as something you can measure; the judge of transfer).

    from deepcomposer_edu.transfer.classify import load_style_classifier
    judge = load_style_classifier()                 # the shipped 'style-classifier'
    judge.styles                                    # ['chorale', 'german_folk', ...]
    judge.probabilities([melody_a, melody_b])       # (2, 9) numpy array, rows sum to 1
    judge.predict([melody_a, melody_b])             # ['irish', 'chorale']
    judge.song_probabilities(song)                  # a whole piece: the mean over its 24-beat windows

It sees only what `transfer/melody.py` keeps: pitches, onsets and durations in beats. No tempo, no
time-signature metadata, no instrument, no count of voices: a chorale is recognised by how its soprano
moves, not by having four voices; a jig by its lilting rhythm, not by a 6/8 marking. Onsets are measured
from the melody's first bar line, so "where in the beat" and "where in 2, 3 or 4 beats" are real features.

`StyleClassifier.with_new_style("anime", my_melodies, seconds=60)` teaches it one more style: a learner's
own folder (see `classify_training.py`). The network itself is `models/classifier.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..errors import InvalidArgumentError
from ..models.classifier import FEATURE_SIZES, ClassifierConfig, StyleCNN
from ..music.keys import MAJOR_PROFILE, MINOR_PROFILE
from ..music.song import Song
from ..registry import ModelCard, Registry
from .melody import Melody, melody_line

MODEL_TYPE = "style-classifier"  # the card's type: a judge, not a composer (generate-music refuses it)
DEFAULT_NAME = "style-classifier"
LOWEST_PITCH = 21  # the piano's lowest key; FEATURE_SIZES["pitch"] keys from here up
WINDOW_BARS = 8  # the window the shipped classifier was trained on
JUDGE_BEATS = 24.0  # a whole piece is judged in windows of 24 beats (8 bars of 3/4 or 6/8, 6 of 4/4) ...
JUDGE_HOP = 12.0  # ... one every 12 beats (a multiple of 2, 3 and 4)

# The 24 key profiles as rows: major on C, C#, ..., B, then minor on C, ..., B.
_PROFILES = np.stack([np.roll(MAJOR_PROFILE, tonic) for tonic in range(12)]
                     + [np.roll(MINOR_PROFILE, tonic) for tonic in range(12)])
_PROFILES = (_PROFILES - _PROFILES.mean(axis=1, keepdims=True)) / _PROFILES.std(axis=1, keepdims=True)


@dataclass(frozen=True)
class NoteFeatures:
    """One melody as the network reads it."""

    codes: np.ndarray  # (notes, 9) int64, the whole-number features in FEATURE_SIZES order
    contour: np.ndarray  # (notes,) float32, (pitch - mean pitch) / 12: octaves above the melody's centre


def estimate_tonic(pitches: np.ndarray, durations: np.ndarray) -> tuple[int, bool]:
    """(tonic pitch class, minor?) by Krumhansl-Schmuckler on the melody's pitch-class durations."""
    weights = np.bincount(pitches % 12, weights=durations, minlength=12)
    if weights.std() == 0:
        return int(pitches[0] % 12), False
    best = int(np.argmax(_PROFILES @ ((weights - weights.mean()) / weights.std())))
    return best % 12, best >= 12


def _log_bucket(beats: np.ndarray) -> np.ndarray:
    """1 + round(3 log2(twelfths of a beat)), clipped to 1..22: 1 is a twelfth, 22 is 8 beats or more."""
    twelfths = np.clip(np.round(beats * 12.0), 1, 96)
    return 1 + np.clip(np.round(3.0 * np.log2(twelfths)), 0, 21).astype(np.int64)


def melody_features(melody: Melody, transpose: int = 0) -> NoteFeatures:
    """The per-note features of `melody` (optionally transposed by `transpose` semitones: augmentation)."""
    if len(melody) == 0:
        raise InvalidArgumentError("the melody has no notes: there is nothing to judge")
    pitches = np.asarray(melody.pitches, dtype=np.int64) + transpose
    onsets = np.asarray(melody.onsets, dtype=np.float64)
    durations = np.asarray(melody.durations, dtype=np.float64)
    tonic, minor = estimate_tonic(pitches, np.maximum(durations, 1e-3))

    interval = np.zeros(len(pitches), dtype=np.int64)
    interval[1:] = np.clip(np.diff(pitches), -19, 19) + 21
    ioi = np.zeros(len(pitches), dtype=np.int64)
    ioi[1:] = _log_bucket(np.diff(onsets))
    twelfths = np.round(onsets * 12.0).astype(np.int64)  # onset on a grid of twelfths of a beat
    half_beats = twelfths // 6
    codes = np.stack([
        np.clip(pitches - LOWEST_PITCH, 0, FEATURE_SIZES["pitch"] - 1),
        interval,
        (pitches - tonic) % 12 + 12 * int(minor),
        _log_bucket(durations),
        ioi,
        twelfths % 12,
        half_beats % 4,
        half_beats % 6,
        half_beats % 8,
    ], axis=1)
    contour = ((pitches - pitches.mean()) / 12.0).astype(np.float32)
    return NoteFeatures(codes, contour)


def collate(items: list[NoteFeatures]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Pad melodies of any lengths into one batch: codes (batch, length, 9), contour and mask (batch, length)."""
    length = max(len(item.contour) for item in items)
    codes = np.zeros((len(items), length, len(FEATURE_SIZES)), dtype=np.int64)
    contour = np.zeros((len(items), length), dtype=np.float32)
    mask = np.zeros((len(items), length), dtype=bool)
    for row, item in enumerate(items):
        codes[row, : len(item.contour)] = item.codes
        contour[row, : len(item.contour)] = item.contour
        mask[row, : len(item.contour)] = True
    return torch.from_numpy(codes), torch.from_numpy(contour), torch.from_numpy(mask)


def beat_windows(melody: Melody, beats: float = JUDGE_BEATS, hop: float = JUDGE_HOP, min_notes: int = 4) -> list[Melody]:
    """`melody` cut into stretches of `beats` beats, one starting every `hop` beats (a melody shorter than
    `beats`, or one with no stretch of `min_notes` notes, is one window: itself).

    Cut by beats, not by bars, so that a file's time-signature marking cannot change the verdict. The hop is a
    multiple of 12 beats, so every window starts at the same place in a group of 2, 3 or 4 beats as the melody.
    """
    if len(melody) == 0:
        raise InvalidArgumentError("the melody has no notes: there is nothing to judge")
    last_start = max(0.0, float(melody.onsets[-1]) - beats + hop)
    windows = []
    for start in np.arange(0.0, last_start + 1e-9, hop):
        inside = (melody.onsets >= start - 1e-6) & (melody.onsets < start + beats - 1e-6)
        if int(inside.sum()) >= min_notes:
            windows.append(Melody(melody.pitches[inside], melody.onsets[inside] - start,
                                  np.minimum(melody.durations[inside], start + beats - melody.onsets[inside])))
    return windows or [melody]


@dataclass(frozen=True)
class Reference:
    """Pooled notes of corpus windows, kept with a classifier so a new style can be added without the corpora."""

    pooled: torch.Tensor  # (windows, 2 * width) float: `StyleCNN.pooled` of each window
    styles: torch.Tensor  # (windows,) long: the index of each window's style


class StyleClassifier:
    """A trained `StyleCNN` with the names of its styles: melodies in, style probabilities out.

    `reference` (optional) holds the pooled notes of a sample of training windows of every style it knows,
    used by `with_new_style`.
    """

    def __init__(self, network: StyleCNN, card: ModelCard | None = None, reference: Reference | None = None):
        self.network = network.eval()
        self.card = card
        self.reference = reference

    @property
    def styles(self) -> list[str]:
        return list(self.network.config.styles)

    def _melodies(self, melodies) -> list[Melody]:
        if isinstance(melodies, (Melody, Song)):
            melodies = [melodies]
        return [melody_line(item) if isinstance(item, Song) else item for item in melodies]

    def pooled(self, melodies, transpose: int = 0, batch_size: int = 256) -> torch.Tensor:
        """(n, 2 * width): what the last layer sees of each melody (its notes, convolved and pooled)."""
        features = [melody_features(melody, transpose) for melody in self._melodies(melodies)]
        rows = [torch.zeros(0, 2 * self.network.config.width)]
        with torch.no_grad():
            for start in range(0, len(features), batch_size):
                rows.append(self.network.pooled(*collate(features[start : start + batch_size])))
        return torch.cat(rows)

    def logits(self, melodies) -> np.ndarray:
        """(n, styles) unnormalised scores; melodies may be `Melody`s or `Song`s (their melody line)."""
        with torch.no_grad():
            return self.network.head(self.pooled(melodies)).numpy()

    def probabilities(self, melodies) -> np.ndarray:
        """(n, styles): the probability of each style for each melody; each row sums to 1."""
        logits = self.logits(melodies).astype(np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def predict(self, melodies) -> list[str]:
        """The most likely style of each melody."""
        return [self.styles[int(row)] for row in np.argmax(self.logits(melodies), axis=1)]

    def song_probabilities(self, song: Song) -> np.ndarray:
        """(styles,): a whole piece judged as the mean over its melody's `beat_windows`."""
        return self.probabilities(beat_windows(melody_line(song))).mean(axis=0)

    def with_new_style(self, name: str, melodies, seconds: float = 60.0, seed: int = 0,
                       progress: bool = True) -> "StyleClassifier":
        """A classifier that also knows style `name`, learned from `melodies` (Melodies or Songs, 10+ pieces).

        The network's body is kept as it is; its last layer is trained again (for at most `seconds`) on the
        new melodies' 8-bar windows and a balanced sample of every style it knew. See
        `classify_training.add_style`.
        """
        from .classify_training import add_style

        return add_style(self, name, melodies, seconds=seconds, seed=seed, progress=progress)

    def save(self, name: str, registry: Registry | None = None, overwrite: bool = False, description: str = "",
             metrics: dict | None = None, data: dict | None = None, command: str = "", seed: int | None = None):
        """Save to the user's registry (or `registry`) under `name`; `load_style_classifier(name)` finds it."""
        card = ModelCard(
            name=name, type=MODEL_TYPE,
            description=description or f"melody-only style classifier over {', '.join(self.styles)}",
            data=data or {}, settings={"network": self.network.config.to_dict(), "window_bars": WINDOW_BARS},
            metrics=metrics or {}, command=command, seed=seed,
        )
        tensors = {key: value.detach().clone() for key, value in self.network.state_dict().items()}
        if self.reference is not None:
            tensors |= {"reference.pooled": self.reference.pooled.half(), "reference.styles": self.reference.styles}
        return (registry or Registry()).save(card, tensors, overwrite=overwrite)


def load_style_classifier(name: str = DEFAULT_NAME, registry: Registry | None = None) -> StyleClassifier:
    """The classifier saved as `name` (default: the shipped 'style-classifier'), ready to judge."""
    model, tensors = (registry or Registry()).load(name)
    if model.card.type != MODEL_TYPE:
        raise InvalidArgumentError(f"model {name!r} is a {model.card.type} model, not a {MODEL_TYPE}")
    network = StyleCNN(ClassifierConfig.from_dict(model.card.settings["network"]))
    reference = None
    if "reference.pooled" in tensors:
        reference = Reference(tensors.pop("reference.pooled").float(), tensors.pop("reference.styles").long())
    network.load_state_dict(tensors)
    return StyleClassifier(network, model.card, reference)
