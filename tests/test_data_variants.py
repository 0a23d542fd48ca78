"""Variants of one tune (deepcomposer_edu/data/variants.py) and the shipped splits judged by the originality check."""

from collections import defaultdict

import numpy as np

from deepcomposer_edu.data import variants
from deepcomposer_edu.data.corpora import list_corpora, load_corpus
from deepcomposer_edu.metrics.originality import OriginalityIndex

TPB = 24  # ticks per beat in the shipped columns
# 20 notes, one per beat in 4/4: 5 bars, no interval repeated in a row more than twice.
TUNE = [60, 62, 64, 65, 67, 65, 64, 62, 60, 59, 60, 64, 67, 72, 71, 69, 67, 65, 64, 62]


def lines(pitches, onsets_in_beats=None, meter=(4, 4), lower=None):
    """PieceLines of a melody in voice 0 (one note per beat unless onsets are given), plus an optional voice 1."""
    onsets = onsets_in_beats if onsets_in_beats is not None else list(range(len(pitches)))
    rows = [(p, int(t * TPB), 0) for p, t in zip(pitches, onsets)]
    rows += [(p, int(t * TPB), 1) for p, t in (lower or [])]
    pitch, start, voice = (np.array(column) for column in zip(*rows))
    return variants.piece_lines(pitch, start, voice, [[0, *meter]])


def test_a_run_is_measured_in_bars_of_the_querys_meter():
    piece = lines(TUNE, meter=(3, 4))
    assert piece.bars(0, 0, 12) == 4.0  # 12 beats of 3/4


def test_a_variant_with_one_note_changed_is_linked_in_any_key():
    variant = list(TUNE)
    variant[19] = 55  # a new last note: the first 19 notes (18 beats, 4.5 bars) are unchanged
    pieces = [lines(TUNE), lines([p + 5 for p in variant]), lines([p + 1 for p in TUNE[::-1]])]
    links = variants.copy_links(pieces)
    assert (0, 1) in links and (1, 0) in links
    assert not any(2 in pair for pair in links)  # the tune backwards is another tune


def test_a_short_shared_run_is_not_a_link():
    # The first 12 notes shared (11 beats, under 4 bars and 16 notes), then a different continuation.
    other = TUNE[:12] + [61, 66, 58, 70, 57, 68, 63, 73]
    shared = variants.VariantIndex([lines(TUNE), lines(other)]).shared(lines(other), skip=1)
    assert shared.long_runs == []
    assert variants.copy_links([lines(TUNE), lines(other)]) == []


def test_a_shared_inner_voice_links_two_harmonisations():
    bass = [(36 + (i * 5) % 12, i) for i in range(20)]  # one bass line, 20 beats
    first = lines([72, 74, 76, 77, 79, 77, 76, 74, 72, 71, 72, 76, 79, 84, 83, 81, 79, 77, 76, 74], lower=bass)
    second = lines([84, 81, 77, 79, 76, 72, 74, 71, 72, 77, 81, 79, 84, 86, 88, 84, 83, 79, 77, 76], lower=bass)
    assert variants.copy_links([first, second]) == [(0, 1), (1, 0)]


def test_a_melody_made_of_other_pieces_is_linked_to_the_fewest_of_them():
    # The query (TUNE: 19 events, 12 n-grams of 8) is notes 1-15 of piece 0 (n-grams 0-6) and notes 8-20
    # of piece 1 (n-grams 7-11): no run of 16 notes with either, but all 12 n-grams are found. Leaving
    # out piece 0 (7 n-grams, the most) leaves 5 of 12 found, under half: that one link is enough.
    zero = TUNE[:15] + [50, 57, 52, 59, 54]
    one = [40, 47, 42, 49, 44, 51, 46] + TUNE[7:]
    index = variants.VariantIndex([lines(zero), lines(one)])
    shared = index.shared(lines(TUNE))
    assert shared.long_runs == [] and shared.share() == 1.0
    assert index.share_cover(shared) == [0]


def test_no_valid_or_test_piece_is_flagged_as_a_copy_of_the_train_split():
    """The originality check of lesson 5, run on the real shipped corpora (every voice of every piece)."""
    train, names, held_out = [], [], defaultdict(list)
    for name in list_corpora():
        corpus = load_corpus(name)
        for index, piece in enumerate(corpus.pieces):
            if piece["split"] == "train":
                train.append(corpus.song(index))
                names.append(piece["id"])
            else:
                held_out[name].append((piece["id"], corpus.song(index)))
    check = OriginalityIndex(train, names=names, progress=False)
    flagged = []
    for name, pieces in held_out.items():
        for piece_id, song in pieces:
            found = check.check(song)
            if found.likely_copy:
                flagged.append((piece_id, found.source, found.shared_notes, round(found.shared_bars, 1)))
    assert sum(len(pieces) for pieces in held_out.values()) > 2500
    assert flagged == []


def test_the_named_bach_variants_share_a_split():
    chorales = load_corpus("bach_chorales")
    families = [("bwv227.1", "bwv227.11"), ("bwv248.35-3", "bwv248.35-3c"), ("bwv111.6", "bwv72.6"),
                ("bwv117.4", "bwv177.4", "bwv251", "bwv9.7")]
    for family in families:
        splits = {chorales.pieces[chorales.find(f"bach/{bwv}.mxl")]["split"] for bwv in family}
        assert len(splits) == 1, family
