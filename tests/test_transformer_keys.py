"""Modal keys ('A dorian') on the way out: MIDI has no key signature for a mode, so its parent major key's is
written; a continued modal theme (the folk corpora hold about a hundred) can be saved."""

import mido
import pytest
import torch

from deepcomposer_edu import transformer_composer as tc
from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.music import Note, Song, TempoChange, TimeSignature, Track
from deepcomposer_edu.music.midi import midi_bytes, song_from_bytes


def tune(key: str) -> Song:
    notes = [Note(p, float(i), float(i + 1)) for i, p in enumerate([57, 59, 60, 62, 64, 66, 67, 69])]
    return Song(tracks=[Track(notes)], tempos=[TempoChange(0.0, 120.0)], time_signatures=[TimeSignature(0.0, 4, 4)],
                key=key)


def written_signature(song: Song) -> str:
    conductor = mido.MidiFile(file=__import__("io").BytesIO(midi_bytes(song))).tracks[0]
    return next(message.key for message in conductor if message.type == "key_signature")


@pytest.mark.parametrize(
    "key, signature",
    [
        ("A dorian", "G"),  # A B C D E F# G: the notes of G major from A (one sharp)
        ("D dorian", "C"),
        ("E phrygian", "C"),
        ("F lydian", "C"),
        ("G mixolydian", "C"),
        ("D mixolydian", "G"),
        ("Bb dorian", "Ab"),  # four flats
        ("F# mixolydian", "B"),  # five sharps
        ("A aeolian", "C"),
        ("E minor", "Em"),  # major and minor keys keep their own signature
    ],
)
def test_a_mode_is_written_with_its_parent_major_key_signature(key, signature):
    assert written_signature(tune(key)) == signature


def test_the_notes_survive_and_the_key_read_back_is_the_parent_major():
    again = song_from_bytes(midi_bytes(tune("A dorian")))
    assert again.key == "G major"
    assert [n.pitch for n in again.notes] == [57, 59, 60, 62, 64, 66, 67, 69]


def test_a_mode_with_an_unknown_tonic_is_still_refused_clearly():
    with pytest.raises(InvalidArgumentError, match="unknown key 'H dorian'"):
        midi_bytes(tune("H dorian"))


def test_a_continued_dorian_theme_can_be_written():
    settings = dict(vocabulary="folk", styles=[], context=64, layers=1, heads=2, width=16, dropout=0.0, tempo=120.0,
                    time_signature=[4, 4], style="")
    torch.manual_seed(0)
    composer = tc.TransformerComposer(tc.model_tensors(tc.build_model(settings)), settings)
    out = composer.continue_theme(tune("A dorian"), seconds=4.0, seed=0)
    assert out.key == "A dorian"
    assert song_from_bytes(midi_bytes(out)).note_count == out.note_count
