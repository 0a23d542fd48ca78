"""Data to learn from: the shipped corpora, their splits, a learner's own MIDI folder, torch Datasets.

Lesson: lessons/02_music_as_data.ipynb.

    from deepcomposer_edu.data import list_corpora, load_corpus, load_folder
    chorales = load_corpus("bach_chorales")        # column arrays + metadata, well under a second
    song = chorales.song(0)                        # one piece as a Song, built on demand
    mine = load_folder("my_midi")                  # my songs, and each skipped file with its reason

Modules: `corpora.py` (loading), `splits.py` (train/valid/test without leaks), `datasets.py` (torch),
`folder.py` (your files), `sources.py` + `extract.py` + `build.py` + `assemble.py` (how `datasets/` is made).
"""

from __future__ import annotations

from .corpora import Corpus, corpus_info, datasets_dir, list_corpora, load_corpus
from .folder import FolderContents, SkippedFile, load_folder

__all__ = [
    "Corpus", "FolderContents", "PianorollWindows", "SkippedFile", "TokenWindows", "corpus_info", "corpus_songs",
    "datasets_dir", "list_corpora", "load_corpus", "load_folder",
]


def corpus_songs(spec: str, limit: int | None = None) -> tuple[list, list[str]]:
    """(songs, piece ids) of a corpus, or of one split with "name:split" (e.g. "bach_chorales:test")."""
    name, _, split = spec.partition(":")
    corpus = load_corpus(name)
    indices = corpus.indices(split or None)[:limit]
    return [corpus.song(int(i)) for i in indices], [corpus.pieces[int(i)]["id"] for i in indices]


def __getattr__(name: str):
    # The torch Datasets are imported on first use: importing torch takes a second or two.
    if name in ("PianorollWindows", "TokenWindows"):
        from . import datasets

        return getattr(datasets, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
