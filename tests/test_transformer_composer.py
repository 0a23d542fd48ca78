"""The transformer composer: vocabularies, windows, NLL, endings, generation and continuation."""

import math

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from deepcomposer_edu import transformer_composer as tc
from deepcomposer_edu.ending import bar_window, ending_pitch_classes, ends_musically, hold_to
from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.music import Note, Song, TempoChange, TimeSignature, Track
from deepcomposer_edu.music import tokens as remi
from deepcomposer_edu.music.keys import parse_key
from deepcomposer_edu.styles import get_style

FOLK = dict(vocabulary="folk", styles=["german_folk", "irish"], context=64, layers=1, heads=2, width=16, dropout=0.0,
            tempo=120.0, time_signature=[3, 4], style="irish", key="D major")
CHORALE = dict(vocabulary="chorale", styles=[], context=64, layers=1, heads=2, width=16, dropout=0.0, tempo=80.0,
               time_signature=[4, 4], style="chorale")


def composer(settings, seed=0):
    torch.manual_seed(seed)
    return tc.TransformerComposer(tc.model_tensors(tc.build_model(settings)), settings)


def melody(pitches, key="C major", meter=(4, 4), tempo=120.0):
    notes = [Note(p, float(i), float(i + 1)) for i, p in enumerate(pitches)]
    return Song(tracks=[Track(notes)], tempos=[TempoChange(0.0, tempo)],
                time_signatures=[TimeSignature(0.0, *meter)], key=key)


def test_ending_pitch_classes_are_the_tonic_and_fifth():
    assert ending_pitch_classes("C major") == {0, 7}
    assert ending_pitch_classes("A minor") == {9, 4}
    assert ending_pitch_classes("F# minor") == {6, 1}


def test_ends_musically_needs_a_bar_line_and_the_tonic_or_fifth():
    assert ends_musically(melody([60, 62, 64, 67]))  # ends on G at beat 4, a bar line of 4/4
    assert ends_musically(melody([60, 62, 64, 60]))
    assert not ends_musically(melody([60, 62, 64, 62]))  # D: not home
    assert not ends_musically(melody([60, 62, 64, 67, 60]))  # ends at beat 5, inside bar 2
    assert ends_musically(melody([60, 62, 64, 67, 62, 60]), key="C major") is False  # 6 beats: no bar line


def test_the_bar_window_stays_within_one_bar_of_the_length():
    assert bar_window(120, 1.2) == (99, 101)  # exactly 100 bars: one fewer or one more is still within a bar
    assert bar_window(60.8, 2.0) == (30, 31)  # 30.4 bars: 29 would be 1.4 bars short
    assert bar_window(1.0, 4.0) == (1, 1)  # shorter than a bar: one bar


def test_hold_to_stretches_the_last_note_and_cuts_what_rings_past():
    song = Song(tracks=[Track([Note(60, 0, 6), Note(64, 1, 2), Note(67, 2, 3)])])
    held = hold_to(song, 4.0)
    assert [(n.pitch, n.start, n.end) for n in held.tracks[0].notes] == [(60, 0, 4), (64, 1, 2), (67, 2, 4)]


def test_key_tokens_move_with_the_notes_when_transposed():
    vocabulary = tc.Vocabulary.folk(["irish"])
    sequence = np.array(tc.encode_song(melody([62, 66, 69, 74], key="D major"), vocabulary, "irish"))
    moved = tc.transpose_sequence(sequence, 3, vocabulary)
    names = [vocabulary.names[t] for t in moved]
    assert "Key_F_major" in names and "Key_D_major" not in names
    pitches = [int(n[6:]) for n in names if n.startswith("Pitch_")]
    assert pitches == [65, 69, 72, 77]
    assert tc.transpose_sequence(sequence, 60, vocabulary) is None  # 74 + 60 leaves the MIDI range


def test_the_style_and_key_come_first_and_decode_back():
    vocabulary = tc.Vocabulary.folk(["german_folk", "irish"])
    song = melody([67, 71, 74, 67], key="G major")
    ids = tc.encode_song(song, vocabulary, "irish")
    assert [vocabulary.names[t] for t in ids[:3]] == ["<bos>", "Style_irish", "Key_G_major"]
    decoded = tc.decode_tokens(ids, vocabulary)
    assert decoded.key == "G major"
    assert [(n.pitch, n.start, n.end) for n in decoded.notes] == [(n.pitch, n.start, n.end) for n in song.notes]
    with pytest.raises(InvalidArgumentError, match="style"):
        tc.encode_song(song, vocabulary, "chorale")


def test_windows_are_the_right_shape_padded_and_transposed_within_range():
    vocabulary = tc.Vocabulary.chorale()
    sequences = [[tc.CHORALE_BOS] + [60, 55, 52, 48] * 10, [tc.CHORALE_BOS] + [127, 120, 110, 100] * 3]
    batches = iter(tc.RandomWindows(sequences, vocabulary, length=32, batch_size=6, seed=1))
    batch = next(batches)
    assert batch.shape == (6, 33) and batch.dtype == torch.long
    assert int(batch.max()) <= tc.CHORALE_PAD
    pitched = batch[batch < 128]
    assert int(pitched.max()) <= 127


def test_sequence_nll_scores_every_token_once_as_the_full_forward_pass_does():
    torch.manual_seed(0)
    model = tc.build_model({**CHORALE, "context": 64}).eval()
    sequence = torch.randint(0, 129, (40,)).tolist()
    logits, _ = model(torch.tensor([sequence[:-1]]))
    expected = F.cross_entropy(logits[0], torch.tensor(sequence[1:]), reduction="sum").item()
    total, count = tc.sequence_nll(model, sequence)
    assert count == 39 and math.isclose(total, expected, rel_tol=1e-5)
    small = tc.build_model({**CHORALE, "context": 8})
    _, count = tc.sequence_nll(small, sequence)  # 8-token windows, half-overlapping: still each token once
    assert count == 39


def test_training_through_the_shared_loop_lowers_the_nll():
    vocabulary = tc.Vocabulary.chorale()
    sequences = [[tc.CHORALE_BOS] + [60, 55, 52, 48, 62, 57, 53, 50] * 12 for _ in range(3)]
    torch.manual_seed(0)
    model = tc.build_model({**CHORALE, "context": 32, "width": 32})
    before = tc.corpus_nll(model, sequences)
    result = tc.fit(model, sequences, vocabulary, steps=100, minutes=None, seed=0, batch_size=8, learning_rate=5e-3,
                    progress=False, device="cpu")
    assert result.steps == 100
    assert tc.corpus_nll(model, sequences) < before / 2  # windows are transposed at random: every key to learn


def test_generated_pieces_end_musically_and_repeat_with_the_seed():
    folk = composer(FOLK)
    for seed in range(3):
        song = folk.generate(12, seed=seed)  # 12 s at 120 bpm in 3/4: 8 bars of 1.5 s, give or take one
        assert song.key == "D major" and song.tracks[0].notes
        assert ends_musically(song, "D major")
        assert 7 <= song.bar_count() <= 9 and abs(song.duration_seconds - 12) <= 1.5
        assert (song.time_signature.numerator, song.time_signature.denominator) == (3, 4)
    assert folk.generate(12, seed=5).notes == folk.generate(12, seed=5).notes
    assert folk.generate(12, seed=5).notes != folk.generate(12, seed=6).notes


def test_conditioning_tokens_choose_key_style_and_tempo():
    song = composer(FOLK).generate(8, seed=1, key="A minor", style="german_folk", tempo=96)
    assert song.key == "A minor" and song.tempo == 96
    assert (song.time_signature.numerator, song.time_signature.denominator) == get_style("german_folk").meter
    assert ends_musically(song, "A minor")
    with pytest.raises(InvalidArgumentError, match="styles"):
        composer(FOLK).generate(8, seed=1, style="chorale")


def test_a_chorale_has_four_voices_and_ends_on_a_bar_line_home():
    song = composer(CHORALE).generate(6, seed=2)
    assert len(song.tracks) == 4
    assert song.end_beat % 4 == 0
    assert ends_musically(song)


def test_a_continuation_keeps_the_theme_and_stays_in_its_key_and_meter():
    theme = melody([67, 69, 71, 72, 74, 72, 71, 69, 67, 66, 67], key="G major", meter=(3, 4), tempo=100)
    tonic, minor = parse_key("G major")
    scale = {(tonic + step) % 12 for step in (0, 2, 4, 5, 7, 9, 11)}
    for seed in range(3):
        continued = composer(FOLK).continue_theme(theme, 15, seed=seed)
        notes = continued.tracks[0].notes
        assert notes[:len(theme.notes)] == theme.notes  # the theme is unchanged
        new = notes[len(theme.notes):]
        assert new and all(note.start >= 12.0 for note in new)  # after the theme's last bar line (beat 12)
        assert {note.pitch % 12 for note in new} <= scale
        assert continued.time_signatures == theme.time_signatures and continued.tempos == theme.tempos
        assert ends_musically(continued, "G major")


def test_a_continuation_needs_a_theme_with_notes():
    with pytest.raises(InvalidArgumentError, match="no notes"):
        composer(FOLK).continue_theme(Song(tracks=[Track()]), 10, seed=0)


def test_a_checkpoint_of_tied_weights_resumes(tmp_path):
    vocabulary = tc.Vocabulary.chorale()
    sequences = [[tc.CHORALE_BOS] + [60, 55, 52, 48] * 10]
    model = tc.build_model({**CHORALE, "context": 16})
    checkpoint = tmp_path / "run.ckpt"
    first = tc.fit(model, sequences, vocabulary, steps=3, minutes=None, seed=0, checkpoint=str(checkpoint),
                   progress=False, device="cpu")
    assert first.steps == 3 and checkpoint.exists()
    again = tc.build_model({**CHORALE, "context": 16})
    resumed = tc.fit(again, sequences, vocabulary, steps=5, minutes=None, seed=0, checkpoint=str(checkpoint),
                     progress=False, device="cpu")
    assert resumed.steps == 5 and again.head.weight is again.embed.weight


def test_after_a_one_note_bar_the_next_bar_needs_a_second_note():
    from deepcomposer_edu.ending import MAX_ONE_NOTE_BARS, RemiMelodyEnding

    assert MAX_ONE_NOTE_BARS == 1
    ids = remi.REMI_IDS

    def note(position, pitch, duration):
        return [ids[f"Position_{position}"], ids["Track_0"], ids[f"Pitch_{pitch}"], ids[f"Duration_{duration}"],
                ids["Velocity_10"]]

    def ending_after(bars_of_one_note):
        ending = RemiMelodyEnding(len(remi.REMI_VOCABULARY), "C major", bar_steps=8, first=20, last=22)  # 2/4
        tokens = [ids["Bar"], ids["Meter_2/4"]]
        for pitch in [60, 62][:bars_of_one_note]:
            tokens += note(0, pitch, 8) + [ids["Bar"]]
        ending.read(tokens)
        return ending, tokens

    ending, tokens = ending_after(1)
    tokens += [ids["Position_2"], ids["Track_0"], ids["Pitch_64"]]
    durations = [remi.REMI_VOCABULARY[i] for i in ending.allowed(tokens).nonzero().flatten().tolist()]
    assert durations == [f"Duration_{d}" for d in range(1, 6)]  # from step 2, at most 5 of 8: room for a note
    tokens += [ids["Duration_5"], ids["Velocity_10"]]
    allowed = ending.allowed(tokens)
    assert not allowed[ids["Bar"]] and allowed[ids["Position_7"]] and not allowed[ids["Position_2"]]
    tokens += note(7, 65, 1)
    assert ending.allowed(tokens)[ids["Bar"]]  # two notes: the bar may close

    ending, tokens = ending_after(0)  # a first one-note bar is fine
    tokens += note(0, 64, 8)
    assert ending.allowed(tokens)[ids["Bar"]]
