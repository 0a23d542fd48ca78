"""The note events the style model learns from (deepcomposer_edu/transfer/events.py)."""

from __future__ import annotations

import numpy as np

from deepcomposer_edu.music.song import Note, Song, TempoChange, TimeSignature, Track
from deepcomposer_edu.transfer.events import note_events
from deepcomposer_edu.transfer.training import BalancedWindows


def thirty_seconds_to_the_bar_line(bars: int) -> Song:
    """Bars of 32nd notes: the last one starts at 3.875 beats into its bar, step 15.5, which rounds onto the line."""
    notes = [Note(60 + i % 12, i * 0.125, (i + 1) * 0.125, 80) for i in range(32 * bars)]
    return Song(tracks=[Track(notes=notes)], tempos=[TempoChange(0.0, 120.0)],
                time_signatures=[TimeSignature(0.0, 4, 4)])


def test_a_note_rounded_onto_the_closing_bar_line_gets_a_bar_and_every_window_reads():
    events = note_events(thirty_seconds_to_the_bar_line(2))
    assert events.onset[-1] == 32  # the grid put it on the line that closes bar 2
    assert events.bar.max() < len(events.bar_lines) - 1  # so that line is not the last one
    for first_bar in range(int(events.bar[-1]) + 1):
        window = events.window(first_bar, 64)
        assert np.all(window["position"][1:] < window["bar_steps"][1:])
    # a learner's folder of such files trains: the batches draw windows from every bar
    windows = BalancedWindows({0: [events]}, batch_size=16, seed=0)
    batch = next(iter(windows))
    assert batch.pitch.shape[0] == 16
