"""A new style from a learner's folder: one more style vector for the style model, and a little practice.

Lesson: lessons/07_style_transfer.ipynb. CLI:
`deepcomposer create-model my-anime --model-type style --training-data ./anime_midis --setting style_name=anime`.

The shipped `style-melody` already knows what melodies are made of. To learn "anime soundtracks" from
10 or more files it needs only a new *style vector* (started at the average of the others) and a short
fine-tune: batches are half the learner's melodies (under the new style) and half the corpora's (under
their own styles, a few pieces each), so it does not forget the styles it knew. The new model keeps every
old style and adds the new one, with the meter, tempo and register of the learner's files.

It is also a composer: `generate-music --model-name my-anime` writes a melody in the learned style, unsteered.
"""

from __future__ import annotations

import numpy as np
import torch

from ..errors import InvalidArgumentError
from ..music.song import Song, TempoChange, TimeSignature, Track
from ..paths import smoke_mode
from .events import NoteEvents
from .model_io import DEFAULT_MODEL, build_model, model_tensors
from .training import corpus_events, fit_style_model, mean_nll, songs_events

MIN_FILES = 10
STYLE_DEFAULTS = {
    "base_model": DEFAULT_MODEL,  # the style model to extend
    "style_name": "",  # the new style's name (empty: "mine")
    "max_minutes": 2.0,
    "max_steps": 600,
    "rehearsal_pieces": 40,  # pieces per known style mixed in, so the old styles are kept
}


def _common(values: list):
    return max(set(values), key=values.count)


def train_style_model(songs: list[Song], settings: dict, seed: int):
    """Add the songs' style to the base style model; returns `composers.Trained`."""
    from ..composers import Trained
    from ..registry import Registry
    from ..styles import find_style

    name = settings["style_name"] or "mine"
    base, tensors = Registry().load(settings["base_model"])
    if base.card.type != "style":
        raise InvalidArgumentError(f"base model {base.name!r} is a {base.card.type} model, not a style model")
    known = list(base.card.settings["style_names"])
    if name in known or find_style(name) is not None:
        raise InvalidArgumentError(f"style {name!r} is already known: choose another --setting style_name=...")
    melodies = songs_events(songs)
    if len(melodies) < MIN_FILES and not smoke_mode():
        raise InvalidArgumentError(f"a new style needs at least {MIN_FILES} files with a melody of 8+ notes; "
                                   f"got {len(melodies)}")
    if not melodies:
        raise InvalidArgumentError("none of the training files has a melody of 8 notes or more")
    model = build_model(tensors, base.card.settings).train()
    new_index = len(known)
    if new_index >= model.config.styles:
        model.add_style()
    else:  # a spare style vector: start it at the average of the known ones
        with torch.no_grad():
            model.style.weight[new_index] = model.style.weight[:new_index].mean(dim=0)
    rehearsal = 2 if smoke_mode() else settings["rehearsal_pieces"]
    data: dict[int, list[NoteEvents]] = {new_index: melodies}
    for index, style_name in enumerate(known):
        style = find_style(style_name)
        if style is not None:
            data[index] = corpus_events(style.corpus, "train", limit=rehearsal)
    steps, minutes = (3, 0.1) if smoke_mode() else (settings["max_steps"], settings["max_minutes"])
    # Half of each batch is the learner's style: it weighs as much as all the known styles together.
    result = fit_style_model(model, data, steps=steps, minutes=minutes, seed=seed, learning_rate=1e-3,
                             weights={new_index: max(len(data) - 1, 1)})
    meters = [(song.time_signature.numerator, song.time_signature.denominator) for song in songs]
    registers = {**base.card.settings["registers"],
                 name: float(np.median(np.concatenate([melody.pitch for melody in melodies])))}
    learned = {**base.card.settings.get("learned_styles", {}),
               name: {"meter": list(_common(meters)), "tempo": round(float(np.median([s.tempo for s in songs])), 2)}}
    full = {**model.config.to_dict(), "style_names": [*known, name], "registers": registers,
            "steering": base.card.settings.get("steering", {}),
            "learned_styles": learned, "base_model": settings["base_model"], "style": name}
    metrics = {"songs": len(melodies), "steps": result.steps, "stopped_because": result.stopped_because,
               "training_seconds": round(result.seconds, 1),
               "nll_per_note_on_training_files": round(mean_nll(model, {new_index: melodies})["all"], 4)}
    return Trained(model_tensors(model), full, metrics)


class StyleComposer:
    """A style model used as a composer: a melody in one of its styles, written bar by bar without a source."""

    def __init__(self, tensors: dict, settings: dict):
        from .style_transfer import StyleTransferModel

        self.model = StyleTransferModel(build_model(tensors, settings), settings, settings.get("style") or "style")
        self.style = settings.get("style") or settings["style_names"][0]

    def generate(self, seconds: float, seed: int, temperature: float = 1.0) -> Song:
        from .style_transfer import meter_steps
        from .transferer import STEPS_PER_BEAT, TransferSettings

        target = self.model.target(self.style)
        bar_seconds = meter_steps(target.meter) / STEPS_PER_BEAT * 60.0 / target.tempo
        bars = max(1, round(seconds / bar_seconds))
        stream = self.model.open_stream(self.style, seed=seed, settings=TransferSettings(temperature=temperature))
        notes = [note for _ in range(bars) for note in stream.push_bar(None)]
        return Song(tracks=[Track(notes=notes, name="melody")], tempos=[TempoChange(0.0, target.tempo)],
                    time_signatures=[TimeSignature(0.0, *target.meter)], title=f"{self.style} melody, seed {seed}")
