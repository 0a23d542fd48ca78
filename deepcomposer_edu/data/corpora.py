"""The shipped corpora: 14,000+ public-domain pieces, loaded in a blink as column arrays.

Lesson: lessons/02_music_as_data.ipynb (the corpus as data).

Each corpus is one compressed `.npz` file in `datasets/` (the folder beside the package in a checkout, or
`deepcomposer_edu/datasets/` inside an installed wheel). Loading one does not parse any music: it reads
six arrays and a JSON table.

    notes: one row per note, in time order within each piece      (N = all notes of the corpus)
        pitch     uint8   (N,)  MIDI note number
        start     int32   (N,)  onset in ticks (`TICKS_PER_BEAT` = 24 per quarter note) from the piece's start
        end       int32   (N,)  release in ticks
        velocity  uint8   (N,)
        voice     uint8   (N,)  which voice (track) of the piece; 0 is the top voice
    offsets       int64   (P+1,)  the notes of piece i are rows offsets[i]:offsets[i+1]
    pieces        list of P dicts: id, title, style, key, meter, time_signatures, tempo, voices, split, ...

A `Song` is built only when asked for (`corpus.song(i)`), because building 14,000 of them takes a while.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InvalidArgumentError
from ..music.song import Note, Song, TempoChange, TimeSignature, Track
from ..paths import PACKAGE_DIR

TICKS_PER_BEAT = 24
NOTE_COLUMNS = ("pitch", "start", "end", "velocity", "voice")
MANIFEST = "manifest.json"


def datasets_dir() -> Path:
    """Where the shipped corpora are: inside the installed package, else the checkout's `datasets/`."""
    for folder in (PACKAGE_DIR / "datasets", PACKAGE_DIR.parent / "datasets"):
        if (folder / MANIFEST).is_file():
            return folder
    raise InvalidArgumentError(
        f"no shipped corpora found (looked for {MANIFEST} in {PACKAGE_DIR / 'datasets'} and "
        f"{PACKAGE_DIR.parent / 'datasets'}); reinstall the package or run python -m deepcomposer_edu.data.build"
    )


@functools.lru_cache(maxsize=1)
def manifest() -> dict:
    """The manifest: counts, checksums, the music21 version, the frozen splits."""
    return json.loads((datasets_dir() / MANIFEST).read_text(encoding="utf-8"))


def list_corpora() -> list[str]:
    """Names of the shipped corpora, in the order of the manifest."""
    return list(manifest()["corpora"])


def corpus_info(name: str) -> dict:
    """What the manifest says about corpus `name` (pieces, notes, styles, splits, file, checksum)."""
    corpora = manifest()["corpora"]
    if name not in corpora:
        raise InvalidArgumentError(f"unknown corpus {name!r}; the shipped corpora are: {', '.join(corpora)}")
    return {"name": name, **corpora[name]}


@dataclass(frozen=True)
class Corpus:
    """All notes of one corpus in column arrays, with a per-piece index and a metadata table."""

    name: str
    pitch: np.ndarray
    start: np.ndarray
    end: np.ndarray
    velocity: np.ndarray
    voice: np.ndarray
    offsets: np.ndarray
    pieces: list[dict]

    def __len__(self) -> int:
        return len(self.pieces)

    def __repr__(self) -> str:
        return f"<Corpus {self.name!r}: {len(self)} pieces, {len(self.pitch)} notes>"

    def rows(self, index: int) -> slice:
        """The rows of piece `index` in the note columns."""
        return slice(int(self.offsets[index]), int(self.offsets[index + 1]))

    def notes(self, index: int) -> dict[str, np.ndarray]:
        """The note columns of piece `index` (views, no copy)."""
        rows = self.rows(index)
        return {column: getattr(self, column)[rows] for column in NOTE_COLUMNS}

    def indices(self, split: str | None = None) -> np.ndarray:
        """Indices of the pieces in `split` ("train", "valid", "test"), or of all pieces."""
        if split is None:
            return np.arange(len(self))
        if split not in ("train", "valid", "test"):
            raise InvalidArgumentError(f"unknown split {split!r}; use 'train', 'valid' or 'test'")
        return np.array([i for i, piece in enumerate(self.pieces) if piece["split"] == split], dtype=np.int64)

    def find(self, piece_id: str) -> int:
        """The index of the piece whose source id is `piece_id` (e.g. 'bach/bwv66.6.mxl')."""
        for index, piece in enumerate(self.pieces):
            if piece["id"] == piece_id:
                return index
        raise InvalidArgumentError(f"corpus {self.name!r} has no piece {piece_id!r}")

    def song(self, index: int) -> Song:
        """Piece `index` as a `Song` (one track per voice; the style's typical tempo if none is written)."""
        from ..styles import get_style

        if not 0 <= index < len(self):
            raise InvalidArgumentError(f"corpus {self.name!r} has pieces 0..{len(self) - 1}, not {index}")
        piece = self.pieces[index]
        columns = self.notes(index)
        tracks = []
        for number, voice in enumerate(piece["voices"]):
            mask = columns["voice"] == number
            notes = [
                Note(int(p), s / TICKS_PER_BEAT, e / TICKS_PER_BEAT, int(v))
                for p, s, e, v in zip(
                    columns["pitch"][mask], columns["start"][mask], columns["end"][mask], columns["velocity"][mask]
                )
            ]
            tracks.append(Track(notes=notes, program=voice["program"], name=voice["name"]))
        bpm = piece["tempo"] or get_style(piece["style"]).tempo
        signatures = [TimeSignature(tick / TICKS_PER_BEAT, num, den) for tick, num, den in piece["time_signatures"]]
        return Song(
            tracks=tracks,
            tempos=[TempoChange(0.0, float(bpm))],
            time_signatures=signatures,
            key=piece["key"],
            title=piece["title"] or piece["id"],
        )

    def songs(self, split: str | None = None):
        """Every piece (of `split`) as a Song, built one at a time."""
        for index in self.indices(split):
            yield self.song(int(index))


def read_corpus_file(path: Path, name: str) -> Corpus:
    """Load one `.npz` corpus file (no pickles: plain arrays and a JSON text)."""
    with np.load(path, allow_pickle=False) as archive:
        columns = {column: archive[column] for column in (*NOTE_COLUMNS, "offsets")}
        pieces = json.loads(archive["pieces"].tobytes().decode("utf-8"))
    for array in columns.values():
        array.flags.writeable = False
    return Corpus(name=name, pieces=pieces, **columns)


def load_corpus(name: str) -> Corpus:
    """Load corpus `name` (see `list_corpora()`); a style name or alias such as "jig" works too."""
    if name not in manifest()["corpora"]:
        from ..styles import find_style

        style = find_style(name)
        if style is not None and style.corpus in manifest()["corpora"]:
            name = style.corpus
    return _load(name)


@functools.lru_cache(maxsize=None)
def _load(name: str) -> Corpus:
    return read_corpus_file(datasets_dir() / corpus_info(name)["file"], name)
