"""A learner's own folder of MIDI files, loaded as Songs, with every file that was skipped and why.

Lesson: lessons/02_music_as_data.ipynb (your own music as data) and lessons/06_transfer_learning.ipynb
(fine-tuning on it).

A real folder of MIDI files downloaded over the years holds surprises: a truncated download, an empty
file, a 40 MB "MIDI" that is really a recording, a `.DS_Store`, a PDF of the score. `load_folder` reads
every file it can with `music.midi.read_midi` (which refuses broken, empty and oversized files with a
reason) and lists every other file in `skipped`, so nothing disappears silently.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InvalidArgumentError, MidiFormatError
from ..music.song import Song

MIDI_SUFFIXES = (".mid", ".midi", ".kar", ".rmi", ".smf")


@dataclass(frozen=True)
class SkippedFile:
    """A file `load_folder` did not load, and the reason in words."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class FolderContents:
    """What `load_folder` found: the songs (with their files) and every skipped file with its reason."""

    folder: Path
    songs: list[Song] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.songs)

    def __iter__(self):
        return iter(self.songs)

    def report(self) -> str:
        """A few lines for a person: how many loaded, then each skipped file and why."""
        lines = [f"{self.folder}: loaded {len(self.songs)} MIDI files, skipped {len(self.skipped)}"]
        lines += [f"  skipped {item.path.relative_to(self.folder)}: {item.reason}" for item in self.skipped]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<FolderContents {str(self.folder)!r}: {len(self.songs)} songs, {len(self.skipped)} skipped>"


def load_folder(path: str | os.PathLike, recursive: bool = True, progress: bool = True) -> FolderContents:
    """Every MIDI file in folder `path` (and its subfolders if `recursive`) as a Song, in name order.

    Files that are not MIDI (by name), or that `read_midi` refuses (broken, empty, huge, no notes), go to
    `.skipped` with the reason. Raises `InvalidArgumentError` only if `path` is not a folder.
    """
    from tqdm.auto import tqdm

    from ..music.midi import read_midi

    folder = Path(path)
    if not folder.is_dir():
        raise InvalidArgumentError(f"{folder}: not a folder" if folder.exists() else f"{folder}: no such folder")
    candidates = sorted(p for p in (folder.rglob("*") if recursive else folder.iterdir()) if not p.is_dir())
    contents = FolderContents(folder)
    for file in tqdm(candidates, desc=f"reading {folder.name or folder}", disable=not progress, leave=False):
        if file.suffix.lower() not in MIDI_SUFFIXES:
            kind = f"'{file.suffix}' file" if file.suffix else "file without an extension"
            contents.skipped.append(SkippedFile(file, f"not a MIDI file (a {kind}; MIDI files end in .mid or .midi)"))
            continue
        try:
            contents.songs.append(read_midi(file))
            contents.files.append(file)
        except MidiFormatError as error:
            contents.skipped.append(SkippedFile(file, error.reason))
    return contents
