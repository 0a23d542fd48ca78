"""The workload lesson 09 measures (deepcomposer_edu/cost/workload.py) does real training and generation."""

import torch

from deepcomposer_edu.cost.measure import measure
from deepcomposer_edu.cost.workload import generate_piece, piece_seconds, theme_rolls, train_gan, untrained_generator
from deepcomposer_edu.examples import example_theme
from deepcomposer_edu.models.gan import GanConfig

SMALL = GanConfig(width=8, critic_steps=1, latent_size=16)


def test_theme_rolls_hold_the_theme_in_twelve_keys():
    rolls = theme_rolls(SMALL)
    assert rolls.shape == (12, SMALL.n_tracks, SMALL.n_steps, SMALL.n_pitches)
    melody = rolls[:, SMALL.melody_track]
    assert rolls.sum() == melody.sum()  # only the melody track has notes
    lowest_sounding = [int(piece.sum(dim=0).nonzero().min()) + SMALL.lowest_pitch for piece in melody]
    theme_lowest = min(note.pitch for note in example_theme().notes)
    assert lowest_sounding == [theme_lowest + shift for shift in range(-5, 7)]  # one piece per semitone


def test_train_gan_updates_the_generator_weights():
    torch.manual_seed(0)
    before = untrained_generator(SMALL, seed=0)
    after = train_gan(steps=1, config=SMALL, batch_size=4, seed=0)
    changed = [not torch.equal(a, b) for a, b in zip(before.state_dict().values(), after.state_dict().values())]
    assert any(changed)


def test_a_generated_piece_is_30_seconds_of_music_in_four_tracks():
    generator = untrained_generator(SMALL)
    song = generate_piece(generator, seed=1)
    assert len(song.tracks) == SMALL.n_tracks
    assert song.tempo == 64
    assert piece_seconds(generator) == 30.0  # 32 beats at 64 BPM
    assert song.duration_seconds <= 30.0 + 1e-9


def test_generation_is_repeatable_and_measurable():
    generator = untrained_generator(SMALL)
    first, second = generate_piece(generator, seed=3), generate_piece(generator, seed=3)
    assert first.notes == second.notes
    measurement = measure(lambda: generate_piece(generator), label="piece", repeats=2)
    assert measurement.seconds > 0 and len(measurement.result.tracks) == SMALL.n_tracks
