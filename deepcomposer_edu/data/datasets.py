"""torch Datasets over the shipped corpora: pianoroll windows for the GAN, token windows for the transformer.

Lesson: lessons/02_music_as_data.ipynb (what a model is fed), lessons/03_gans.ipynb and 04_transformers.ipynb.

Both cut each piece of one split into fixed-size windows, so a batch is one tensor. Augmentation by
transposition (a random shift of up to `max_shift` semitones each time an item is read) multiplies the
training data by the number of keys; it is only allowed on the train split, so valid and test measure the
music as it is. Randomness comes from the dataset's own generator (`seed`): the same seed and the same
order of reads give the same items.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.utils.data import Dataset

from ..errors import InvalidArgumentError
from .corpora import TICKS_PER_BEAT, Corpus, load_corpus


def _corpus(corpus: str | Corpus) -> Corpus:
    return load_corpus(corpus) if isinstance(corpus, str) else corpus


def _augmenting(split: str, augment: bool | None) -> bool:
    if augment is None:
        return split == "train"
    if augment and split != "train":
        raise InvalidArgumentError(f"only the train split is augmented (the {split} split measures the music as it is)")
    return augment


def bar_ticks(piece: dict, until_tick: int) -> np.ndarray:
    """Tick at which each bar of `piece` starts, up to `until_tick` (a meter change starts at a bar line)."""
    changes = piece["time_signatures"]  # [[tick, numerator, denominator], ...]
    starts, tick, current = [], 0, 0
    while tick < until_tick or not starts:
        while current + 1 < len(changes) and changes[current + 1][0] <= tick:
            current += 1
        starts.append(tick)
        _, numerator, denominator = changes[current]
        tick += max(numerator * 4 * TICKS_PER_BEAT // denominator, 1)
    return np.asarray(starts, dtype=np.int64)


class PianorollWindows(Dataset):
    """Bar-aligned pianoroll windows of a corpus split; item: float32 (tracks, steps, n_pitches) of 0/1.

    Voice v of a piece goes to track v; voices beyond `tracks` join the last track, missing ones stay
    silent. Pitches outside `lowest_pitch .. lowest_pitch + n_pitches - 1` are left out (the shift chosen by
    augmentation keeps every note in range when it can). Windows with no note are skipped.
    """

    def __init__(self, corpus: str | Corpus = "bach_chorales", split: str = "train", tracks: int = 4,
                 steps: int = 128, steps_per_beat: int = 4, lowest_pitch: int = 36, n_pitches: int = 48,
                 augment: bool | None = None, max_shift: int = 5, seed: int = 0, limit: int | None = None):
        self.corpus = _corpus(corpus)
        self.split, self.augment = split, _augmenting(split, augment)
        self.tracks, self.steps, self.steps_per_beat = tracks, steps, steps_per_beat
        self.lowest_pitch, self.n_pitches, self.max_shift = lowest_pitch, n_pitches, max_shift
        self.rng = np.random.default_rng(seed)
        window_ticks = steps * TICKS_PER_BEAT // steps_per_beat
        self.windows: list[tuple[int, int]] = []  # (piece index, first tick)
        for index in self.corpus.indices(split)[:limit]:
            notes = self.corpus.notes(int(index))
            if len(notes["start"]) == 0:
                continue
            end = int(notes["end"].max())
            next_free = 0
            for tick in bar_ticks(self.corpus.pieces[index], end):
                if tick >= next_free and np.any((notes["start"] < tick + window_ticks) & (notes["end"] > tick)):
                    self.windows.append((int(index), int(tick)))
                    next_free = tick + window_ticks

    def __len__(self) -> int:
        return len(self.windows)

    def _shift(self, pitches: np.ndarray) -> int:
        if not self.augment or len(pitches) == 0:
            return 0
        low = self.lowest_pitch - int(pitches.min())
        high = self.lowest_pitch + self.n_pitches - 1 - int(pitches.max())
        options = [s for s in range(-self.max_shift, self.max_shift + 1) if low <= s <= high] or [0]
        return int(self.rng.choice(options))

    def __getitem__(self, item: int) -> torch.Tensor:
        index, first_tick = self.windows[item]
        notes = self.corpus.notes(index)
        scale = self.steps_per_beat / TICKS_PER_BEAT
        first = np.rint(notes["start"] * scale).astype(np.int64)  # the step grid of music.pianoroll
        stop = np.maximum(np.rint(notes["end"] * scale).astype(np.int64), first + 1)
        offset = round(first_tick * scale)
        inside = (first < offset + self.steps) & (stop > offset)
        pitches = notes["pitch"][inside].astype(np.int64)
        pitches = pitches + self._shift(pitches) - self.lowest_pitch
        tracks = np.minimum(notes["voice"][inside].astype(np.int64), self.tracks - 1)
        roll = np.zeros((self.tracks, self.steps, self.n_pitches), dtype=np.float32)  # (tracks, steps, pitches)
        for track, pitch, a, b in zip(tracks, pitches, first[inside] - offset, stop[inside] - offset):
            if 0 <= pitch < self.n_pitches:
                roll[track, max(a, 0):min(b, self.steps), pitch] = 1.0
        return torch.from_numpy(roll)


class TokenWindows(Dataset):
    """Token windows of a corpus split; item: int64 (length + 1,): a model reads [:-1] and predicts [1:].

    Each piece is encoded once (`music.tokens`, `encoding` "remi" or "jsb_chorale") and cut into windows
    of `length + 1` tokens that overlap by one; the last one is padded with `<pad>` (REMI) or the rest
    token (chorales; `length` must then be a multiple of 4, so every window starts with a soprano). Pieces the
    encoding cannot hold (a chorale encoding of a piece without four voices, a REMI bar over 32 beats)
    are skipped and counted in `skipped`.
    """

    def __init__(self, corpus: str | Corpus = "bach_chorales", split: str = "train", encoding: str = "remi",
                 length: int = 256, augment: bool | None = None, max_shift: int = 5, seed: int = 0,
                 limit: int | None = None, progress: bool = True):
        from tqdm.auto import tqdm

        from ..music import tokens

        if encoding == "jsb_chorale" and length % 4:
            raise InvalidArgumentError(f"chorale windows hold whole steps of 4 tokens; length {length} is not a multiple of 4")
        self.corpus = _corpus(corpus)
        self.split, self.augment = split, _augmenting(split, augment)
        self.encoding, self.length, self.max_shift = encoding, length, max_shift
        self.pad = tokens.PAD if encoding == "remi" else tokens.CHORALE_REST
        self.rng = np.random.default_rng(seed)
        self.sequences: list[np.ndarray] = []
        self.skipped = 0
        indices = self.corpus.indices(split)[:limit]
        for index in tqdm(indices, desc=f"encoding {self.corpus.name} ({split})", disable=not progress, leave=False):
            try:
                self.sequences.append(np.asarray(tokens.encode(self.corpus.song(int(index)), encoding), dtype=np.int64))
            except InvalidArgumentError:
                self.skipped += 1
        self.windows = [(s, start) for s, sequence in enumerate(self.sequences)
                        for start in range(0, max(len(sequence) - 1, 1), length)]
        if encoding == "remi":
            self._pitch_ids = (tokens.REMI_IDS["Pitch_0"], tokens.REMI_IDS["Pitch_127"])
        else:
            self._pitch_ids = (0, 127)

    def __len__(self) -> int:
        return len(self.windows)

    def __getitem__(self, item: int) -> torch.Tensor:
        sequence_index, start = self.windows[item]
        window = self.sequences[sequence_index][start:start + self.length + 1].copy()
        if self.augment:
            low, high = self._pitch_ids
            pitched = (window >= low) & (window <= high)
            if pitched.any():
                room_down = int(window[pitched].min()) - low
                room_up = high - int(window[pitched].max())
                shift = int(self.rng.integers(-min(self.max_shift, room_down), min(self.max_shift, room_up) + 1))
                window[pitched] += shift
        padded = np.full(self.length + 1, self.pad, dtype=np.int64)
        padded[:len(window)] = window
        return torch.from_numpy(padded)
