"""Train / valid / test splits that never put one tune on both sides.

Lesson: lessons/02_music_as_data.ipynb (why a fair test set matters) and lessons/05_judging_music.ipynb.

A model tested on a tune it was trained on looks better than it is. Folk collections hold the same tune
many times: transposed to another key, noted twice by two collectors with small changes, or (for the
chorales) harmonised again by Bach with a passing note or a rhythm changed here and there. So pieces are
first put into *tune groups*, and whole groups go to one split:

1. Pieces are linked when the originality check of lesson 5 would call one a copy of the other, whatever
   split the other lands in (`variants.py`: a shared run of at least 4 bars and 16 notes in any voice, in any
   key; or enough shared n-grams). One index of all pieces of all corpora finds every link in seconds.
2. Pieces with equal exact fingerprints of their top voice (voice 0) are linked too, as tunes too short for
   the n-gram rule (under 16 notes) are still the same tune:
   - `content_key`: all notes of all voices relative to the first melody note (a transposed copy);
   - `rhythm_key`: the melody's intervals and inter-onset ratios (the same tune at another note value);
   - `contour_key`: the first `CONTOUR_LENGTH` intervals with repeated notes merged, rhythm ignored.
3. Linked pieces form groups (union-find). A group's split follows from a hash of its smallest fingerprint,
   so it is fixed and does not depend on the order of pieces or on pieces outside the group.

Groups that hold a Bach chorale use 60/20/20, close to the classic JSB split of 229/76/77 chorales;
everything else uses 80/10/10. The test split is never augmented (see `datasets.py`).
"""

from __future__ import annotations

import hashlib
from fractions import Fraction

import numpy as np

SPLITS = ("train", "valid", "test")
DEFAULT_FRACTIONS = (0.8, 0.1, 0.1)
CHORALE_FRACTIONS = (0.6, 0.2, 0.2)
CONTOUR_LENGTH = 24
MIN_CONTOUR = 12  # a melody of fewer distinct moves is too short to identify a tune


def top_line(
    pitch: np.ndarray, start: np.ndarray, voice: np.ndarray, which: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """(pitches, onsets) of voice `which`'s highest note at each onset (of voice 0: the melody)."""
    mask = voice == which
    pitch, start = pitch[mask], start[mask]
    order = np.lexsort((-pitch.astype(np.int64), start))  # by onset, highest pitch first
    pitch, start = pitch[order], start[order]
    first = np.ones(len(start), dtype=bool)
    first[1:] = start[1:] != start[:-1]
    return pitch[first].astype(np.int64), start[first].astype(np.int64)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def rhythm_key(pitch: np.ndarray, start: np.ndarray, voice: np.ndarray) -> str | None:
    """Intervals and inter-onset ratios of the melody: equal for transposed or re-tempoed copies."""
    melody, onsets = top_line(pitch, start, voice)
    if len(melody) < 4:
        return None
    intervals = np.diff(melody)
    gaps = np.diff(onsets)
    ratios = [str(Fraction(int(b), int(a))) for a, b in zip(gaps[:-1], gaps[1:])]
    return "r" + _digest(",".join(map(str, intervals)) + "|" + ",".join(ratios))


def contour_key(pitch: np.ndarray, start: np.ndarray, voice: np.ndarray) -> str | None:
    """The opening intervals of the melody with repeated notes merged; None if the melody is too short."""
    melody, _ = top_line(pitch, start, voice)
    intervals = np.diff(melody)
    moves = intervals[intervals != 0][:CONTOUR_LENGTH]
    if len(moves) < MIN_CONTOUR:
        return None
    return "c" + _digest(",".join(map(str, moves)))


def content_key(pitch: np.ndarray, start: np.ndarray, voice: np.ndarray) -> str:
    """All notes of all voices, relative to the first melody note: equal only for exact (transposed) copies."""
    if len(pitch) == 0:
        return "empty"
    reference = int(top_line(pitch, start, voice)[0][0]) if np.any(voice == 0) else int(pitch.min())
    order = np.lexsort((pitch, voice, start))
    rows = np.stack([pitch[order].astype(np.int64) - reference, start[order] - start.min(), voice[order]])
    return "x" + hashlib.sha256(rows.tobytes()).hexdigest()[:20]


def tune_groups(keys: list[list[str]], links: list[tuple[int, int]] = ()) -> list[str]:
    """Each piece's group name (its group's smallest fingerprint): pieces sharing a key or linked are one group."""
    parent = list(range(len(keys)))

    def find(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    owner: dict[str, int] = {}
    for index, piece_keys in enumerate(keys):
        for key in piece_keys:
            if key in owner:
                parent[find(index)] = find(owner[key])
            else:
                owner[key] = index
    for first, second in links:
        parent[find(first)] = find(second)
    smallest: dict[int, str] = {}
    for index, piece_keys in enumerate(keys):
        root = find(index)
        smallest[root] = min([smallest.get(root, "~"), *piece_keys])
    return [smallest[find(index)] for index in range(len(keys))]


def split_of(group: str, fractions: tuple[float, float, float] = DEFAULT_FRACTIONS) -> str:
    """The split of a tune group: a fixed hash of its name mapped to [0, 1), cut at the fractions."""
    position = int(hashlib.sha256(group.encode()).hexdigest()[:12], 16) / 16**12
    if position < fractions[0]:
        return "train"
    if position < fractions[0] + fractions[1]:
        return "valid"
    return "test"


def assign_splits(
    keys: list[list[str]], chorale: list[bool], links: list[tuple[int, int]] = ()
) -> tuple[list[str], list[str]]:
    """(group, split) of every piece; a group holding any chorale uses `CHORALE_FRACTIONS`."""
    groups = tune_groups(keys, links)
    has_chorale = {group for group, is_chorale in zip(groups, chorale) if is_chorale}
    splits = [split_of(group, CHORALE_FRACTIONS if group in has_chorale else DEFAULT_FRACTIONS) for group in groups]
    return groups, splits
