"""An order-n Markov chain over melody events: the course's n-gram baseline.

Lesson: lessons/04_transformers.ipynb (the baseline every neural model must beat; it has no notion of
anything further back than its last `order` events).

A melody is read as a chain of **events**. Each event is a note or a rest:
- a note: the **interval** in semitones from the previous note (clipped to an octave either way), and its
  **duration** in steps (sixteenth notes, at most `max_duration`);
- a rest: its duration (a long rest becomes several events).
Intervals rather than pitches make the model key-free: a tune transposed is the same chain.

The model counts, over all training melodies, which event follows each **context**: the previous `order`
events plus the **bar position** of the next one (in steps from the bar line), so that rhythm lines up with
the meter. Counting stops at nothing: a context seen once is kept. To generate, it looks up the longest
context it has seen; when the current context was never seen (or every continuation breaks a rule: leaves
the pitch range, or runs past the end), it **backs off** to a shorter one, down to the bar position alone.

Everything is counts, stored as integer tensors (for safetensors):
    contexts_k   [M_k, k + 1]  the k previous event ids, then the bar position
    next_k       [M_k]         the event that followed
    counts_k     [M_k]         how many times
for k = 0..order, plus `start_pitches` [128] (counts of first pitches) and `pitch_range` [2] (lowest, highest).

This file knows nothing of files or Songs: tensors in, tensors out. `deepcomposer_edu/composers.py` turns
Songs into melody tensors and back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class MarkovConfig:
    order: int = 3  # how many previous events the chain looks at
    max_interval: int = 12  # wider leaps are clipped to an octave
    max_duration: int = 16  # longest event in steps (16 sixteenths = a 4/4 bar)

    def __post_init__(self):
        if self.order < 0 or self.max_interval < 0 or self.max_duration < 1:
            raise ValueError(f"need order >= 0, max_interval >= 0 and max_duration >= 1, got {self}")

    @property
    def rest_index(self) -> int:
        """Interval slots: -max_interval..+max_interval, then one slot for a rest."""
        return 2 * self.max_interval + 1

    @property
    def vocab_size(self) -> int:
        return (self.rest_index + 1) * self.max_duration

    @property
    def start(self) -> int:
        """A padding id meaning "before the first event", so the chain also learns how melodies begin."""
        return self.vocab_size


def event_id(config: MarkovConfig, interval: int | None, duration: int) -> int:
    """One id per (interval, duration) pair; `interval=None` is a rest."""
    slot = config.rest_index if interval is None else interval + config.max_interval
    return slot * config.max_duration + (duration - 1)


def event_parts(config: MarkovConfig, event: int) -> tuple[int | None, int]:
    """The inverse of `event_id`: (interval or None for a rest, duration in steps)."""
    slot, duration = divmod(event, config.max_duration)
    return (None if slot == config.rest_index else slot - config.max_interval), duration + 1


def melody_events(config: MarkovConfig, melody: torch.Tensor, steps_per_bar: int) -> list[tuple[int, int]]:
    """A melody as (event id, bar position) pairs.

    melody: [notes, 3] integers (pitch, start step, duration in steps), monophonic, in time order.
    """
    events: list[tuple[int, int]] = []
    rows = melody.tolist()
    step, previous_pitch = rows[0][1], rows[0][0]
    for pitch, start, duration in rows:
        while start > step:  # the gap before this note, as rests of at most max_duration
            rest = min(start - step, config.max_duration)
            events.append((event_id(config, None, rest), step % steps_per_bar))
            step += rest
        duration = min(start + duration - step, config.max_duration)  # overlaps are cut, long notes clipped
        if duration < 1:
            continue
        interval = max(-config.max_interval, min(config.max_interval, pitch - previous_pitch))
        events.append((event_id(config, interval, duration), step % steps_per_bar))
        step, previous_pitch = step + duration, pitch
    return events


class MarkovMelody:
    """Count tables of an order-n chain with back-off (see the module docstring)."""

    def __init__(self, config: MarkovConfig, tensors: dict[str, torch.Tensor]):
        self.config = config
        self.tensors = tensors
        self.start_pitches = tensors["start_pitches"].double()  # [128]
        self.low, self.high = tensors["pitch_range"].tolist()
        ids = torch.arange(config.vocab_size)  # [vocab]
        slots, durations = ids // config.max_duration, ids % config.max_duration
        self.event_is_rest = slots == config.rest_index
        self.event_interval = slots - config.max_interval
        self.event_duration = durations + 1
        # For sampling, one dict per order k: context tuple -> (first row, end row) of its continuations.
        # `fit` writes the rows sorted by context, so each context's rows are consecutive.
        self.tables: list[dict[tuple, tuple[int, int]]] = []
        self.next_events = [tensors[f"next_{k}"].long() for k in range(config.order + 1)]  # each [M_k]
        self.next_counts = [tensors[f"counts_{k}"].double() for k in range(config.order + 1)]  # each [M_k]
        for k in range(config.order + 1):
            contexts, rows = torch.unique_consecutive(tensors[f"contexts_{k}"], dim=0, return_counts=True)
            ends = torch.cumsum(rows, dim=0).tolist()
            starts = [0] + ends[:-1]
            self.tables.append({tuple(c): span for c, span in zip(contexts.tolist(), zip(starts, ends))})

    # --- training: counting ---

    @classmethod
    def fit(cls, config: MarkovConfig, melodies: list[tuple[torch.Tensor, int]]) -> "MarkovMelody":
        """Count every context -> next event in `melodies`: a list of (melody [notes, 3], steps per bar)."""
        counts = [Counter() for _ in range(config.order + 1)]  # (context..., position, next) -> count
        start_pitches = torch.zeros(128, dtype=torch.int32)
        low, high = 127, 0
        for melody, steps_per_bar in melodies:
            if len(melody) == 0:
                continue
            start_pitches[int(melody[0, 0])] += 1
            low, high = min(low, int(melody[:, 0].min())), max(high, int(melody[:, 0].max()))
            history = [config.start] * config.order
            for event, position in melody_events(config, melody, steps_per_bar):
                for k in range(config.order + 1):
                    counts[k][(*history[len(history) - k :], position, event)] += 1
                history = history[1:] + [event] if config.order else history
        if high < low:
            raise ValueError("no notes to learn from: every melody was empty")
        tensors = {"start_pitches": start_pitches, "pitch_range": torch.tensor([low, high], dtype=torch.int32)}
        for k, table in enumerate(counts):
            keys = sorted(table)  # a fixed order, so the same data always gives the same file
            rows = torch.tensor(keys, dtype=torch.int32).reshape(len(keys), k + 2)
            tensors[f"contexts_{k}"] = rows[:, : k + 1].contiguous()  # [M_k, k + 1]
            tensors[f"next_{k}"] = rows[:, k + 1].contiguous()  # [M_k]
            tensors[f"counts_{k}"] = torch.tensor([table[key] for key in keys], dtype=torch.int32)  # [M_k]
        return cls(config, tensors)

    def state_dict(self) -> dict[str, torch.Tensor]:
        """The count tensors, ready for safetensors."""
        return dict(self.tensors)

    # --- generation: sampling ---

    def sample(self, n_steps: int, steps_per_bar: int, generator: torch.Generator, temperature: float = 1.0) -> torch.Tensor:
        """A new melody exactly `n_steps` long; returns [notes, 3] (pitch, start step, duration in steps).

        The last note is held to the end, so a whole number of bars ends on a bar line.
        """
        if temperature <= 0:
            raise ValueError(f"temperature must be positive, got {temperature}")
        pitch = int(_draw(self.start_pitches, generator))
        history = [self.config.start] * self.config.order
        notes: list[list[int]] = []
        step = 0
        while step < n_steps:
            event = self._next_event(history, step % steps_per_bar, pitch, n_steps - step, generator, temperature)
            interval, duration = event_parts(self.config, event)
            if interval is not None:
                pitch += interval
                notes.append([pitch, step, duration])
            history = history[1:] + [event] if self.config.order else history
            step += duration
        if notes:
            notes[-1][2] = n_steps - notes[-1][1]
        return torch.tensor(notes, dtype=torch.long).reshape(len(notes), 3)

    def _next_event(self, history, position, pitch, steps_left, generator, temperature) -> int:
        """Draw from the longest seen context whose allowed continuations are not empty (back-off)."""
        for k in range(self.config.order, -1, -1):
            span = self.tables[k].get((*history[len(history) - k :], position))
            if span is None:
                continue
            events = self.next_events[k][span[0] : span[1]]  # [C] candidate continuations
            counts = self.next_counts[k][span[0] : span[1]]  # [C] how often each was seen
            landing = pitch + self.event_interval[events]  # [C]
            in_range = self.event_is_rest[events] | ((landing >= self.low) & (landing <= self.high))
            allowed = in_range & (self.event_duration[events] <= steps_left)  # [C]
            if allowed.any():
                weights = torch.where(allowed, counts ** (1.0 / temperature), torch.zeros_like(counts))
                return int(events[_draw(weights, generator)])
        # Nothing seen fits (a bar position never met, or near the end): rest to the next bar line or the end.
        return event_id(self.config, None, min(steps_left, self.config.max_duration))


def _draw(weights: torch.Tensor, generator: torch.Generator) -> int:
    """Index i with probability weights[i] / sum(weights), by inverting the cumulative sum (float64)."""
    cumulative = torch.cumsum(weights.double(), dim=0)
    threshold = torch.rand((), generator=generator, dtype=torch.float64) * cumulative[-1]
    return min(int(torch.searchsorted(cumulative, threshold, right=True)), len(weights) - 1)
