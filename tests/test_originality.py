"""The originality check finds copied melodies, transposed or not, and leaves merely similar music alone."""

import random

import pytest

from deepcomposer_edu.metrics.originality import COPY_MIN_BARS, N_GRAM, OriginalityIndex, melodic_lines, ngram_hashes
from deepcomposer_edu.music import Note, Song, Track, concatenate, slice_bars, transpose

C_MAJOR = [0, 2, 4, 5, 7, 9, 11]


def random_walk(seed: int, bars: int = 16) -> Song:
    """A melody wandering up and down the C major scale in a random rhythm: every piece shares the scale."""
    rng = random.Random(seed)
    degree, beat, notes = 14, 0.0, []
    while beat < bars * 4:
        length = rng.choice([0.5, 0.5, 1, 1, 1, 1.5, 2])
        degree = max(0, min(27, degree + rng.choice([-2, -1, -1, 0, 1, 1, 2])))
        notes.append(Note(48 + 12 * (degree // 7) + C_MAJOR[degree % 7], beat, beat + length))
        beat += length
    return Song(tracks=[Track(notes)], title=f"walk {seed}")


@pytest.fixture(scope="module")
def corpus() -> list[Song]:
    return [random_walk(seed) for seed in range(300)]


@pytest.fixture(scope="module")
def index(corpus) -> OriginalityIndex:
    return OriginalityIndex(corpus, progress=False)


def test_finds_a_planted_transposed_eight_bar_copy(corpus, index):
    copied = transpose(slice_bars(corpus[42], 4, 12), 5)  # bars 5-12 of "walk 42", a fourth higher
    piece = concatenate(random_walk(1001, bars=4), copied, random_walk(1002, bars=4))
    start = piece.bar_starts()[len(random_walk(1001, bars=4).bar_starts())]  # where the copy begins
    result = index.check(piece)
    assert result.source == "walk 42"
    assert result.source_beat == pytest.approx(16.0)  # bar 5 of the source
    assert result.start_beat == pytest.approx(start)
    assert 7 <= result.shared_bars <= 8  # the copy's first note is reached by an interval from outside it
    assert result.likely_copy


@pytest.mark.parametrize("semitones", [-7, -1, 0, 3, 11])
def test_the_match_ignores_transposition(corpus, index, semitones):
    result = index.check(transpose(corpus[7], semitones))
    assert result.source == "walk 7"
    assert result.shared_notes == len(corpus[7].tracks[0].notes)
    assert result.ngram_share == 1.0


def test_random_walks_on_the_same_scale_are_not_flagged(index):
    results = [index.check(random_walk(seed)) for seed in range(5000, 5040)]
    assert not any(result.likely_copy for result in results)
    assert max(result.shared_bars for result in results) < COPY_MIN_BARS
    assert max(result.ngram_share for result in results) < 0.1


def test_playing_the_scale_itself_is_not_a_copy():
    scale_run = [60 + step for step in C_MAJOR] + [72] + [60 + step for step in reversed(C_MAJOR)]  # up and down
    corpus_piece = Song(tracks=[Track([Note(p, i / 2, i / 2 + 0.5) for i, p in enumerate(scale_run)])], title="scale")
    index = OriginalityIndex([corpus_piece, random_walk(3)], progress=False)
    piece = concatenate(random_walk(11, bars=4), transpose(corpus_piece, 2), random_walk(12, bars=4))
    result = index.check(piece)
    assert result.source == "scale"  # it is found: 15 notes in eighths, under 2 bars...
    assert result.shared_notes == 15
    assert result.shared_bars == pytest.approx(7 / 4)
    assert not result.likely_copy  # ...but under the thresholds


def test_a_different_rhythm_is_a_different_melody(corpus, index):
    notes = corpus[3].tracks[0].notes
    even = Song(tracks=[Track([Note(n.pitch, i * 0.75, i * 0.75 + 0.5) for i, n in enumerate(notes)])])
    result = index.check(even)
    assert result.shared_notes < 2 * N_GRAM
    assert not result.likely_copy


def test_a_copied_inner_voice_is_found_in_a_polyphonic_piece():
    melody = random_walk(77)
    bass = Track([Note(36 + (b % 5), b * 2, b * 2 + 2) for b in range(32)], program=32)
    source = Song(tracks=[Track([Note(84, 0, 64)]), melody.tracks[0], bass], title="quartet")
    index = OriginalityIndex([source, random_walk(5)], progress=False)
    # the generated piece plays the copied line in chords: the top line of its chords is the copy
    chords = Track([n for note in melody.tracks[0].notes for n in (note, Note(note.pitch - 7, note.start, note.end))])
    result = index.check(Song(tracks=[chords]))
    assert result.source == "quartet"
    assert result.shared_notes == len(melody.tracks[0].notes)


def test_share_of_ngrams_is_counted_hand_worked():
    # corpus: 10 notes -> 9 events -> 2 n-grams of 8. The query repeats the corpus piece's first 9 notes
    # (its first n-gram) then goes elsewhere: 12 notes -> 11 events -> 4 n-grams, 1 of them in the corpus.
    source = Song(tracks=[Track([Note(60 + i, i, i + 1) for i in range(10)])])
    query = Song(tracks=[Track([Note(60 + i, i, i + 1) for i in range(9)] + [Note(50, 9, 10), Note(55, 10, 11), Note(40, 11, 12)])])
    result = OriginalityIndex([source], progress=False).check(query)
    assert result.ngrams == 4
    assert result.ngram_share == pytest.approx(1 / 4)
    assert result.shared_notes == 9


def test_short_or_empty_pieces_share_nothing(index):
    for song in [Song(), Song(tracks=[Track([Note(60, 0, 1)])]), Song(tracks=[Track([Note(36, b, b + 1) for b in range(40)], is_drum=True)])]:
        result = index.check(song)
        assert (result.shared_notes, result.ngram_share, result.likely_copy) == (0, 0.0, False)


def test_events_are_intervals_and_sixteenth_note_gaps():
    line = melodic_lines(Song(tracks=[Track([Note(60, 0, 1), Note(67, 1, 1.5), Note(65, 1.75, 2)])]))[0]
    assert [(int(code) // 256 - 128, int(code) % 256) for code in line.events] == [(7, 4), (-2, 3)]
    assert len(ngram_hashes(line.events, n=2)) == 1 and len(ngram_hashes(line.events, n=3)) == 0
