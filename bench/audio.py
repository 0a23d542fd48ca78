"""Benchmark: render 30 s of 4-track music with the built-in synthesizer and with a GM soundfont.

Targets (issue 4): built-in synth <= 0.5 s, soundfont <= 2 s, on the course's 2-core machine.
Run: python bench/audio.py
The built-in synth makes each distinct (instrument, pitch, length) note once per render, so it is timed
on the song as written (repeated notes) and "humanized" (every note a different length, nothing reused).
Prints the median of 5 runs of each, the speed as a multiple of real time, and each median as a ratio of a
yardstick measured in the same process (computing one 30-second sine wave with numpy), so figures from
different machines can be compared.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import replace

import numpy as np

from deepcomposer_edu.audio import find_soundfont, render
from deepcomposer_edu.audio.soundfont import soundfont_engine
from deepcomposer_edu.music import Note, Song, Track

RUNS = 5
RATE = 22050
BARS = 15  # at 120 BPM in 4/4, 15 bars are 30 seconds


def four_track_song() -> Song:
    """Melody in eighth notes, three-note chords, a walking bass, and kick/snare/hi-hat drums."""
    scale = [0, 2, 4, 5, 7, 9, 11, 12]
    chords = [[0, 4, 7], [5, 9, 12], [7, 11, 14], [0, 4, 7]]
    melody, harmony, bass, drums = [], [], [], []
    for bar in range(BARS):
        at = bar * 4.0
        root = 48 + chords[bar % 4][0]
        for eighth in range(8):
            melody.append(Note(72 + scale[(bar * 3 + eighth * 5) % 8], at + eighth / 2, at + eighth / 2 + 0.5, 90))
            drums.append(Note(42, at + eighth / 2, at + eighth / 2 + 0.25, 70))
        for half in (0.0, 2.0):
            harmony += [Note(60 + step, at + half, at + half + 2.0, 70) for step in chords[bar % 4]]
        bass += [Note(root - 12 + scale[beat * 2 % 8], at + beat, at + beat + 1.0, 100) for beat in range(4)]
        drums += [Note(36, at, at + 0.5, 110), Note(38, at + 1, at + 1.5, 100),
                  Note(36, at + 2, at + 2.5, 110), Note(38, at + 3, at + 3.5, 100)]
    return Song([Track(melody, program=73, name="melody"), Track(harmony, program=48, name="harmony"),
                 Track(bass, program=33, name="bass"), Track(drums, is_drum=True, name="drums")])


def humanized(song: Song) -> Song:
    """The same song with every note a slightly different length, as a person plays (no two notes alike)."""
    rng = random.Random(0)
    tracks = [replace(t, notes=[replace(n, end=n.end - 0.1 * rng.random()) for n in t.notes]) for t in song.tracks]
    return replace(song, tracks=tracks)


def median_seconds(work) -> float:
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    song = four_track_song()
    seconds = song.duration_seconds
    yardstick = median_seconds(lambda: np.sin(np.arange(int(seconds * RATE)) * (2 * np.pi * 440 / RATE)))
    print(f"song: {len(song.tracks)} tracks, {song.note_count} notes, {seconds:.1f} s; {RUNS} runs each, medians")
    print(f"yardstick (one {seconds:.0f} s sine with numpy): {yardstick * 1000:.2f} ms")
    rows = [("built-in synth", song, False, 0.5), ("built-in synth, humanized", humanized(song), False, 0.5)]
    font = find_soundfont() if soundfont_engine() else None
    if font is None:
        print("soundfont: none found, skipped (install timgm6mb-soundfont or set DEEPCOMPOSER_SOUNDFONT)")
    else:
        rows.append((f"soundfont ({soundfont_engine()}, {font.name})", song, font, 2.0))
    for label, music, soundfont, target in rows:
        render(music, RATE, soundfont=soundfont)  # warm-up: imports, caches, file system
        took = median_seconds(lambda: render(music, RATE, soundfont=soundfont))
        verdict = "ok" if took <= target else "OVER TARGET"
        print(f"{label:40s} {took:6.3f} s  ({seconds / took:5.0f}x real time, {took / yardstick:6.0f}x yardstick)"
              f"  target <= {target} s: {verdict}")


if __name__ == "__main__":
    main()
