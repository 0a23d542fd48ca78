"""Training and measuring the style classifier: balanced batches, the training task, accuracy per style.

Lesson: lessons/07_style_transfer.ipynb (teaching the judge a style of your own).

Two things train a classifier, and both come through here and the course's one training loop (`train.py`):

- `scripts/train_style_classifier.py` makes the shipped 'style-classifier' from every style's corpus;
- `StyleClassifier.with_new_style` (`add_style` below) teaches it one more style from a learner's folder.

The corpora are very uneven (the classical quartets give 9 training pieces, the German folk songs 4,600),
so a batch draws its style first, uniformly, and then a window of that style: every style weighs the same.
Each window is moved up or down by a few semitones at random, so the classifier learns how a style moves
rather than which key its sources happen to be written in.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch
from torch import nn

from ..errors import InvalidArgumentError
from ..models.classifier import FEATURE_SIZES, StyleCNN
from ..music.song import Song
from ..paths import smoke_mode
from ..styles import STYLES, normalise
from ..train import TrainingConfig, train
from .classify import WINDOW_BARS, NoteFeatures, Reference, StyleClassifier, collate, melody_features
from .melody import Melody, bar_windows, melody_line, melody_windows

MAX_SHIFT = 4  # transposition augmentation: up to this many semitones up or down
MIN_PIECES = 10  # a new style needs a folder of at least this many pieces


@lru_cache(maxsize=64)
def style_windows(style: str, split: str, hop: int | None = None) -> tuple[Melody, ...]:
    """Every 8-bar melody window of a style's corpus split (cached: reading a corpus takes a second or two)."""
    corpus = next(item.corpus for item in STYLES if item.name == style)
    return tuple(melody for _, melody in melody_windows(corpus, split, bars=8, hop=hop))


class BalancedBatches:
    """Endless batches: each item picks a style uniformly, then one of its windows, then a transposition."""

    def __init__(self, features: list[list[NoteFeatures]], batch_size: int = 64, seed: int = 0,
                 max_shift: int = MAX_SHIFT):
        if any(not group for group in features):
            raise InvalidArgumentError("every style needs at least one melody window to train on")
        self.features = features
        self.batch_size = batch_size
        self.max_shift = max_shift
        self.random = np.random.default_rng(seed)

    def __iter__(self):
        while True:
            styles = self.random.integers(len(self.features), size=self.batch_size)
            items = []
            for style in styles:
                group = self.features[style]
                item = group[self.random.integers(len(group))]
                shift = int(self.random.integers(-self.max_shift, self.max_shift + 1))
                codes = item.codes.copy()
                codes[:, 0] = np.clip(codes[:, 0] + shift, 0, FEATURE_SIZES["pitch"] - 1)  # only pitch moves
                items.append(NoteFeatures(codes, item.contour))
            yield (*collate(items), torch.from_numpy(styles))


class ClassifierTask:
    """The training loop's task: one Adam step of cross-entropy on a batch."""

    def __init__(self, network: StyleCNN, learning_rate: float = 2e-3, weight_decay: float = 1e-4):
        self.network = network
        self.modules = {"classifier": network}
        self.optimizers = {"adam": torch.optim.AdamW(network.parameters(), lr=learning_rate,
                                                     weight_decay=weight_decay)}
        self.loss = nn.CrossEntropyLoss(label_smoothing=0.05)

    def step(self, batch) -> dict[str, float]:
        codes, contour, mask, styles = batch  # (batch, length, 9), (batch, length), (batch, length), (batch,)
        logits = self.network(codes, contour, mask)  # (batch, styles)
        loss = self.loss(logits, styles)
        optimizer = self.optimizers["adam"]
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(self.network.parameters(), 1.0)
        optimizer.step()
        return {"loss": loss.item(), "accuracy": (logits.argmax(-1) == styles).float().mean().item()}


@dataclass
class Evaluation:
    """Accuracy per style on a set of labelled windows, and the confusion matrix (rows: true style)."""

    styles: list[str]
    confusion: np.ndarray  # (styles, styles) int: confusion[true, predicted]

    @property
    def per_style(self) -> dict[str, float]:
        totals = self.confusion.sum(axis=1)
        return {style: float(self.confusion[i, i] / totals[i]) if totals[i] else float("nan")
                for i, style in enumerate(self.styles)}

    @property
    def balanced_accuracy(self) -> float:
        """The mean of the per-style accuracies (styles with no windows left out): chance is 1 / styles."""
        return float(np.nanmean(list(self.per_style.values())))

    @property
    def accuracy(self) -> float:
        return float(np.trace(self.confusion) / max(1, self.confusion.sum()))

    def to_dict(self) -> dict:
        return {
            "windows": {style: int(n) for style, n in zip(self.styles, self.confusion.sum(axis=1))},
            "per_style": {style: round(value, 4) for style, value in self.per_style.items()},
            "balanced_accuracy": round(self.balanced_accuracy, 4),
            "accuracy": round(self.accuracy, 4),
            "confusion": self.confusion.tolist(),
        }


def evaluate(classifier: StyleClassifier, windows: dict[str, list[Melody]]) -> Evaluation:
    """Classify every window of every style in `windows` (style name -> melodies) and count the outcomes."""
    styles = classifier.styles
    confusion = np.zeros((len(styles), len(styles)), dtype=np.int64)
    for style, melodies in windows.items():
        if melodies:
            predicted = np.argmax(classifier.logits(list(melodies)), axis=1)
            np.add.at(confusion, (styles.index(style), predicted), 1)
    return Evaluation(styles, confusion)


def fit(network: StyleCNN, train_windows: list[list[Melody]], *, steps: int, minutes: float | None = None,
        seed: int = 0, batch_size: int = 64, learning_rate: float = 2e-3, valid: dict[str, list[Melody]] | None = None,
        check_every: int = 250, progress: bool = True, on_check=None) -> tuple[StyleCNN, dict]:
    """Train `network` on windows grouped by style (in `network.config.styles` order).

    With `valid`, the balanced accuracy on it is measured every `check_every` steps and the best snapshot is
    returned (that is how the number of steps is chosen: on the valid split, never on test).
    Returns (network, a summary: steps, seconds, valid scores by step, the chosen step).
    """
    torch.manual_seed(seed)
    features = [[melody_features(melody) for melody in group] for group in train_windows]
    task = ClassifierTask(network, learning_rate=learning_rate)
    checks: dict[int, float] = {}
    best = {"step": 0, "score": -1.0, "state": None}

    def measure(step: int) -> float:
        network.eval()
        score = evaluate(StyleClassifier(network), valid).balanced_accuracy
        network.train()
        checks[step] = round(score, 4)
        if score > best["score"]:
            best.update(step=step, score=score, state=copy.deepcopy(network.state_dict()))
        return score

    def check(step: int, losses: dict[str, float]) -> None:
        if valid is not None and step % check_every == 0:
            score = measure(step)
            if on_check:
                on_check(step, losses, score)

    config = TrainingConfig(max_steps=steps, max_minutes=minutes, seed=seed, log_every=min(50, check_every),
                            progress=progress)
    result = train(task, BalancedBatches(features, batch_size, seed), config, on_log=check)
    if valid is not None:
        if result.steps not in checks:
            measure(result.steps)  # the last state is a candidate too
        network.load_state_dict(best["state"])
    network.eval()
    summary = {"steps": result.steps, "seconds": round(result.seconds, 1), "stopped_because": result.stopped_because,
               "valid_balanced_accuracy_by_step": checks, "chosen_step": best["step"] if valid else result.steps}
    return network, summary


def song_windows(song: Song, bars: int = WINDOW_BARS, hop: int | None = None, min_notes: int = 4) -> list[Melody]:
    """The melody of `song` cut into `bars`-bar windows (one every `hop` bars, default `bars`).

    Windows with fewer than `min_notes` notes (long rests) are left out; a song with no such window (shorter
    than `bars` bars, say) gives its whole melody line as one window.
    """
    line = melody_line(song)
    windows = []
    for start, end in bar_windows(song, bars, hop):
        inside = (line.onsets >= start - 1e-6) & (line.onsets < end - 1e-6)
        if int(inside.sum()) >= min_notes:
            windows.append(Melody(line.pitches[inside], line.onsets[inside] - start,
                                  np.minimum(line.durations[inside], end - line.onsets[inside])))
    if not windows and len(line) > 0:  # shorter than a window, or too sparse: the whole line is one window
        windows.append(line)
    return windows


def _melody_windows_of(items) -> list[Melody]:
    """8-bar windows (hop 4 bars) of Songs; Melodies are taken as they are."""
    windows: list[Melody] = []
    for item in items:
        windows += song_windows(item, hop=4) if isinstance(item, Song) else [item]
    return windows


def reference_sample(per_style: int, seed: int = 0) -> dict[str, list[Melody]]:
    """Up to `per_style` training windows of every corpus style (non-overlapping windows), drawn at random."""
    random = np.random.default_rng(seed)
    sample = {}
    for style in STYLES:
        windows = style_windows(style.name, "train", None)
        chosen = random.permutation(len(windows))[:per_style]
        sample[style.name] = [windows[int(i)] for i in chosen]
    return sample


def make_reference(classifier: StyleClassifier, per_style: int = 200, seed: int = 0) -> Reference:
    """The pooled notes of `per_style` training windows of each of the classifier's (corpus) styles."""
    sample = reference_sample(per_style, seed)
    groups = [classifier.pooled(sample[style]) for style in classifier.styles]
    styles = torch.cat([torch.full((len(group),), index, dtype=torch.long) for index, group in enumerate(groups)])
    return Reference(torch.cat(groups), styles)


class HeadTask:
    """The training loop's task when only the last layer learns: cross-entropy on pooled notes."""

    def __init__(self, head: nn.Linear, learning_rate: float = 1e-2):
        self.head = head
        self.modules = {"head": head}
        self.optimizers = {"adam": torch.optim.AdamW(head.parameters(), lr=learning_rate, weight_decay=1e-3)}

    def step(self, batch) -> dict[str, float]:
        pooled, styles = batch  # (batch, 2 * width), (batch,)
        loss = nn.functional.cross_entropy(self.head(pooled), styles)
        self.optimizers["adam"].zero_grad()
        loss.backward()
        self.optimizers["adam"].step()
        return {"loss": loss.item()}


def balanced_rows(groups: list[torch.Tensor], batch_size: int, seed: int):
    """Endless (rows, style indices) batches from per-style tensors: style first, uniformly, then a row."""
    random = np.random.default_rng(seed)
    everything = torch.cat(groups)  # (all rows, features)
    sizes = np.array([len(group) for group in groups])
    starts = np.cumsum(sizes) - sizes  # where each style's rows begin in `everything`
    while True:
        styles = random.integers(len(groups), size=batch_size)
        rows = starts[styles] + (random.random(batch_size) * sizes[styles]).astype(np.int64)
        yield everything[torch.from_numpy(rows)], torch.from_numpy(styles)


def add_style(classifier: StyleClassifier, name: str, melodies, seconds: float = 60.0, seed: int = 0,
              progress: bool = True) -> StyleClassifier:
    """A copy of `classifier` that also knows style `name`, taught by `melodies` (10+ Songs or Melodies).

    Transfer learning with a frozen body: what the convolutions learned about melodies in general is kept,
    and only the last layer is trained again, on the pooled notes of the new windows (in every transposition
    up to MAX_SHIFT) and of the classifier's reference windows of the styles it knew, style by style in turn.
    That takes seconds on a laptop, and the old styles stay as well recognised as before.
    """
    name = normalise(name)
    if not name or name in classifier.styles:
        raise InvalidArgumentError(f"style name {name!r} is empty or already known ({', '.join(classifier.styles)})")
    items = list(melodies)
    if len(items) < MIN_PIECES:
        raise InvalidArgumentError(f"a new style needs at least {MIN_PIECES} pieces, got {len(items)}")
    if not seconds > 0:
        raise InvalidArgumentError(f"seconds must be positive, got {seconds}")
    windows = _melody_windows_of(items)
    reference = classifier.reference or make_reference(classifier, 40 if smoke_mode() else 200, seed)
    new_pooled = torch.cat([classifier.pooled(windows, shift) for shift in range(-MAX_SHIFT, MAX_SHIFT + 1)])
    groups = [reference.pooled[reference.styles == index] for index in range(len(classifier.styles))] + [new_pooled]

    grown = classifier.network.with_extra_style(name)
    config = TrainingConfig(max_steps=300 if smoke_mode() else 2000, max_minutes=seconds / 60.0, seed=seed,
                            progress=progress)
    result = train(HeadTask(grown.head), balanced_rows(groups, 64, seed), config)
    grown.eval()
    new_reference = Reference(torch.cat([reference.pooled, new_pooled]),
                              torch.cat([reference.styles, torch.full((len(new_pooled),), len(classifier.styles))]))
    card = copy.deepcopy(classifier.card)
    if card is not None:
        card.metrics = {**card.metrics, "new_style": {"name": name, "pieces": len(items), "windows": len(windows),
                                                      "steps": result.steps, "seconds": round(result.seconds, 2)}}
    return StyleClassifier(grown, card, new_reference)
