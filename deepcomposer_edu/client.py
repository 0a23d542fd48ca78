"""The Python client: the composer service from a notebook, a script or a game engine.

Lesson: lessons/00_welcome.ipynb (a first generated piece) and lessons/06_transfer_learning.ipynb (your
own model). The `deepcomposer` command line calls the same methods, so both behave the same way.

    import deepcomposer_edu
    dc = deepcomposer_edu.client()
    piece = dc.generate_music(length=30, seed=1, output="piece.mid")[0]
    piece.song, piece.path, piece.metadata
    dc.create_model("my-tunes", "my_midi_folder/")
    dc.list_models()

Every model created and every piece generated is recorded in the audit log (`deepcomposer_edu/audit.py`),
with the command that asked for it and the sha256 of what went in and what came out. Methods for
capabilities this version does not have yet raise `NotInstalledError` with a sentence saying so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tqdm.auto import tqdm

from .audit import log_event, sha256_of
from .errors import InvalidArgumentError, NotInstalledError
from .files import check_writable
from .music import Song
from .registry import ModelCard, RegisteredModel, Registry, default_model_name

OUTPUT_FORMATS = {"midi": ".mid", "wav": ".wav", "mp3": ".mp3"}
MAX_LENGTH_SECONDS = 3600.0
MAX_COUNT = 1000


@dataclass
class Composition:
    """One generated piece: the Song, where it was written (None if not written), and how it was made."""

    song: Song
    path: Path | None
    model: str
    seed: int
    metadata: dict = field(default_factory=dict)


def output_paths(output: str | os.PathLike, count: int, output_format: str | None = None) -> tuple[list[Path], str]:
    """The files `count` pieces go to, and their format ("midi", "wav" or "mp3").

    The format is `output_format`, or else read from the name's suffix (.mid/.midi, .wav, .mp3); a name
    without a suffix gets the format's. One piece goes to `output` itself; several go to OUT-1.mid, OUT-2.mid, ...
    """
    path = Path(output)
    suffix = path.suffix.lower()
    named = "midi" if suffix == ".midi" else next((f for f, s in OUTPUT_FORMATS.items() if s == suffix), None)
    if output_format is not None and output_format not in OUTPUT_FORMATS:
        raise InvalidArgumentError(f"unknown output format {output_format!r}; formats are {', '.join(OUTPUT_FORMATS)}")
    if suffix and named is None:
        raise InvalidArgumentError(f"{path}: unknown file type {suffix!r}; use .mid, .wav or .mp3")
    if output_format and named and output_format != named:
        raise InvalidArgumentError(f"{path}: the name says {named} but the output format is {output_format}")
    chosen = output_format or named or "midi"
    if not suffix:
        path = path.with_name(path.name + OUTPUT_FORMATS[chosen])
    if count == 1:
        return [path], chosen
    return [path.with_name(f"{path.stem}-{number}{path.suffix}") for number in range(1, count + 1)], chosen


def write_song(song: Song, path: Path, output_format: str, overwrite: bool = False) -> Path:
    """Write a Song as MIDI, or render it and write audio (WAV/MP3), atomically."""
    if output_format == "midi":
        from .music.midi import write_midi

        return write_midi(song, path, overwrite=overwrite)
    try:
        from .audio import export
    except ImportError as error:
        raise NotInstalledError(f"audio export is not available in this installation ({error})") from None
    return export(song, path, overwrite=overwrite)


def training_songs(training_data) -> tuple[list[Song], dict]:
    """The songs to train on, and a record of where they came from (for the card and the audit log).

    `training_data` is a list of Songs, a folder of MIDI files (unreadable files are skipped and listed),
    or the name of a shipped corpus or style (`folk`, `bach_chorales`, ...), whose **train** split is used
    so that its valid and test pieces stay unseen.
    """
    from .data import corpus_info, corpus_songs, load_corpus, load_folder

    if isinstance(training_data, (list, tuple)):
        songs = list(training_data)
        return songs, {"source": f"{len(songs)} songs given in Python", **sha256_of(songs)}
    path = Path(training_data)
    if path.is_dir():
        contents = load_folder(path)
        if not contents.songs:
            raise InvalidArgumentError(f"{path}: no readable MIDI files in this folder ({len(contents.skipped)} skipped)")
        record = {"source": str(path), "sha256": sha256_of(path)["sha256"]}
        return contents.songs, {**record, "skipped": [str(item) for item in contents.skipped]}
    if path.exists() or os.sep in str(training_data):
        raise InvalidArgumentError(f"{path}: not a folder (training data is a folder of MIDI files or a corpus name)")
    name = str(training_data)
    try:
        corpus = load_corpus(name)
    except InvalidArgumentError:
        raise InvalidArgumentError(f"{name!r}: no such folder, corpus or style") from None
    songs, _ = corpus_songs(f"{corpus.name}:train")
    return songs, {"source": f"corpus {corpus.name}, train split", "sha256": corpus_info(corpus.name)["sha256"]}


def _python_call(method: str, **arguments) -> str:
    """How a call from Python is written in the audit log and on cards."""
    shown = ", ".join(f"{key}={value!r}" for key, value in arguments.items())
    return f"python: deepcomposer_edu.client().{method}({shown})"


class Client:
    """The composer service. `registry`: a folder of user models (default DEEPCOMPOSER_HOME/models)."""

    def __init__(self, registry: str | os.PathLike | Registry | None = None):
        self.registry = registry if isinstance(registry, Registry) else Registry(registry)

    # --- models ---

    def list_models(self) -> list[RegisteredModel]:
        """Shipped models, then the user's, each with its card."""
        return self.registry.list()

    def describe_model(self, name: str) -> RegisteredModel:
        return self.registry.find(name)

    def delete_model(self, name: str) -> Path:
        """Delete one of the user's models (shipped ones cannot be deleted); returns the folder removed."""
        return self.registry.delete(name)

    def create_model(self, model_name: str, training_data, *, model_type: str = "markov",
                     settings: dict | None = None, seed: int = 0, description: str = "", overwrite: bool = False,
                     command: str | None = None) -> RegisteredModel:
        """Train a model of `model_type` on `training_data` (a folder of MIDI files, a corpus or style name,
        or a list of Songs: see `training_songs`) and save it in the registry as `model_name`."""
        from . import composers  # imported here: it brings torch, and `import deepcomposer_edu` must stay quick

        kind = composers.model_type(model_type)
        full_settings = composers.settings_for(kind, settings)
        self.registry.check_can_save(model_name, overwrite)  # before any slow work
        songs, data = training_songs(training_data)
        if not songs:
            raise InvalidArgumentError("no training songs given")
        source = data["source"]
        command = command or _python_call("create_model", model_name=model_name, training_data=source,
                                          model_type=model_type, settings=settings, seed=seed)
        trained = kind.train(songs, full_settings, seed)
        card = ModelCard(
            name=model_name, type=kind.name, description=description or f"{kind.summary}, trained on {source}",
            data={**data, "songs": len(songs)},
            settings=trained.settings, metrics=trained.metrics, command=command, seed=seed,
        )
        model = self.registry.save(card, trained.tensors, overwrite=overwrite)
        log_event("create", command=command, model=model_name, parameters={"type": kind.name, **full_settings},
                  seed=seed, inputs=[{"source": source, "sha256": data["sha256"]}], outputs=[model.weights_path])
        return model

    # --- composing ---

    def generate_music(self, model_name: str | None = None, *, length: float = 30.0, seed: int = 0, count: int = 1,
                       output: str | os.PathLike | None = None, output_format: str | None = None,
                       overwrite: bool = False, temperature: float = 1.0, command: str | None = None) -> list[Composition]:
        """Compose `count` pieces of about `length` seconds (a whole number of bars) with a model.

        Piece i (from 0) uses seed `seed + i`, so any piece can be made again on its own. With `output`, the
        pieces are written there (see `output_paths`); existing files are kept unless `overwrite`.
        Returns one `Composition` per piece.
        """
        if not 0 < length <= MAX_LENGTH_SECONDS:
            raise InvalidArgumentError(f"length must be between 0 and {MAX_LENGTH_SECONDS:g} seconds, got {length}")
        if not 1 <= count <= MAX_COUNT:
            raise InvalidArgumentError(f"count must be between 1 and {MAX_COUNT}, got {count}")
        paths, chosen_format = output_paths(output, count, output_format) if output is not None else ([None] * count, None)
        for path in paths:
            if path is not None:
                check_writable(path, overwrite)
        name = model_name or default_model_name("generate", self.registry)
        command = command or _python_call("generate_music", model_name=name, length=length, seed=seed, count=count,
                                          output=None if output is None else str(output), temperature=temperature)
        model, tensors = self.registry.load(name)
        from . import composers

        composer = composers.model_type(model.card.type).load(tensors, model.card.settings)
        weights_record = sha256_of(model.weights_path)
        pieces = []
        batch = getattr(composer, "generate_batch", None)  # a model that composes many pieces in one pass (the GAN)
        songs = batch(length, [seed + number for number in range(count)], temperature) if batch else None
        for number, path in enumerate(tqdm(paths, desc="composing", unit="piece", leave=False, disable=count == 1)):
            piece_seed = seed + number
            song = songs[number] if songs else composer.generate(length, piece_seed, temperature)
            if path is not None:
                path = write_song(song, path, chosen_format, overwrite=overwrite)
            parameters = {"length": length, "temperature": temperature, "count": count, "piece": number + 1,
                          "output_format": chosen_format}
            log_event("generate", command=command, model=name, parameters=parameters, seed=piece_seed,
                      inputs=[weights_record], outputs=[path if path is not None else song])
            metadata = {**parameters, "model_type": model.card.type, "model_version": model.card.version,
                        "seconds": round(song.duration_seconds, 3), "bars": song.bar_count()}
            pieces.append(Composition(song, path, name, piece_seed, metadata))
        return pieces

    def style_transfer(self, melody, style: str, *, seed: int = 0, model_name: str | None = None,
                       meter: tuple[int, int] | None = None, tempo: float | None = None, arrange: bool = True,
                       keep_contour: float | None = None, keep_rhythm: float | None = None,
                       temperature: float | None = None, keep_key: float | None = None,
                       style_contrast: float | None = None, bar_drafts: int | None = None,
                       output: str | os.PathLike | None = None,
                       output_format: str | None = None, overwrite: bool = False,
                       command: str | None = None) -> Composition:
        """A melody (a Song or a MIDI file) played in another style (lesson 07; `transfer/style_transfer.py`).

        With `output` the result is written there (.mid, .wav or .mp3); the transfer goes to the audit log.
        """
        from .mood.compose import load_base
        from .transfer.style_transfer import style_transfer

        path, chosen_format = None, None
        if output is not None:
            paths, chosen_format = output_paths(output, 1, output_format)
            path = check_writable(paths[0], overwrite)  # before any slow work
        source = load_base(melody)
        name = model_name or default_model_name("style-transfer", self.registry)
        song = style_transfer(source, style, seed=seed, model_name=name, registry=self.registry, meter=meter,
                              tempo=tempo, arrange=arrange, keep_contour=keep_contour, keep_rhythm=keep_rhythm,
                              temperature=temperature, keep_key=keep_key, style_contrast=style_contrast,
                              bar_drafts=bar_drafts)
        shown = sha256_of(melody)
        command = command or _python_call("style_transfer", melody=shown.get("path", "<Song>"), style=style,
                                          seed=seed, model_name=model_name)
        if path is not None:
            path = write_song(song, path, chosen_format, overwrite=overwrite)
        parameters = {"style": style, "meter": list(meter) if meter else None, "tempo": tempo, "arrange": arrange,
                      "keep_contour": keep_contour, "keep_rhythm": keep_rhythm, "keep_key": keep_key,
                      "style_contrast": style_contrast, "bar_drafts": bar_drafts, "temperature": temperature,
                      "output_format": chosen_format}
        log_event("transfer", command=command, model=name, parameters=parameters, seed=seed, inputs=[shown],
                  outputs=[path if path is not None else song])
        signature = song.time_signature
        metadata = {**parameters, "tempo": song.tempo, "key": song.key, "seconds": round(song.duration_seconds, 3),
                    "bars": song.bar_count(), "meter": f"{signature.numerator}/{signature.denominator}",
                    "tracks": [track.name for track in song.tracks]}
        return Composition(song, path, name, seed, metadata)

    def generate_for_mood(self, base_melody=None, mood_score: float | str = 0.5, genre: str = "cinematic", *,
                          seed: int = 0, valence: float | None = None, arousal: float | None = None,
                          bpm: float | None = None, bars: int | None = None, model_name: str | None = None,
                          length: float = 30.0, output: str | os.PathLike | None = None,
                          output_format: str | None = None, overwrite: bool = False,
                          command: str | None = None) -> Composition:
        """A melody re-composed for a mood, 0 (calm) .. 1 (intense), or "calm" for CalmFlow (lesson 08).

        `base_melody`: a Song or a MIDI file; None lets a model (`model_name`, default the mood task's)
        compose one of about `length` seconds with `seed`. The rest: see `deepcomposer_edu.mood.generate_for_mood`.
        """
        from . import mood
        from .mood.compose import load_base

        path, chosen_format = None, None
        if output is not None:
            paths, chosen_format = output_paths(output, 1, output_format)
            path = check_writable(paths[0], overwrite)  # before any slow work
        name = None
        if base_melody is None:
            if not 0 < length <= MAX_LENGTH_SECONDS:
                raise InvalidArgumentError(f"length must be between 0 and {MAX_LENGTH_SECONDS:g} seconds, got {length}")
            name = model_name or default_model_name("mood", self.registry)
            model, tensors = self.registry.load(name)
            from . import composers

            base = composers.model_type(model.card.type).load(tensors, model.card.settings).generate(length, seed)
            source = sha256_of(model.weights_path)
        else:
            base = load_base(base_melody)
            source = sha256_of(base_melody)
        shown_base = None if base_melody is None else source.get("path", "<Song>")
        command = command or _python_call("generate_for_mood", base_melody=shown_base, mood_score=mood_score,
                                          genre=genre, seed=seed, model_name=name)
        song = mood.generate_for_mood(base, mood_score, genre, seed=seed, valence=valence, arousal=arousal, bpm=bpm,
                                      bars=bars)
        if path is not None:
            path = write_song(song, path, chosen_format, overwrite=overwrite)
        parameters = {"mood": mood_score, "genre": genre, "valence": valence, "arousal": arousal, "bpm": bpm,
                      "bars": bars, "output_format": chosen_format}
        log_event("generate", command=command, model=name, parameters=parameters, seed=seed, inputs=[source],
                  outputs=[path if path is not None else song])
        metadata = {**parameters, "tempo": song.tempo, "key": song.key, "seconds": round(song.duration_seconds, 3),
                    "bars": song.bar_count(), "tracks": [track.name for track in song.tracks]}
        return Composition(song, path, name or "base melody", seed, metadata)

    # --- costs ---

    def estimate_cost(self, **activities):
        """A month's bill (see `deepcomposer_edu.cost.estimate_cost`: training_hours, tracks, track_seconds, ...)."""
        try:
            from .cost import estimate_cost
        except ImportError:
            raise NotInstalledError("cost estimates are not installed in this version of deepcomposer-edu yet") from None
        return estimate_cost(**activities)


def client(registry: str | os.PathLike | Registry | None = None) -> Client:
    """The composer service: `dc = deepcomposer_edu.client()`; `registry` is a folder of models (optional)."""
    return Client(registry)
