"""`style_transfer(song, style)`: the learner's melody, re-written in another style, then arranged for it.

Lesson: lessons/07_style_transfer.ipynb. CLI: `deepcomposer style-transfer THEME.mid --style irish -o out.mid`.

The steps, each in its own module:

1. read the melody line (`transfer/melody.py`) and cut it at the source's bar lines (any meter, any
   length; a pickup written as a short first bar is a bar like any other);
2. re-write it bar by bar with the style model, steered by the source (`transfer/transferer.py`), in the
   target style's meter (from the styles table, or `meter=`);
3. arrange it for the style (`transfer/arrange.py`): tempo, instruments and texture.

`StyleTransferModel` holds a loaded model; `open_stream` gives the live, bar-at-a-time version of step 2.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

from ..errors import InvalidArgumentError
from ..music.song import Note, Song, TempoChange, TimeSignature, Track
from ..styles import find_style
from .melody import melody_track
from .style_space import contrast_blend
from .transferer import STEPS_PER_BEAT, BarStream, SourceBar, TransferSettings

_EPSILON = 1e-6


def source_bars(song: Song) -> list[SourceBar]:
    """The melody of `song` cut at its bar lines: one `SourceBar` per bar up to the last note."""
    notes = melody_track(song).notes
    if not notes:
        raise InvalidArgumentError(f"{song.title or 'the song'}: no melody notes to transfer")
    last_onset = max(note.start for note in notes)
    lines = song.bar_lines(last_onset + _EPSILON)
    bars = []
    for start, end in zip(lines, lines[1:]):
        inside = [Note(n.pitch, n.start - start, min(n.end, end) - start, n.velocity)
                  for n in notes if start - _EPSILON <= n.start < end - _EPSILON]
        bars.append(SourceBar.from_notes(inside, end - start))
    return bars


def meter_steps(meter: tuple[int, int]) -> int:
    """Sixteenth-note steps in one bar of `meter`, e.g. (6, 8) -> 12."""
    numerator, denominator = meter
    if numerator < 1 or denominator not in (1, 2, 4, 8, 16):
        raise InvalidArgumentError(f"meter {numerator}/{denominator} is not a meter (e.g. 4/4, 6/8, 3/2)")
    return round(numerator * 4 / denominator * STEPS_PER_BEAT)


@dataclass(frozen=True)
class TargetStyle:
    """A style the model can write: its index among the model's style vectors, register, meter and tempo, and
    how strongly to steer towards a source when transferring into it (chosen per style on held-out melodies)."""

    name: str
    index: int
    register: float
    meter: tuple[int, int]
    tempo: float
    steering: TransferSettings


class StyleTransferModel:
    """A loaded style model (`style-melody` or a learner's model that adds a style)."""

    def __init__(self, model, settings: dict, name: str):
        from .numpy_step import NumpyStep

        self.model = model
        self.settings = settings
        self.name = name
        self.step = NumpyStep(model)  # the weights as numpy arrays, made once: every stream shares them

    @property
    def styles(self) -> list[str]:
        """The styles this model can transfer into."""
        return list(self.settings["style_names"])

    def target(self, style: str) -> TargetStyle:
        """The model's entry for `style` (a style name or alias, or a learner's style it was taught)."""
        names = self.styles
        extra = self.settings.get("learned_styles", {})
        if style in extra:
            meter, tempo, name = tuple(extra[style]["meter"]), float(extra[style]["tempo"]), style
        else:
            known = find_style(style)
            if known is None or known.name not in names:
                raise InvalidArgumentError(f"model {self.name!r} knows no style {style!r}; it knows {', '.join(names)}")
            meter, tempo, name = known.meter, known.tempo, known.name
        steering = TransferSettings(**self.settings.get("steering", {}).get(name, {}))
        return TargetStyle(name, names.index(name), float(self.settings["registers"][name]), meter, tempo, steering)

    def contrast_style(self, target: TargetStyle):
        """The blend of styles a transfer into `target` is contrasted with (`transfer/style_space.py`).

        A corpus style's blend is made of the corpus styles only: its steering (the card's) was chosen with
        that blend, and a learner's style added later would only stir in noise. A learner's own style is
        contrasted with every other style the model knows."""
        learned = len(self.settings.get("learned_styles", {}))
        corpus_styles = len(self.styles) - learned
        among = corpus_styles if target.index < corpus_styles else len(self.styles)
        return contrast_blend(self.step, among, target.index)

    def open_stream(self, style: str, *, seed: int = 0, meter: tuple[int, int] | None = None,
                    settings: TransferSettings | None = None) -> BarStream:
        """A live transfer into `style`: call `push_bar(SourceBar)` as each source bar ends."""
        target = self.target(style)
        return BarStream(self.step, target.index, target.register, meter_steps(meter or target.meter), seed=seed,
                         settings=settings or target.steering, contrast_style=self.contrast_style(target))

    def transfer_melody(self, song: Song, style: str, *, seed: int = 0, meter: tuple[int, int] | None = None,
                        settings: TransferSettings | None = None) -> tuple[list[Note], int]:
        """The transferred melody's notes (beats) and its number of bars, written bar by bar as a stream would."""
        bars = source_bars(song)
        stream = self.open_stream(style, seed=seed, meter=meter, settings=settings)
        notes = [note for bar in bars for note in stream.push_bar(bar)]
        end = len(bars) * stream.bar_steps / STEPS_PER_BEAT
        return [Note(n.pitch, n.start, min(n.end, end), n.velocity) for n in notes], len(bars)


@functools.lru_cache(maxsize=4)
def _load(name: str, registry_root: str | None, version: tuple) -> StyleTransferModel:
    from ..registry import Registry
    from .model_io import load_style_model

    model, settings = load_style_model(name, Registry(registry_root) if registry_root else Registry())
    return StyleTransferModel(model, settings, name)


def load_transfer_model(name: str | None = None, registry=None) -> StyleTransferModel:
    """The style model called `name` (default `style-melody`), loaded once per process and kept.

    A model saved again under the same name (its weights file changed) is loaded afresh."""
    from ..registry import Registry
    from .model_io import DEFAULT_MODEL

    if registry is None or isinstance(registry, (str, os.PathLike)):
        root = None if registry is None else str(registry)  # a folder (note: a Path's own `.root` is just "/")
    else:
        root = str(registry.root)  # a `Registry`
    name = name or DEFAULT_MODEL
    weights = (Registry(root) if root else Registry()).find(name).weights_path
    stat = weights.stat() if weights.exists() else None
    return _load(name, root, (stat.st_mtime_ns, stat.st_size) if stat else ())


def style_transfer(song: Song, style: str, *, seed: int = 0, model_name: str | None = None, registry=None,
                   meter: tuple[int, int] | None = None, tempo: float | None = None, arrange: bool = True,
                   keep_contour: float | None = None, keep_rhythm: float | None = None,
                   temperature: float | None = None, keep_key: float | None = None,
                   contour_slack: float | None = None, style_contrast: float | None = None,
                   bar_drafts: int | None = None) -> Song:
    """`song`'s melody re-written in `style` (and, with `arrange`, arranged for it). Same seed, same Song.

    `meter` and `tempo` default to the style's (styles table); `keep_contour`, `keep_rhythm`, `keep_key`,
    `contour_slack`, `temperature`, `style_contrast` and `bar_drafts` (how closely to follow the source, how
    far to lean away from the neighbouring styles, how many drafts of each bar to choose from: see
    `transfer/transferer.py`) to the values the model's card chose for the style on held-out melodies
    (`scripts/choose_transfer_settings.py`), else `TransferSettings`'s.
    """
    model = load_transfer_model(model_name, registry)
    target = model.target(style)
    defaults = target.steering
    settings = TransferSettings(
        keep_contour=defaults.keep_contour if keep_contour is None else float(keep_contour),
        keep_rhythm=defaults.keep_rhythm if keep_rhythm is None else float(keep_rhythm),
        temperature=defaults.temperature if temperature is None else float(temperature),
        keep_key=defaults.keep_key if keep_key is None else float(keep_key),
        contour_slack=defaults.contour_slack if contour_slack is None else float(contour_slack),
        style_contrast=defaults.style_contrast if style_contrast is None else float(style_contrast),
        bar_drafts=defaults.bar_drafts if bar_drafts is None else bar_drafts,
    ).check()
    chosen_meter = tuple(meter) if meter else target.meter
    chosen_tempo = float(tempo) if tempo else target.tempo
    if not 20 <= chosen_tempo <= 320:
        raise InvalidArgumentError(f"tempo must be between 20 and 320 BPM, not {chosen_tempo:g}")
    notes, _ = model.transfer_melody(song, target.name, seed=seed, meter=chosen_meter, settings=settings)
    title = f"{song.title or 'melody'} as {target.name}"
    melody = Song(tracks=[Track(notes=notes, program=0, name="melody")], tempos=[TempoChange(0.0, chosen_tempo)],
                  time_signatures=[TimeSignature(0.0, *chosen_meter)], key=song.key, title=title)
    if not arrange:
        return melody
    from .arrange import arrange as arrange_for_style

    return arrange_for_style(melody, target.name if find_style(target.name) else "german_folk", seed=seed, key=song.key)
