"""Where a mood's melody comes from: a pluggable source of bars, and placing each pitch without jumps.

Lesson: lessons/08_mood_and_adaptive_music.ipynb (the engine plays any melody: yours, or a model's).

A `MelodySource` hands out one bar of melody at a time, with times relative to the bar's start. Two
sources ship: `LoopedMelody` (a Song's top line, bar after bar, looping: the learner's theme or any MIDI
file) and `ComposedMelody` (a model from the registry composes the next bars when they are needed: the
Markov chain today, and the GAN or transformer through the same `Composer.generate`).

`place_pitch` puts one melody note in the register the mood asks for while keeping its pitch class, and
never moves further than `max_leap` semitones from the note before: this is what keeps the melody
continuous when the mood, and so the register, changes at a bar line.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from ..errors import InvalidArgumentError
from ..music.keys import estimate_key, parse_key
from ..music.ops import skyline
from ..music.song import Note, Song

MAX_BARS = 4096  # a source of more bars than this is refused (a looping source never needs more)


class MelodySource(Protocol):
    """Bars of a monophonic melody; `tonic` (0..11) and `mode` say what key it is in."""

    bar_length: float  # beats
    tonic: int
    mode: str

    def bar(self, index: int) -> list[Note]: ...


def song_key(song: Song) -> tuple[int, str]:
    """(tonic pitch class, "major"/"minor") from the song's key, or estimated from its notes (C major if none)."""
    name = song.key or estimate_key(song) or "C major"
    tonic, minor = parse_key(name)
    return tonic, "minor" if minor else "major"


def split_bars(notes: list[Note], bar_length: float, bars: int) -> list[list[Note]]:
    """Notes cut at bar lines into `bars` lists, each with times relative to its bar's start."""
    result: list[list[Note]] = [[] for _ in range(bars)]
    for note in notes:
        first, last = int(note.start // bar_length), int((note.end - 1e-9) // bar_length)
        for index in range(max(first, 0), min(last, bars - 1) + 1):
            start = max(note.start, index * bar_length) - index * bar_length
            end = min(note.end, (index + 1) * bar_length) - index * bar_length
            if end - start > 1e-9:
                result[index].append(replace(note, start=start, end=end))
    return result


class LoopedMelody:
    """A Song's top line (its skyline), bar by bar, starting again from the first bar after the last."""

    def __init__(self, song: Song):
        if not any(not track.is_drum and track.notes for track in song.tracks):
            raise InvalidArgumentError(f"{song.title or 'the base melody'}: no pitched notes to build a melody from")
        self.bar_length = song.time_signature.bar_length
        self.tonic, self.mode = song_key(song)
        line = skyline(song).tracks[0].notes
        bars = max(1, min(MAX_BARS, -int(-line[-1].end // self.bar_length)))
        self.bars = split_bars(line, self.bar_length, bars)
        self.time_signature = song.time_signature

    def __len__(self) -> int:
        return len(self.bars)

    def bar(self, index: int) -> list[Note]:
        return list(self.bars[index % len(self.bars)])


class ComposedMelody:
    """Bars composed by a model on demand, `chunk_bars` at a time (chunk k uses seed `seed + k`)."""

    def __init__(self, composer, seed: int = 0, chunk_bars: int = 8, temperature: float = 1.0):
        self.composer, self.seed, self.chunk_bars, self.temperature = composer, seed, chunk_bars, temperature
        self.chunks: dict[int, LoopedMelody] = {}
        first = self._chunk(0)
        self.bar_length, self.tonic, self.mode = first.bar_length, first.tonic, first.mode
        self.time_signature = first.time_signature

    def _chunk(self, number: int) -> LoopedMelody:
        if number not in self.chunks:
            song = self.composer.generate(self._chunk_seconds(), self.seed + number, self.temperature)
            self.chunks[number] = LoopedMelody(song)
        return self.chunks[number]

    def _chunk_seconds(self) -> float:
        meter = getattr(self.composer, "meter", None)
        tempo = getattr(self.composer, "tempo", 120.0)
        bar_beats = meter.bar_length if meter is not None else 4.0
        return self.chunk_bars * bar_beats * 60.0 / tempo

    def bar(self, index: int) -> list[Note]:
        chunk = self._chunk(index // self.chunk_bars)
        return chunk.bar(index % self.chunk_bars)


def place_pitch(pitch_class: int, previous: int | None, low: int, high: int, max_leap: int,
                allowed: set[int]) -> int:
    """A pitch of `pitch_class` in low..high near `previous` (and the middle of the range), at most `max_leap` away.

    When no pitch of that class is within reach, the nearest pitch of an `allowed` class (the scale, or
    the chord) within reach is used instead, so the line never leaps further than `max_leap`. A previous
    note outside low..high (the register just changed) walks towards the range by at most `max_leap`.
    """
    middle = (low + high) / 2
    if previous is None:
        reach = list(range(low, high + 1))
    else:
        window = range(previous - max_leap, previous + max_leap + 1)
        reach = [p for p in window if low <= p <= high] or [p for p in window if 0 <= p <= 127]

    def cost(p: int) -> float:  # stay close to the last note, lean towards the middle of the range
        return (0 if previous is None else abs(p - previous)) + 0.5 * abs(p - middle)

    same_class = [p for p in reach if p % 12 == pitch_class]
    if same_class:
        return min(same_class, key=lambda p: (cost(p), p))
    in_scale = [p for p in reach if p % 12 in allowed] or reach
    wanted = min((p for p in range(0, 128) if p % 12 == pitch_class), key=lambda p: (cost(p), p))
    return min(in_scale, key=lambda p: (abs(p - wanted), p))
