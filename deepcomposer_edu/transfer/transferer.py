"""Style transfer, one bar at a time: the source melody's contour, the target style's notes and rhythms.

Lesson: lessons/07_style_transfer.ipynb. Model: `deepcomposer_edu/models/style_melody.py`.

The style model can write a melody in any style on its own. To *transfer* a melody, it writes in the
target style while being steered, note by note, towards the source:

- **Bars line up.** Source bar k becomes target bar k, in the target style's meter. A moment a fraction f
  of the way through a source bar maps to the moment f of the way through the target bar, so a 4/4
  phrase becomes a 6/8 phrase of the same number of bars (a jig gets its lilt from the model).
- **Pitch follows the contour.** When the model chooses a pitch (it has already chosen when the note starts
  and how long it lasts), every candidate loses `keep_contour` nats per semitone it lies away from the
  source's pitch over that stretch of the bar (the mean of the source notes sounding there, weighted by how
  long each sounds, moved by whole octaves into the style's register, so the key is kept). The model still
  chooses among nearby pitches the ones its style likes (a pentatonic step, a chord tone on the beat);
  candidates more than an octave away are out.
- **Rhythm may follow a little.** The next note starting where the source's next note starts gains
  `keep_rhythm` nats; so does a length that ends by then, and so does "no more notes in this bar" once
  the source has none left in it (or rests for the whole bar). At 0 the rhythm is the style's own; larger
  values keep more of the source's rhythm, and a large one keeps its onsets.
- **The key stays.** A pitch class the source has not played so far loses `keep_key` nats: the model,
  which hears only its own notes, would otherwise settle into a key of its own after a few bars.
- **The style stands apart from its cousins.** With `style_contrast` every choice leans towards what the
  target style does more than the styles nearest it (`_guided`; the neighbours: `transfer/style_space.py`).
- **Second thoughts.** With `bar_drafts` above 1, each bar is written that many times from the same
  starting point, and the draft the model finds most like the style, and least like its neighbours, is kept
  (`_best_draft`). A composer sketching a bar three times and keeping the best: a whole bar is judged, not
  one note at a time, at the price of writing it several times.
- **No bar of the source is dropped.** A bar where the source plays is never left silent (`_next_onset`).

Because each bar needs only its own source bar (plus what came before), the same code serves a whole file
(`transfer_melody`) and a learner playing live (`BarStream.push_bar`, called as each bar line passes): for
the same seed both give the same notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ..errors import InvalidArgumentError
from ..models.style_melody import MAX_BAR, MAX_DELTA, START_PITCH
from ..music.song import Note
from .numpy_step import NumpyStep

STEPS_PER_BEAT = 4
PITCH_WINDOW = 12  # candidates further than this from the source pitch are never chosen
NEG = -1e9
_PLAUSIBLE = float(np.log(1 / 50))  # style contrast pushes only choices at least 1/50 as likely as the favourite
_PITCHES = np.arange(128, dtype=np.float64)
MAX_DRAFTS = 8


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max()
    return shifted - np.log(np.exp(shifted).sum())


@dataclass(frozen=True)
class SourceBar:
    """One source bar's melody: (pitch, start, end) in beats from its bar line, and its length in beats."""

    notes: tuple[tuple[int, float, float], ...]
    length: float

    @classmethod
    def from_notes(cls, notes: list[Note], length: float) -> "SourceBar":
        if length <= 0:
            raise InvalidArgumentError(f"a bar must last more than 0 beats, not {length}")
        ordered = sorted((n for n in notes if -1e-6 <= n.start < length - 1e-6), key=lambda n: n.start)
        return cls(tuple((n.pitch, max(n.start, 0.0), max(n.end, n.start)) for n in ordered), float(length))


@dataclass
class TransferSettings:
    """How far to lean towards the source. These class defaults are a starting point: the shipped model's card
    holds a setting per style, chosen on held-out (valid) melodies (docs/style_transfer.md)."""

    keep_contour: float = 0.7  # nats per semitone away from the source pitch
    keep_rhythm: float = 0.5  # nats for following the source's next onset
    temperature: float = 0.9
    keep_key: float = 2.0  # nats off a pitch class the source has not played so far
    contour_slack: float = 0.0  # semitones around the source pitch that cost nothing (the style chooses there)
    style_contrast: float = 0.0  # how far to push away from neighbouring styles (0: no push; see `_guided`)
    bar_drafts: int = 1  # drafts written of each bar, the most distinctive kept (1: no second thoughts)

    def check(self) -> "TransferSettings":
        if not all(value >= 0 for value in (self.keep_contour, self.keep_rhythm, self.keep_key, self.contour_slack,
                                            self.style_contrast)):
            raise InvalidArgumentError("keep_contour, keep_rhythm, keep_key, contour_slack and style_contrast "
                                       "must be 0 or more")
        if not 0.05 <= self.temperature <= 3.0:
            raise InvalidArgumentError(f"temperature must be between 0.05 and 3, not {self.temperature}")
        whole = isinstance(self.bar_drafts, (int, float)) and not isinstance(self.bar_drafts, bool) and \
            float(self.bar_drafts).is_integer()
        if not (whole and 1 <= self.bar_drafts <= MAX_DRAFTS):
            raise InvalidArgumentError(f"bar_drafts must be a whole number from 1 to {MAX_DRAFTS}, "
                                       f"not {self.bar_drafts}")
        self.bar_drafts = int(self.bar_drafts)  # a card written by JSON may hold 3.0
        return self

    @property
    def reads_neighbours(self) -> bool:
        """Whether every note is also read as the neighbouring styles: for style contrast, or to judge drafts."""
        return self.style_contrast > 0 or self.bar_drafts > 1


@dataclass
class _Previous:
    """The last note written: what the model reads next, and where it ends (so the next cannot overlap it)."""

    pitch: int = START_PITCH
    duration: int = 0
    delta: int = 0
    position: int = 0
    onset: int = 0  # steps from the start of the transfer


@dataclass
class BarStream:
    """Transfers a melody bar by bar. `push_bar(source_bar)` returns the target bar's notes (beats from the start)."""

    step: NumpyStep  # the trained model's one-note step (`transfer/numpy_step.py`)
    style_index: int
    register: float  # the style's median pitch: the source moves by octaves towards it
    bar_steps: int  # steps in one target bar (the target meter)
    seed: int = 0
    settings: TransferSettings = field(default_factory=TransferSettings)
    contrast_style: np.ndarray | None = None  # the blend of neighbouring styles (`transfer/style_space.py`)
    octave_shift: int | None = None  # decided by the first bar that has notes
    bars_done: int = 0
    _previous: _Previous = field(default_factory=_Previous)
    _styles: int | np.ndarray | None = None  # what the GRU reads as the style: its index, or [its row, the blend]
    _state: np.ndarray | None = None
    _summary: np.ndarray | None = None  # (H,), or (2, H) when `settings.reads_neighbours`: [own style, neighbours]
    _last_source_pitch: int | None = None
    _random: np.random.Generator | None = None
    _draft_score: float = 0.0  # sum of log p(choice | style) - log p(choice | neighbours) over this draft
    _heard: np.ndarray = field(default_factory=lambda: np.zeros(12, dtype=bool))  # pitch classes the source played

    def __post_init__(self) -> None:
        if not 1 <= self.bar_steps <= MAX_BAR:
            raise InvalidArgumentError(f"a target bar of {self.bar_steps / STEPS_PER_BEAT:g} beats is not supported "
                                       f"(1 to {MAX_BAR // STEPS_PER_BEAT} beats)")
        self.settings.check()
        self._random = np.random.default_rng(int(self.seed))
        if self.settings.reads_neighbours:
            if self.contrast_style is None:
                raise InvalidArgumentError("style_contrast and bar_drafts need the styles to contrast with (open the "
                                           "stream from a model)")
            self._styles = np.stack([self.step.input_tables[-1][self.style_index], self.contrast_style])
            self._state = self.step.initial_state(styles=2)  # both read every note in one matrix product
        else:
            self._styles = self.style_index
            self._state = self.step.initial_state()
        self._read(self._previous)

    # --- the model, one note at a time ----------------------------------------------------------------------

    def _read(self, note: _Previous) -> None:
        """Feed one note to the GRU; keep its state and the summary the heads ask their questions of."""
        self._summary, self._state = self.step.read(self._state, note.pitch, note.duration, note.delta,
                                                    note.position, self.bar_steps, self._styles)

    def _guided(self, head, *context) -> tuple[np.ndarray, np.ndarray | None]:
        """Log-probabilities from one of the model's heads, pushed away from what neighbouring styles would do;
        and, for judging drafts, how much more the style likes each choice than its neighbours do (log-ratio;
        None when only the style is read).

        With style_contrast c, a choice's log-probability becomes log p(x | style) + c * (log p(x | style) -
        log p(x | neighbours)): what this style likes *more than the styles it is most like* is favoured (the
        idea of classifier-free guidance, Ho & Salimans 2022, and of contrastive decoding, Li et al. 2023;
        the neighbours are `transfer/style_space.py`'s blend, read by the model as one more style). Only
        choices the style itself finds plausible (at least 1/50 of its favourite, after the temperature) are
        pushed, so a choice that both find unlikely is never promoted by the difference of two tiny numbers."""
        logits = head(self._summary, *context) / self.settings.temperature
        if not self.settings.reads_neighbours:
            return _log_softmax(logits), None  # one style read: `logits` is a single row
        own, neighbours = _log_softmax(logits[0]), _log_softmax(logits[1])
        distinct = own - neighbours
        plausible = own >= own.max() + _PLAUSIBLE
        return _log_softmax(own + self.settings.style_contrast * distinct * plausible), distinct

    def _sample(self, log_probs: np.ndarray, distinct: np.ndarray | None = None) -> int:
        """Draw an index with probability proportional to exp(log_probs), from this stream's own generator;
        the choice's log-ratio `distinct` (from `_guided`) counts towards the draft's score."""
        weights = np.exp(log_probs - log_probs.max())
        cumulative = np.cumsum(weights)
        index = int(np.searchsorted(cumulative, self._random.random() * cumulative[-1], side="right"))
        if distinct is not None and self.settings.bar_drafts > 1:
            self._draft_score += float(distinct[index])
        return index

    def _next_onset(self, bar_start: int, bar_end: int, source_onsets: set[int], steered: bool) -> int | None:
        """When the next note starts (steps from the start), or None if not in this bar.

        Never before the previous note ends. When the bar is `steered` by a source bar, `keep_rhythm` favours
        the source's next onset in this bar or, once the source has none left in it (or is silent there),
        "not in this bar"; a choice more than MAX_DELTA steps ahead cannot be favoured, as the model cannot
        express it. "Not in this bar" is all that is decided when the model's choice falls beyond the bar
        line: at the next bar the same distribution is sampled again, limited to onsets from that bar line
        on and steered by that bar's source, as if it had been known all along.
        Except where that would leave a bar silent while the source plays in it: then the note starts on
        the source's first onset in the bar (a musician transferring a tune does not drop a bar of it).
        """
        previous = self._previous
        previous_end = previous.onset + (0 if previous.pitch == START_PITCH else max(previous.duration, 1))
        earliest = max(previous_end, bar_start)
        coming = [bar_start + position for position in source_onsets if bar_start + position >= earliest]
        first_source_onset = min(coming, default=earliest)
        if earliest >= bar_end:
            return None
        lowest = earliest - previous.onset
        if lowest > MAX_DELTA:  # a rest longer than the model can express: start on this bar's first onset
            return first_source_onset
        log_probs, distinct = self._guided(self.step.delta_logits)
        if coming:
            if first_source_onset - previous.onset <= MAX_DELTA:
                log_probs[first_source_onset - previous.onset] += self.settings.keep_rhythm
        elif steered:  # the source plays nothing more in this bar
            log_probs[max(bar_end - previous.onset, lowest):] += self.settings.keep_rhythm
        log_probs[:lowest] = NEG
        onset = previous.onset + self._sample(log_probs, distinct)
        if onset < bar_end:
            return onset
        nothing_yet = previous.pitch == START_PITCH or previous.onset < bar_start  # no note written in this bar
        silent_bar = nothing_yet and previous_end <= bar_start
        return first_source_onset if silent_bar and source_onsets else None

    def _write_note(self, onset: int, bar_start: int, bar: SourceBar | None, source_onsets: set[int]) -> Note:
        """Choose duration and pitch for a note starting at step `onset`, inside the bar starting at `bar_start`.

        With no source `bar` the model chooses freely: it composes in its style rather than transferring. With
        one, a length that ends by the source's next onset in the bar (`source_onsets`, steps from the bar
        line) gains `keep_rhythm` nats, so the melody does not sound over it."""
        step = self.step
        position = onset - bar_start
        delta = min(onset - self._previous.onset, MAX_DELTA)
        duration_log_probs, distinct = self._guided(step.duration_logits, delta, position)
        later = [source for source in source_onsets if source > position]
        if later:  # a note still sounding at the source's next onset would make the melody skip it
            duration_log_probs[1:min(later) - position + 1] += self.settings.keep_rhythm
        duration_log_probs[0] = NEG
        duration = self._sample(duration_log_probs, distinct)
        pitch_log_probs, distinct = self._guided(step.pitch_logits, delta, position, duration)
        if bar is None:
            pitch = self._sample(pitch_log_probs, distinct)
        else:
            aim = self._source_pitch_over(bar, position / self.bar_steps, (position + duration) / self.bar_steps)
            distance = np.abs(_PITCHES - aim)
            outside = ~self._heard[_PITCHES.astype(np.int64) % 12]
            steered = pitch_log_probs - self.settings.keep_contour * np.maximum(
                distance - self.settings.contour_slack, 0.0)
            steered -= self.settings.keep_key * outside
            pitch = self._sample(np.where(distance > PITCH_WINDOW, NEG, steered), distinct)
        self._previous = _Previous(pitch, duration, delta, position, onset)
        self._read(self._previous)
        return Note(pitch, onset / STEPS_PER_BEAT, (onset + duration) / STEPS_PER_BEAT)

    # --- bars ---------------------------------------------------------------------------------------------

    def _shift_for(self, bar: SourceBar) -> int:
        if self.octave_shift is None and bar.notes:
            median = float(np.median([pitch for pitch, _, _ in bar.notes]))
            self.octave_shift = 12 * round((self.register - median) / 12)
        return self.octave_shift or 0

    def _source_pitch_over(self, bar: SourceBar, start: float, end: float) -> float:
        """The (octave-moved) source pitch over a stretch of the bar (fractions 0..1), weighted by how long each
        source note sounds in it: a long target note aims at the middle of the notes it replaces.

        Before the bar's first note, the last source pitch heard (or, at the very start, the first to come)."""
        start_beat, end_beat = start * bar.length, max(min(end, 1.0) * bar.length, start * bar.length + 1e-3)
        pitch = self._last_source_pitch if self._last_source_pitch is not None else bar.notes[0][0]
        moments = [(0.0, pitch)] + [(note_start, note_pitch) for note_pitch, note_start, _ in bar.notes]
        total, weight = 0.0, 0.0
        for (begin, sounding), (following, _) in zip(moments, [*moments[1:], (bar.length, None)]):
            overlap = min(following, end_beat) - max(begin, start_beat)
            if overlap > 0:
                total, weight = total + overlap * sounding, weight + overlap
        mean = total / weight if weight else float(moments[-1][1])
        return min(max(mean + self._shift_for(bar), 0.0), 127.0)

    def _write_bar(self, bar_start: int, bar_end: int, source_onsets: set[int], bar: SourceBar | None) -> list[Note]:
        notes: list[Note] = []
        while (onset := self._next_onset(bar_start, bar_end, source_onsets, bar is not None)) is not None:
            notes.append(self._write_note(onset, bar_start, bar, source_onsets))
        return notes

    def _best_draft(self, bar_start: int, bar_end: int, source_onsets: set[int], bar: SourceBar | None) -> list[Note]:
        """Write the bar `bar_drafts` times from the same starting point and keep the most distinctive draft.

        A draft's score is the sum, over its choices (onsets, lengths, pitches), of log p(choice | style) -
        log p(choice | neighbours): how much more likely the whole bar is as this style than as its nearest
        styles (a likelihood ratio, as in Bayes' rule; of the distributions as sampled, after the temperature).
        Being a sum, it also leans on how many notes a draft has: towards more notes where each note tends to
        sound like the style (Irish), towards fewer where most notes could belong to a cousin (German folk).
        The drafts differ only by their random draws, which come one after another from the stream's
        generator, so the result is still the same for the same seed."""
        if self.settings.bar_drafts == 1:
            return self._write_bar(bar_start, bar_end, source_onsets, bar)
        start = (self._previous, self._state, self._summary)  # never changed in place: restoring is reassigning
        best = None
        for _ in range(self.settings.bar_drafts):
            self._previous, self._state, self._summary = start
            self._draft_score = 0.0
            notes = self._write_bar(bar_start, bar_end, source_onsets, bar)
            if best is None or self._draft_score > best[0]:
                best = (self._draft_score, notes, self._previous, self._state, self._summary)
        _, notes, self._previous, self._state, self._summary = best
        return notes

    def push_bar(self, bar: SourceBar | None) -> list[Note]:
        """The next target bar, written as soon as source bar `bar` is complete. Notes in beats from the start.

        `bar=None` lets the model write the bar on its own, unsteered (composing in the style)."""
        bar_start = self.bars_done * self.bar_steps
        bar_end = bar_start + self.bar_steps
        if bar is not None and self._previous.pitch == START_PITCH and not bar.notes:
            self.bars_done += 1  # nothing played yet: the melody will start at a later bar line
            self._previous = replace(self._previous, onset=bar_end)
            return []
        source_onsets: set[int] = set()
        if bar is not None:
            self._shift_for(bar)
            self._heard[[pitch % 12 for pitch, _, _ in bar.notes]] = True
            source_onsets = {min(round(start / bar.length * self.bar_steps), self.bar_steps - 1)
                             for _, start, _ in bar.notes}
        notes = self._best_draft(bar_start, bar_end, source_onsets, bar)
        if bar is not None and bar.notes:
            self._last_source_pitch = bar.notes[-1][0]
        self.bars_done += 1
        return notes
