"""The built-in synthesizer: sound for every Song on a bare machine, no soundfont needed.

Lesson: lessons/00_welcome.ipynb (what a note is, as sound).

Each note is made in three steps, all with numpy on whole arrays (no per-sample Python loop):
1. a waveform at the note's frequency (440 Hz * 2 ** ((pitch - 69) / 12)), read from a one-cycle
   *wavetable* that sums the timbre's harmonics, or a Karplus-Strong plucked string, or bell partials;
2. times an ADSR envelope (envelope.py), so it starts and stops without a click;
3. added into the mix at the sample where its beat falls, following the Song's tempo map.
Drums are one-shot sounds from drums.py. The result is mono float32 at `sample_rate`.
"""

from __future__ import annotations

import functools

import numpy as np

from ..music.song import Song
from .drums import drum_hit
from .envelope import adsr
from .timbres import Timbre, timbre_for_program

TABLE_BITS = 12
TABLE_SIZE = 2**TABLE_BITS  # samples in one cycle of a wavetable (a power of 2, so "& (TABLE_SIZE - 1)" wraps it)
VIBRATO_HZ = 5.5
PLUCK_LOSS = 0.998  # energy kept per trip along the plucked string


def frequency(pitch: int) -> float:
    """Equal temperament, A4 (MIDI 69) = 440 Hz."""
    return 440.0 * 2.0 ** ((pitch - 69) / 12.0)


def velocity_gain(velocity: int) -> float:
    """Amplitude for a MIDI velocity: a curve, because loudness is heard logarithmically."""
    return (min(max(velocity, 1), 127) / 127.0) ** 1.5


def render_builtin(song: Song, sample_rate: int, total_samples: int) -> np.ndarray:
    """Mix every note of `song` into a mono float32 array of `total_samples` samples (not normalised)."""
    mix = np.zeros(total_samples, dtype=np.float32)
    made: dict[tuple, np.ndarray] = {}  # repeated notes (same sound, same length) are made once
    for track in song.tracks:
        timbre = None if track.is_drum else timbre_for_program(track.program)
        for note in track.notes:
            begin = round(song.seconds_at(note.start) * sample_rate)
            if begin >= total_samples:
                continue
            if timbre is None:
                key = ("drum", note.pitch)
                wave = made.get(key)
                if wave is None:
                    wave = made[key] = drum_hit(note.pitch, sample_rate)
            else:
                held = max(1, round(song.seconds_at(note.end) * sample_rate) - begin)
                key = (timbre.name, note.pitch, held)
                wave = made.get(key)
                if wave is None:
                    wave = made[key] = note_wave(timbre, note.pitch, held, sample_rate)
            stop = min(begin + len(wave), total_samples)
            mix[begin:stop] += velocity_gain(note.velocity) * wave[: stop - begin]
    return mix


def note_wave(timbre: Timbre, pitch: int, held_samples: int, sample_rate: int) -> np.ndarray:
    """One note of `timbre`, held for `held_samples` then released; peak about 1, float32."""
    f0 = frequency(pitch)
    decay = timbre.decay
    if timbre.pitch_decay:  # high piano and mallet notes die away sooner than low ones
        decay = float(np.clip(decay * (261.6 / f0) ** 0.5, 0.15, 4.0))
    envelope = adsr(held_samples, sample_rate, timbre.attack, decay, timbre.sustain, timbre.release)
    t = np.arange(len(envelope), dtype=np.float32) / np.float32(sample_rate)  # seconds since the note began
    rng = np.random.default_rng(pitch)  # fixed seed: the same song always renders to the same samples
    if timbre.pluck:
        wave = karplus_strong(f0, len(t), sample_rate, rng)
    elif timbre.ratios:
        wave = bell(timbre, f0, t, sample_rate, decay)
    else:
        wave = harmonic_wave(timbre, f0, t, sample_rate)
    if timbre.breath:
        wave = wave + timbre.breath * breath_noise(len(t), rng)
    return (wave * envelope).astype(np.float32)


def harmonic_wave(timbre: Timbre, f0: float, t: np.ndarray, sample_rate: int) -> np.ndarray:
    """Wavetable synthesis: read one cycle of summed harmonics at the note's rate, blending bright to steady."""
    highest = max(1, int(0.45 * sample_rate / f0))  # no harmonic above Nyquist: that would alias
    steady = wavetable(timbre.harmonics, highest)
    start = wavetable(timbre.attack_harmonics, highest) if timbre.attack_harmonics else None
    fade = np.exp(-t / timbre.brightness_time) if start is not None else None
    # the integral of a frequency wobbling by `vibrato` semitones at VIBRATO_HZ, in cycles per Hz of pitch
    wobble = (1.0 - np.cos(2 * np.pi * VIBRATO_HZ * t)) / (2 * np.pi * VIBRATO_HZ) if timbre.vibrato else None
    wave = np.zeros(len(t), dtype=np.float32)
    voices = [0.0, timbre.detune_cents] if timbre.detune_cents else [0.0]
    for cents in voices:
        f = f0 * 2.0 ** (cents / 1200.0)
        index = table_positions(f, len(t), sample_rate)
        if wobble is not None:
            wobble_positions = (f * (2.0 ** (timbre.vibrato / 12.0) - 1.0) * TABLE_SIZE) * wobble
            index = (index + wobble_positions.astype(np.int64)) & (TABLE_SIZE - 1)
        voice = steady[index]
        if start is not None:
            voice += (start[index] - voice) * fade
        wave += voice
    return wave / len(voices)


def table_positions(f: float, length: int, sample_rate: int) -> np.ndarray:
    """Where in the wavetable each sample reads, for a note at `f` Hz: shape (length,), int64 in [0, TABLE_SIZE).

    Exact integer "phase accumulator" arithmetic, as in hardware synthesizers: the position advances by
    f / sample_rate of a cycle per sample, kept as a 32-bit fraction, so long notes never drift out of tune.
    """
    step = np.uint64(round(f / sample_rate * 2**32))  # a 32-bit fraction of a cycle per sample
    phase = np.arange(length, dtype=np.uint64) * step  # wraps harmlessly past 2**64
    return ((phase >> np.uint64(32 - TABLE_BITS)) & np.uint64(TABLE_SIZE - 1)).astype(np.int64)


@functools.lru_cache(maxsize=512)
def wavetable(harmonics: tuple[float, ...], highest: int) -> np.ndarray:
    """One cycle (TABLE_SIZE samples) of sum_k harmonics[k-1] * sin(2 pi k x), for k <= highest; peak 1."""
    x = np.arange(TABLE_SIZE) / TABLE_SIZE
    table = np.zeros(TABLE_SIZE)
    for k, amplitude in enumerate(harmonics[:highest], start=1):
        table += amplitude * np.sin(2 * np.pi * k * x)
    return (table / np.abs(table).max()).astype(np.float32)


def bell(timbre: Timbre, f0: float, t: np.ndarray, sample_rate: int, decay: float) -> np.ndarray:
    """Mallets and bells: inharmonic partials, the higher ones dying away faster."""
    wave = np.zeros(len(t))
    for ratio, amplitude in zip(timbre.ratios, timbre.harmonics):
        if ratio * f0 < 0.45 * sample_rate:
            wave += amplitude * np.sin(2 * np.pi * ratio * f0 * t) * np.exp(-t * (ratio - 1.0) / decay)
    return wave / sum(timbre.harmonics)


def breath_noise(length: int, rng: np.random.Generator) -> np.ndarray:
    """Soft hiss: white noise smoothed by a short moving average (a low-pass), peak about 1."""
    white = rng.standard_normal(length + 7)
    return np.convolve(white, np.ones(8) / 8, mode="valid") * 2.0


def karplus_strong(f0: float, length: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """A plucked string: a burst of noise circulating in a delay line of one period, averaged each trip.

    y[n] = loss * (y[n - P] + y[n - P - 1]) / 2. The recursion is computed a whole period at a time
    (each block depends only on the block before). An integer delay P plays at sample_rate / (P + 0.5) Hz,
    so the result is resampled to exactly f0.
    """
    period = max(2, int(sample_rate / f0))
    native = sample_rate / (period + 0.5)
    needed = int(np.ceil(length * f0 / native)) + 2
    line = np.zeros(needed + 1)  # line[i] holds y[i - 1]; line[0] is the y[-1] = 0 before the pluck
    # the string's shape when released: a triangle (pulled at one point) with a little noise for the pick
    shape = 1.0 - np.abs(np.linspace(-1.0, 1.0, period))
    pluck = shape + 0.3 * rng.uniform(-1.0, 1.0, period)
    line[1 : period + 1] = pluck - pluck.mean()  # no DC offset
    for begin in range(period, needed, period):
        end = min(begin + period, needed)
        line[begin + 1 : end + 1] = PLUCK_LOSS * 0.5 * (line[begin + 1 - period : end + 1 - period] + line[begin - period : end - period])
    y = line[1:]
    wave = np.interp(np.arange(length) * (f0 / native), np.arange(needed), y)
    return wave / max(np.abs(wave).max(), 1e-9)
