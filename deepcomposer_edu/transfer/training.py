"""Teaching the style model every style at once, and a new style from a learner's folder.

Lesson: lessons/07_style_transfer.ipynb. Made the shipped `style-melody` model with
`scripts/train_style_melody.py`; `create-model --model-type style --base-model style-melody` adds a style.

The data is every corpus's melody line (`transfer/events.py`), each piece labelled with its style. Each
batch draws its windows **evenly across styles** (8 Classical quartet movements would otherwise drown in
6,000 German songs), starts each window on a bar line (as style transfer starts), and moves each one by a
few semitones so the model learns a style's intervals and rhythms rather than its favourite key.
Training goes through the course's one loop, `deepcomposer_edu/train.py`.
"""

from __future__ import annotations

import numpy as np
import torch

from ..models.style_melody import NoteBatch, StyleMelodyConfig, StyleMelodyModel
from ..music.song import Song
from ..train import TrainingConfig, TrainingResult, train
from .events import NoteEvents, note_events

WINDOW_NOTES = 64  # notes per training window (after the start step)
TRANSPOSE = 5  # windows move by up to this many semitones either way


def corpus_events(corpus_name: str, split: str | None, limit: int | None = None) -> list[NoteEvents]:
    """The melody events of the corpus's pieces in `split` (at least 8 notes each)."""
    from ..data import load_corpus

    corpus = load_corpus(corpus_name)
    indices = corpus.indices(split)[:limit]
    events = (note_events(corpus.song(int(index))) for index in indices)
    return [melody for melody in events if len(melody) >= 8]


def songs_events(songs: list[Song]) -> list[NoteEvents]:
    """The melody events of a learner's songs (at least 8 notes each)."""
    return [melody for melody in map(note_events, songs) if len(melody) >= 8]


def make_batch(windows: list[dict[str, np.ndarray]], styles: list[int]) -> NoteBatch:
    """Pad windows of note columns to one length and stack them into a `NoteBatch`."""
    length = max(len(window["pitch"]) for window in windows)

    def column(name: str) -> torch.Tensor:
        padded = np.zeros((len(windows), length), dtype=np.int64)
        for row, window in enumerate(windows):
            padded[row, : len(window[name])] = window[name]
        return torch.from_numpy(padded)

    mask = torch.zeros(len(windows), length, dtype=torch.bool)
    for row, window in enumerate(windows):
        mask[row, : len(window["pitch"])] = True
    return NoteBatch(style=torch.tensor(styles), pitch=column("pitch"), duration=column("duration"),
                     delta=column("delta"), position=column("position"), bar_steps=column("bar_steps"), mask=mask)


class BalancedWindows:
    """Endless batches: a style drawn evenly (or by `weights`), then a piece, a bar to start on, a transposition."""

    def __init__(self, events_by_style: dict[int, list[NoteEvents]], batch_size: int, seed: int,
                 window_notes: int = WINDOW_NOTES, transpose: int = TRANSPOSE, weights: dict[int, float] | None = None):
        self.events_by_style = {style: pieces for style, pieces in events_by_style.items() if pieces}
        self.styles = sorted(self.events_by_style)
        chances = np.array([(weights or {}).get(style, 1.0) for style in self.styles], dtype=float)
        self.chances = chances / chances.sum()
        self.batch_size = batch_size
        self.window_notes = window_notes
        self.transpose = transpose
        self.rng = np.random.default_rng(seed)

    def window(self, melody: NoteEvents) -> dict[str, np.ndarray]:
        first_bar = int(self.rng.integers(0, max(int(melody.bar[-1]) - 1, 1)))
        window = melody.window(first_bar, self.window_notes)
        shift = int(self.rng.integers(-self.transpose, self.transpose + 1))
        notes = window["pitch"][1:]
        shift = int(np.clip(shift, -notes.min(), 127 - notes.max()))
        window["pitch"] = np.concatenate([window["pitch"][:1], notes + shift])
        return window

    def __iter__(self):
        while True:
            chosen = self.rng.choice(self.styles, size=self.batch_size, p=self.chances)
            windows = []
            for style in chosen:
                pieces = self.events_by_style[int(style)]
                windows.append(self.window(pieces[int(self.rng.integers(len(pieces)))]))
            yield make_batch(windows, [int(style) for style in chosen])


class StyleMelodyTask:
    """The shared loop's task: one Adam step on the summed cross-entropy of the three questions."""

    def __init__(self, model: StyleMelodyModel, learning_rate: float, total_steps: int):
        self.model = model
        self.modules = {"model": model}
        self.optimizers = {"model": torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=0.01)}
        self.schedule = torch.optim.lr_scheduler.OneCycleLR(
            self.optimizers["model"], max_lr=learning_rate, total_steps=max(total_steps, 2), pct_start=0.1)
        self.total_steps = total_steps

    def step(self, batch: NoteBatch) -> dict[str, float]:
        optimizer = self.optimizers["model"]
        losses = self.model.loss(batch)
        optimizer.zero_grad()
        losses["total"].backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        optimizer.step()
        if self.schedule.last_epoch < self.total_steps - 1:
            self.schedule.step()
        return {name: float(value.detach()) for name, value in losses.items()}


def fit_style_model(model: StyleMelodyModel, events_by_style: dict[int, list[NoteEvents]], *, steps: int,
                    minutes: float | None, seed: int, learning_rate: float = 3e-3, batch_size: int = 32,
                    checkpoint: str | None = None, progress: bool = True,
                    weights: dict[int, float] | None = None) -> TrainingResult:
    """Train `model` on the styles' melodies with the shared loop; returns its curves and how it stopped.

    Styles are drawn evenly, or in proportion to `weights` (style index -> weight, 1 when not given)."""
    task = StyleMelodyTask(model, learning_rate, steps)
    batches = BalancedWindows(events_by_style, batch_size, seed, weights=weights)
    config = TrainingConfig(max_steps=steps, max_minutes=minutes, seed=seed, log_every=25,
                            checkpoint_path=checkpoint, checkpoint_every=200, progress=progress)
    return train(task, batches, config)


@torch.no_grad()
def mean_nll(model: StyleMelodyModel, events_by_style: dict[int, list[NoteEvents]],
             window_notes: int = WINDOW_NOTES) -> dict[str, float]:
    """Nats per note (delta + duration + pitch) on every piece's opening window, per style index and overall."""
    model.eval()
    totals: dict[str, float] = {}
    all_sum, all_count = 0.0, 0
    for style, pieces in events_by_style.items():
        style_sum, style_count = 0.0, 0
        for start in range(0, len(pieces), 64):
            windows = [melody.window(0, window_notes) for melody in pieces[start:start + 64]]
            batch = make_batch(windows, [style] * len(windows))
            notes = int(batch.mask[:, 1:].sum())
            style_sum += float(model.loss(batch)["total"]) * notes
            style_count += notes
        totals[str(style)] = style_sum / max(style_count, 1)
        all_sum, all_count = all_sum + style_sum, all_count + style_count
    totals["all"] = all_sum / max(all_count, 1)
    return totals


def new_model(styles: int, seed: int) -> StyleMelodyModel:
    """A freshly initialised style model with room for `styles` style vectors."""
    torch.manual_seed(seed)
    return StyleMelodyModel(StyleMelodyConfig(styles=styles))
