"""Musical endings: stop a generated piece on a bar line, its last melody note on the tonic or the fifth.

Lesson: lessons/04_transformers.ipynb (a 2-minute piece that ends like music, not mid-phrase).

A language model has no idea how long the piece should be; cut it after N tokens and it stops mid-phrase.
Here sampling is steered by two hooks of `sample.sample_tokens`:

- `allowed(tokens)`: a mask of the tokens that may come next. It keeps the model inside the grammar of
  its encoding (a Duration after a Pitch, positions moving forward, the meter never changing) and, when
  the piece is over time, narrows the melody to the tonic and the fifth so it *can* end.
- `stop(tokens)`: True at the first bar line inside the window of acceptable lengths where the last
  melody note is the tonic or the fifth of the key (the two notes a cadence comes home to).

A length in seconds gives a window of bar counts within one bar of it (`bar_window`); a length in bars
gives that many bars plus up to `GRACE_BARS`. The model looks for an ending on its own; in the window's
last bar the melody is held to the tonic and fifth, so every piece ends musically, and on time.
`ends_musically(song, key)` checks the result from the outside (tests and `bench/transformer.py` use it).
"""

from __future__ import annotations

import math

import torch

from .music import tokens as remi
from .music.keys import estimate_key, parse_key
from .music.song import Note, Song

EPSILON = 1e-6
GRACE_BARS = 2  # with a length in bars: how many bars more the model may take to find an ending
# A small model can fall into holding one note per bar for the rest of a long piece (3 of 20 two-minute
# pieces did). In the folk corpora's test pieces two one-note bars in a row (the last bar aside) happen in
# 6% of pieces, so the sampler allows one: the bar after it gets a second note.
MAX_ONE_NOTE_BARS = 1


def bar_window(seconds: float, bar_seconds: float) -> tuple[int, int]:
    """(fewest, most) whole bars whose length is within one bar of `seconds` (at least one bar)."""
    bars = seconds / bar_seconds
    first = max(1, math.ceil(bars - 1 - EPSILON))
    return first, max(first, math.floor(bars + 1 + EPSILON))


def ending_pitch_classes(key: str) -> set[int]:
    """The pitch classes a piece may end on: the tonic and the fifth of `key` ('G major' -> {7, 2})."""
    tonic, _ = parse_key(key)
    return {tonic, (tonic + 7) % 12}


def last_melody_note(song: Song) -> Note | None:
    """The last note of the melody: the highest of the notes that start last in the first pitched track."""
    track = next((t for t in song.tracks if not t.is_drum and t.notes), None)
    if track is None:
        return None
    last_onset = max(note.start for note in track.notes)
    return max((note for note in track.notes if abs(note.start - last_onset) < EPSILON), key=lambda n: n.pitch)


def ends_musically(song: Song, key: str | None = None) -> bool:
    """True if the song ends on a bar line and its last melody note is the tonic or fifth of `key`.

    `key` defaults to the song's written key, else the one `estimate_key` hears.
    """
    key = key or song.key or estimate_key(song)
    last = last_melody_note(song)
    if key is None or last is None:
        return False
    on_bar_line = any(abs(song.end_beat - bar) < EPSILON for bar in song.bar_starts(until_beat=song.end_beat + 1))
    return on_bar_line and last.pitch % 12 in ending_pitch_classes(key)


def hold_to(song: Song, beat: float) -> Song:
    """The song ending exactly at `beat` (the final bar line): the last notes of each track held to it,
    notes that would ring past it cut there, notes starting at or after it dropped. Changes `song` in place."""
    from dataclasses import replace

    for track in song.tracks:
        kept = [note for note in track.notes if note.start < beat - EPSILON]
        last_onset = max((note.start for note in kept), default=None)
        track.notes = [replace(note, end=beat) if note.end > beat or note.start == last_onset else note for note in kept]
    return song


class RemiMelodyEnding:
    """`allowed`/`stop` hooks for one-track REMI melodies of a fixed meter, `first`..`last` bars long.

    Call `read(prompt)` first (the prompt must end right after a `Bar` and its meter, or after a note);
    then the hooks follow every new token. `bars` counts bar lines crossed since the start of the piece
    (prompt included), so `first` and `last` count the prompt's bars too. After `MAX_ONE_NOTE_BARS` bars
    of one note (or none) in a row, the next bar needs a second note: its first note must leave room for
    one, and the bar line waits for it.
    """

    def __init__(self, vocabulary_size: int, key: str, bar_steps: int, first: int, last: int,
                 scale: set[int] | None = None):
        self.size, self.bar_steps, self.first, self.last = vocabulary_size, bar_steps, first, last
        self.endings = ending_pitch_classes(key)
        self.seen = 0
        self.bars = 0  # bar lines seen (the first `Bar` opens bar 1)
        self.position = -1  # position of the last Position token in this bar (-1: none yet)
        self.expect = "next"  # "track", "pitch", "duration", "velocity" or "next" (a Position or a Bar)
        self.last_pitch: int | None = None
        self.notes_in_bar = 0
        self.one_note_bars = 0  # finished bars in a row with at most one note
        ids = remi.REMI_IDS
        self.first_position, self.first_pitch = ids["Position_0"], ids["Pitch_0"]
        self.masks = {kind: self._range(*span) for kind, span in {
            "track": (ids["Track_0"], ids["Track_0"]),
            "duration": (ids["Duration_1"], ids[f"Duration_{remi.MAX_DURATION}"]),
            "velocity": (ids["Velocity_0"], ids[f"Velocity_{128 // remi.VELOCITY_BIN - 1}"]),
        }.items()}
        pitches = range(128) if scale is None else [p for p in range(128) if p % 12 in scale]
        self.pitch_mask = self._of(self.first_pitch + p for p in pitches)
        self.ending_pitch_mask = self._of(self.first_pitch + p for p in pitches if p % 12 in self.endings)

    def _range(self, first: int, last: int) -> torch.Tensor:
        return self._of(range(first, last + 1))

    def _of(self, ids) -> torch.Tensor:
        mask = torch.zeros(self.size, dtype=torch.bool)
        mask[list(ids)] = True
        return mask

    @property
    def closing(self) -> bool:
        """In the last bar allowed: the melody must now come home to the tonic or fifth."""
        return self.bars >= self.last

    def read(self, tokens: list[int]) -> None:
        """Follow the tokens not read yet (the prompt, then one sampled token at a time)."""
        for token in tokens[self.seen:]:
            name = remi.REMI_VOCABULARY[token] if token < len(remi.REMI_VOCABULARY) else ""
            kind, _, value = name.partition("_")
            if kind == "Bar":
                if self.bars:  # a bar was open: it is finished now
                    self.one_note_bars = self.one_note_bars + 1 if self.notes_in_bar <= 1 else 0
                self.bars, self.position, self.notes_in_bar, self.expect = self.bars + 1, -1, 0, "next"
            elif kind == "Position":
                self.position, self.expect = int(value), "track"
            elif kind == "Track":
                self.expect = "pitch"
            elif kind == "Pitch":
                self.last_pitch, self.notes_in_bar, self.expect = int(value), self.notes_in_bar + 1, "duration"
            elif kind == "Duration":
                self.expect = "velocity"
            elif kind == "Velocity":
                self.expect = "next"
        self.seen = len(tokens)

    def allowed(self, tokens: list[int]) -> torch.Tensor:
        self.read(tokens)
        room = self.position + 1 < self.bar_steps  # a later position is left in this bar
        second_note_due = self.one_note_bars >= MAX_ONE_NOTE_BARS and self.notes_in_bar < 2 and room
        if self.expect == "pitch":
            return self.ending_pitch_mask if self.closing else self.pitch_mask
        if self.expect == "duration" and second_note_due:  # end before the bar does: room for a second note
            longest = min(self.bar_steps - 1 - self.position, remi.MAX_DURATION)
            return self._range(remi.REMI_IDS["Duration_1"], remi.REMI_IDS[f"Duration_{longest}"])
        if self.expect in self.masks:
            return self.masks[self.expect]
        mask = self._range(self.first_position + self.position + 1, self.first_position + self.bar_steps - 1) \
            if room else torch.zeros(self.size, dtype=torch.bool)
        if not (self.closing and self.notes_in_bar == 0) and not second_note_due:
            mask[remi.REMI_IDS["Bar"]] = True
        return mask

    def stop(self, tokens: list[int]) -> bool:
        self.read(tokens)
        finished_bars = self.bars - 1  # the Bar just read closes the bar before it
        return (tokens[-1] == remi.REMI_IDS["Bar"] and finished_bars >= self.first and self.last_pitch is not None
                and self.last_pitch % 12 in self.endings)


class ChoraleEnding:
    """`allowed`/`stop` hooks for the chorale encoding (S, A, T, B at every step after a start token),
    ending on a bar line between `first_step` and `last_step` (multiples of `bar_steps`).

    The key is the one given, or else estimated from the music when the piece first may end.
    """

    def __init__(self, vocabulary_size: int, key: str | None, bar_steps: int, first_step: int, last_step: int,
                 allowed_tokens: torch.Tensor | None = None):
        self.size, self.bar_steps, self.first, self.last = vocabulary_size, bar_steps, first_step, last_step
        self.key = key
        self.base = allowed_tokens if allowed_tokens is not None else torch.ones(vocabulary_size, dtype=torch.bool)

    @staticmethod
    def steps(tokens: list[int]) -> int:
        return (len(tokens) - 1) // 4  # after the start token, 4 tokens per step

    def _endings(self, tokens: list[int]) -> set[int]:
        if self.key is None:
            self.key = estimate_key(remi.decode_chorale(tokens[1:1 + 4 * self.steps(tokens)])) or "C major"
        return ending_pitch_classes(self.key)

    def allowed(self, tokens: list[int]) -> torch.Tensor:
        voice = (len(tokens) - 1) % 4
        if voice == 0 and self.steps(tokens) >= self.last - self.bar_steps:  # the last bar allowed
            endings = self._endings(tokens)
            mask = torch.zeros(self.size, dtype=torch.bool)
            mask[[p for p in range(128) if p % 12 in endings]] = True
            return mask & self.base
        return self.base

    def stop(self, tokens: list[int]) -> bool:
        steps = self.steps(tokens)
        if (len(tokens) - 1) % 4 or steps < self.first or steps % self.bar_steps:
            return False
        soprano = [t for t in tokens[1::4] if t < remi.CHORALE_REST]
        return bool(soprano) and soprano[-1] % 12 in self._endings(tokens)
