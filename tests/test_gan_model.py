"""The GAN's networks and training step (deepcomposer_edu/models/gan.py), on small shapes."""

import torch

from deepcomposer_edu.models.gan import Critic, GanConfig, GanTask, Generator, generate, gradient_penalty

SMALL = GanConfig(n_bars=2, n_pitches=32, latent_size=16, width=8, critic_steps=2)


def test_shapes_follow_the_config():
    generator, critic = Generator(SMALL), Critic(SMALL)
    rolls = generator(torch.randn(3, 16), torch.zeros(3, 1, 32, 32))
    assert rolls.shape == (3, 4, 32, 32)
    assert rolls.min() >= 0 and rolls.max() <= 1
    assert critic(rolls).shape == (3,)


def test_accompaniment_returns_the_melody_unchanged():
    generator = Generator(SMALL)
    melody = torch.zeros(1, 1, 32, 32)
    melody[0, 0, 0:8, 20] = 1
    melody[0, 0, 8:16, 22] = 1
    rolls = generate(generator, count=5, seed=1, melody=melody)
    assert rolls.shape == (5, 4, 32, 32)
    assert torch.equal(rolls[:, 0], melody[0, 0].expand(5, -1, -1))
    assert set(rolls.unique().tolist()) <= {0.0, 1.0}


def test_generation_is_repeatable_for_a_seed():
    generator = Generator(SMALL)
    assert torch.equal(generate(generator, 2, seed=7), generate(generator, 2, seed=7))
    assert not torch.equal(generator(torch.randn(2, 16), torch.zeros(2, 1, 32, 32)), generator(torch.randn(2, 16), torch.zeros(2, 1, 32, 32)))


def test_gradient_penalty_is_zero_for_a_unit_slope_critic():
    class Slope(torch.nn.Module):
        def forward(self, x):  # gradient of sum(x)/sqrt(n) has norm exactly 1
            return x.flatten(1).sum(1) / x[0].numel() ** 0.5

    real, fake = torch.rand(4, 4, 8, 8), torch.rand(4, 4, 8, 8)
    assert gradient_penalty(Slope(), real, fake).item() < 1e-10


def test_a_training_step_updates_both_players():
    torch.manual_seed(0)
    task = GanTask(SMALL)
    before = {name: [p.clone() for p in module.parameters()] for name, module in task.modules.items()}
    losses = task.step((torch.rand(6, 4, 32, 32) > 0.9).float())
    assert set(losses) == {"critic", "generator", "wasserstein"}
    for name, module in task.modules.items():
        assert any(not torch.equal(a, b) for a, b in zip(before[name], module.parameters())), name


def test_the_chord_critic_folds_octaves_into_pitch_classes():
    critic = Critic(GanConfig(n_bars=2, n_pitches=32, latent_size=16, width=8, chord_critic=True))
    rolls = torch.zeros(1, 4, 32, 32)
    rolls[0, 0, 0, [0, 12, 24]] = 1  # C in three octaves
    rolls[0, 1, 3, 31] = 1            # pitch 31: a G (31 = 2 * 12 + 7)
    classes = critic.pitch_classes(rolls)  # (1, 4, 32, 12)
    assert classes.shape == (1, 4, 32, 12)
    assert classes[0, 0, 0, 0] == 3 and classes[0, 1, 3, 7] == 1 and classes.sum() == 4
    assert critic(rolls).shape == (1,)
