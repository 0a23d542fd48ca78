"""torch Datasets over the corpora (deepcomposer_edu/data/datasets.py): shapes, windows, augmentation rules."""

import numpy as np
import pytest

from deepcomposer_edu.data import PianorollWindows, TokenWindows, load_corpus
from deepcomposer_edu.data.datasets import bar_ticks
from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.music import tokens
from deepcomposer_edu.music.pianoroll import to_pianoroll


def test_bar_ticks_follow_meter_changes():
    piece = {"time_signatures": [[0, 4, 4], [192, 3, 4]]}  # two bars of 4/4, then 3/4
    assert bar_ticks(piece, 400).tolist() == [0, 96, 192, 264, 336]


def test_pianoroll_windows_are_the_pianoroll_of_the_song():
    data = PianorollWindows("bach_chorales", split="valid", steps=64, lowest_pitch=24, n_pitches=84)
    assert len(data) > 50 and not data.augment
    index, first_tick = data.windows[3]
    item = data[3]
    assert tuple(item.shape) == (4, 64, 84) and set(np.unique(item.numpy())) <= {0.0, 1.0}
    # The same window cut from music.pianoroll's picture of the whole song:
    full = to_pianoroll(load_corpus("bach_chorales").song(index), steps_per_beat=4)
    first_step = first_tick // 6  # 24 ticks per beat, 4 steps per beat
    expected = (full[:, first_step:first_step + 64, 24:108] > 0).astype(np.float32)
    got = item.numpy()[:, : expected.shape[1]]
    assert np.array_equal(got, expected)


def test_windows_start_on_bar_lines_and_hold_notes():
    data = PianorollWindows("essen_chinese", split="test", tracks=1, steps=32)
    corpus = data.corpus
    for index, tick in data.windows[:200]:
        assert tick in bar_ticks(corpus.pieces[index], tick + 1).tolist()
    assert all(data[i].sum() > 0 for i in range(0, len(data), max(1, len(data) // 20)))


def test_only_the_train_split_is_augmented():
    with pytest.raises(InvalidArgumentError, match="only the train split"):
        PianorollWindows("bach_chorales", split="test", augment=True)
    with pytest.raises(InvalidArgumentError, match="only the train split"):
        TokenWindows("bach_chorales", split="valid", augment=True, limit=2)
    assert PianorollWindows("bach_chorales", split="train", limit=5).augment


def test_augmented_pianoroll_is_a_transposed_copy():
    plain = PianorollWindows("bach_chorales", split="train", limit=10, augment=False)
    moved = PianorollWindows("bach_chorales", split="train", limit=10, augment=True, seed=3)
    shifts = set()
    for i in range(len(plain)):
        a, b = plain[i].numpy(), moved[i].numpy()
        if a.sum() == 0:
            continue
        lowest = lambda roll: int(np.nonzero(roll.any(axis=(0, 1)))[0].min())  # noqa: E731
        shift = lowest(b) - lowest(a)
        assert np.array_equal(np.roll(a, shift, axis=2), b) and abs(shift) <= 5
        shifts.add(shift)
    assert len(shifts) > 1  # it really moves


def test_token_windows_hold_the_encoded_pieces():
    data = TokenWindows("bach_chorales", split="test", encoding="remi", length=128, limit=4, progress=False)
    corpus = data.corpus
    first_piece = tokens.encode(corpus.song(int(corpus.indices("test")[0])))
    assert data[0].tolist() == first_piece[:129]
    assert all(len(data[i]) == 129 for i in range(len(data)))
    assert data.skipped == 0


def test_augmented_token_windows_move_every_pitch_alike():
    plain = TokenWindows("bach_chorales", split="train", encoding="remi", length=256, limit=3, augment=False, progress=False)
    moved = TokenWindows("bach_chorales", split="train", encoding="remi", length=256, limit=3, augment=True, seed=1,
                         progress=False)
    low, high = tokens.REMI_IDS["Pitch_0"], tokens.REMI_IDS["Pitch_127"]
    for i in range(len(plain)):
        a, b = plain[i].numpy(), moved[i].numpy()
        pitched = (a >= low) & (a <= high)
        assert np.array_equal(a[~pitched], b[~pitched])
        assert len(set((b[pitched] - a[pitched]).tolist())) == 1


def test_chorale_token_windows():
    data = TokenWindows("bach_chorales", split="valid", encoding="jsb_chorale", length=64, limit=2, progress=False)
    window = data[0].numpy()
    assert len(window) == 65 and window.max() <= tokens.CHORALE_REST
    with pytest.raises(InvalidArgumentError, match="multiple of 4"):
        TokenWindows("bach_chorales", encoding="jsb_chorale", length=30, limit=1)
    folk = TokenWindows("essen_chinese", split="test", encoding="jsb_chorale", length=64, limit=5, progress=False)
    assert folk.skipped == 5 and len(folk) == 0  # one voice: not a chorale
