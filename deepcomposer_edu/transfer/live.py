"""Live style transfer: each bar a learner plays on the keyboard widget comes back in another style.

Lesson: lessons/07_style_transfer.ipynb (play live). Widget: `deepcomposer_edu/widgets/keyboard.py`.

    recorder = KeyboardRecorder(tempo=100, bars=8)
    live = LiveTransfer(recorder, "irish", on_bar=lambda bar, notes: print(bar, notes))
    recorder                      # play; as each bar line passes, its jig bar is written
    live.song                     # everything transferred so far, timed to last as long as what was played

The widget calls back when a bar is over (`KeyboardRecorder.on_bar`); the bar's melody goes straight into
a `BarStream` (`transfer/transferer.py`), which writes the target bar from it and from what it wrote
before. Nothing waits for the end of the take, so the answer is as quick as one bar of the model
(`bench/style.py`: a few milliseconds). `latencies_ms` keeps how long each bar took.
"""

from __future__ import annotations

import time
from typing import Callable

from ..music.song import Note, Song, TempoChange, TimeSignature, Track
from .melody import melody_track
from .style_transfer import load_transfer_model
from .transferer import STEPS_PER_BEAT, SourceBar, TransferSettings


class LiveTransfer:
    """Transfers a `KeyboardRecorder`'s bars into `style` as they are played."""

    def __init__(self, recorder, style: str, *, seed: int = 0, model_name: str | None = None,
                 settings: TransferSettings | None = None,
                 on_bar: Callable[[int, list[Note]], object] | None = None):
        """`settings`: how to steer (default: the card's for the style), as for `style_transfer`."""
        model = load_transfer_model(model_name)
        self.target = model.target(style)
        self.stream = model.open_stream(style, seed=seed, settings=settings)  # the stream checks them
        self.recorder = recorder
        self.notes: list[Note] = []
        self.latencies_ms: list[float] = []
        self._callback = on_bar
        recorder.on_bar(self._bar_finished)

    def _bar_finished(self, bar: int, song: Song) -> None:
        started = time.perf_counter()
        while self.stream.bars_done < bar:  # a bar the widget skipped (nothing played): silence in, silence out
            self.stream.push_bar(SourceBar.from_notes([], self.recorder.bar_length))
        played = melody_track(song).notes if song.notes else []
        written = self.stream.push_bar(SourceBar.from_notes(played, self.recorder.bar_length))
        self.latencies_ms.append((time.perf_counter() - started) * 1000)
        self.notes += written
        if self._callback is not None:
            self._callback(bar, written)

    @property
    def song(self) -> Song:
        """The transferred bars so far, in the style's meter, at the tempo that makes a bar last as long as the
        player's bar (so it can be played along with the take)."""
        played_bar_seconds = self.recorder.bar_length * 60.0 / self.recorder.tempo
        target_bar_beats = self.stream.bar_steps / STEPS_PER_BEAT
        return Song(tracks=[Track(notes=list(self.notes), name="melody")],
                    tempos=[TempoChange(0.0, round(60.0 * target_bar_beats / played_bar_seconds, 3))],
                    time_signatures=[TimeSignature(0.0, *self.target.meter)], title=f"live {self.target.name}")
