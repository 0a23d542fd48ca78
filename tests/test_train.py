"""The shared training loop (deepcomposer_edu/train.py) and its checkpoints (checkpoint.py)."""

import os
import pickle
import signal

import pytest
import torch

from deepcomposer_edu.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from deepcomposer_edu.train import TrainingConfig, train


class LineFit:
    """A real (tiny) learning problem: fit y = 3x - 1 with one linear layer and Adam."""

    def __init__(self, interrupt_at: int | None = None):
        torch.manual_seed(0)
        self.model = torch.nn.Linear(1, 1)
        self.modules = {"model": self.model}
        self.optimizers = {"adam": torch.optim.Adam(self.model.parameters(), lr=0.05)}
        self.interrupt_at = interrupt_at
        self.calls = 0

    def step(self, batch):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.optimizers["adam"].zero_grad()
        loss.backward()
        self.optimizers["adam"].step()
        self.calls += 1
        if self.calls == self.interrupt_at:
            os.kill(os.getpid(), signal.SIGINT)  # what Ctrl-C does
        return {"mse": loss.item()}

    def sample(self):
        return self.model(torch.tensor([[2.0]])).item()


def line_data():
    x = torch.linspace(-1, 1, 32).unsqueeze(1)
    return [(x, 3 * x - 1)]


def test_training_reduces_the_loss_and_logs_it():
    result = train(LineFit(), line_data(), TrainingConfig(max_steps=300, log_every=10, progress=False))
    assert result.steps == 300 and result.stopped_because == "max_steps"
    assert len(result.history["mse"]) == 30 and result.logged_steps[-1] == 300
    assert result.history["mse"][-1] < 0.01 * result.history["mse"][0]


def test_samples_are_taken_every_n_steps():
    result = train(LineFit(), line_data(), TrainingConfig(max_steps=100, sample_every=25, progress=False))
    assert [step for step, _ in result.samples] == [25, 50, 75, 100]
    assert abs(result.samples[-1][1] - 5.0) < abs(result.samples[0][1] - 5.0)  # 3*2-1 = 5


def test_time_budget_stops_training():
    result = train(LineFit(), line_data(), TrainingConfig(max_steps=10**9, max_minutes=0.002, progress=False))
    assert result.stopped_because == "time budget"
    assert 0 < result.steps < 10**9


def test_resuming_from_a_checkpoint_continues_the_same_run(tmp_path):
    straight = LineFit()
    train(straight, line_data(), TrainingConfig(max_steps=60, progress=False))

    resumed = LineFit()
    path = tmp_path / "run.safetensors"
    first = train(resumed, line_data(), TrainingConfig(max_steps=25, checkpoint_path=path, progress=False))
    assert first.checkpoint == path and load_checkpoint(path)["step"] == 25
    again = LineFit()  # a fresh process would start from scratch weights; the checkpoint restores them
    second = train(again, line_data(), TrainingConfig(max_steps=60, checkpoint_path=path, progress=False))
    assert second.steps == 60
    assert torch.allclose(again.model.weight, straight.model.weight)
    assert torch.allclose(again.model.bias, straight.model.bias)


def test_ctrl_c_stops_after_the_step_and_keeps_a_checkpoint(tmp_path):
    path = tmp_path / "run.safetensors"
    task = LineFit(interrupt_at=7)
    result = train(task, line_data(), TrainingConfig(max_steps=1000, checkpoint_path=path, progress=False))
    assert result.stopped_because == "interrupted" and result.steps == 7
    state = load_checkpoint(path)
    assert state["step"] == 7
    assert torch.equal(state["modules"]["model"]["weight"], task.model.weight.detach())


def test_checkpoint_round_trip_keeps_optimizer_state(tmp_path):
    task = LineFit()
    train(task, line_data(), TrainingConfig(max_steps=5, progress=False))
    state = {"optimizer": task.optimizers["adam"].state_dict(), "note": "hello", "numbers": [1, 2.5]}
    save_checkpoint(tmp_path / "c.safetensors", state)
    back = load_checkpoint(tmp_path / "c.safetensors")
    assert back["note"] == "hello" and back["numbers"] == [1, 2.5]
    original = state["optimizer"]["state"][0]
    assert torch.equal(back["optimizer"]["state"][0]["exp_avg"], original["exp_avg"])
    assert back["optimizer"]["param_groups"][0]["betas"] == list(state["optimizer"]["param_groups"][0]["betas"])


class Boobytrap:
    def __reduce__(self):
        return (open, ("/tmp/deepcomposer-pickle-ran", "w"))


def test_a_pickled_checkpoint_is_refused_without_running_it(tmp_path):
    marker = "/tmp/deepcomposer-pickle-ran"
    if os.path.exists(marker):
        os.remove(marker)
    path = tmp_path / "evil.safetensors"
    path.write_bytes(pickle.dumps(Boobytrap()))
    with pytest.raises(CheckpointError, match="evil.safetensors"):
        load_checkpoint(path)
    assert not os.path.exists(marker)
