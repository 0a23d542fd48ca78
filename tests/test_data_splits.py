"""Splits (deepcomposer_edu/data/splits.py): one tune, however copied, never lands in two splits."""

import numpy as np

from deepcomposer_edu.data import splits

# A tune of 16 notes (pitch, onset in ticks); voice 0 is the melody.
TUNE = [(67, 0), (69, 24), (71, 48), (72, 72), (74, 96), (72, 120), (71, 144), (69, 168),
        (67, 192), (64, 216), (65, 240), (67, 264), (69, 288), (67, 312), (65, 336), (64, 360)]
OTHER = [(60, 0), (64, 24), (67, 48), (72, 72), (67, 96), (64, 120), (60, 144), (55, 168),
         (60, 192), (62, 216), (64, 240), (65, 264), (67, 288), (69, 312), (71, 336), (72, 360)]


def piece(melody, transpose=0, stretch=1, lower=None):
    """Columns (pitch, start, voice) of a melody in voice 0 plus an optional lower voice 1."""
    rows = [(p + transpose, t * stretch, 0) for p, t in melody]
    rows += [(p, t, 1) for p, t in (lower or [])]
    pitch, start, voice = (np.array(column) for column in zip(*rows))
    return pitch, start, voice


def keys(columns):
    found = [splits.content_key(*columns), splits.rhythm_key(*columns), splits.contour_key(*columns)]
    return [key for key in found if key is not None]


def test_fingerprints_ignore_key_and_tempo_but_not_the_tune():
    original = piece(TUNE)
    assert splits.rhythm_key(*piece(TUNE, transpose=5)) == splits.rhythm_key(*original)
    assert splits.rhythm_key(*piece(TUNE, stretch=2)) == splits.rhythm_key(*original)  # twice as slow
    assert splits.rhythm_key(*piece(OTHER)) != splits.rhythm_key(*original)
    assert splits.content_key(*piece(TUNE, transpose=-3)) == splits.content_key(*original)


def test_top_line_takes_the_highest_note_of_each_onset_in_voice_0():
    pitch, start, voice = np.array([60, 64, 67, 40]), np.array([0, 0, 24, 0]), np.array([0, 0, 0, 1])
    melody, onsets = splits.top_line(pitch, start, voice)
    assert melody.tolist() == [64, 67] and onsets.tolist() == [0, 24]


def test_short_melodies_get_no_contour_key():
    assert splits.contour_key(*piece(TUNE[:6])) is None  # 5 moves cannot identify a tune
    assert splits.rhythm_key(*piece(TUNE[:3])) is None


def test_copies_transpositions_and_harmonisations_share_a_group_and_a_split():
    bass_a = [(43, 0), (48, 96), (43, 192)]
    bass_b = [(36, 0), (41, 96), (38, 192), (43, 288)]
    uneven = [(p, t + (12 if i == 3 else 0)) for i, (p, t) in enumerate(TUNE)]  # same notes, another rhythm
    pieces = [
        piece(TUNE),                     # 0 the tune
        piece(TUNE, transpose=7),        # 1 transposed copy
        piece(TUNE, lower=bass_a),       # 2 a harmonisation
        piece(TUNE, transpose=-2, lower=bass_b),  # 3 another harmonisation, in another key
        piece(uneven),                   # 4 the tune noted with another rhythm
        piece(OTHER),                    # 5 another tune
    ]
    groups, assigned = splits.assign_splits([keys(p) for p in pieces], chorale=[False] * 6)
    assert len(set(groups[:5])) == 1 and len(set(assigned[:5])) == 1
    assert groups[5] != groups[0]


def test_the_split_of_a_group_does_not_depend_on_the_other_pieces():
    family = [keys(piece(TUNE)), keys(piece(TUNE, transpose=3))]
    alone = splits.assign_splits(family, [False, False])
    with_more = splits.assign_splits([keys(piece(OTHER))] + family, [False] * 3)
    assert with_more[1][1:] == alone[1] and with_more[0][1:] == alone[0]


def test_split_fractions_follow_the_hash():
    names = [f"group-{i}" for i in range(20000)]
    for fractions in (splits.DEFAULT_FRACTIONS, splits.CHORALE_FRACTIONS):
        counts = {name: 0 for name in splits.SPLITS}
        for name in names:
            counts[splits.split_of(name, fractions)] += 1
        for split, fraction in zip(splits.SPLITS, fractions):
            assert abs(counts[split] / len(names) - fraction) < 0.015


def test_a_group_with_a_chorale_uses_the_chorale_fractions():
    # Find a group name whose position falls between 0.6 and 0.8: train by default, valid for chorales.
    name = next(f"g{i}" for i in range(1000) if splits.split_of(f"g{i}") == "train"
                and splits.split_of(f"g{i}", splits.CHORALE_FRACTIONS) == "valid")
    groups, assigned = splits.assign_splits([[name], [name]], chorale=[False, True])
    assert assigned == ["valid", "valid"]
