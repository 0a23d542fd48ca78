"""The one training loop every model of the course uses.

Lesson: lessons/03_gans.ipynb (first use), lessons/04_transformers.ipynb, lessons/06_transfer_learning.ipynb.

A model does not bring its own loop. It brings a *task*: its modules, its optimizers, and a `step(batch)`
that does one update and returns its losses. A GAN's step trains the critic a few times and the generator
once; a language model's step is a single forward, backward and optimizer step. Everything else is the
loop's job and is the same for all of them:

- progress bar (tqdm) and a history of every logged loss, for plotting training curves;
- a sample every N steps, to hear and see the model improve;
- a checkpoint every N steps, written atomically (see `checkpoint.py`), and resuming from it;
- a time budget (`max_minutes`), so a lesson's training never runs longer than promised;
- Ctrl-C stops cleanly at the end of the current step and saves, so the last good checkpoint is kept;
- a seed, so the same settings train the same model;
- the device chosen automatically (a GPU when one is present, else the CPU).

Multi-process training (torch.distributed) plugs in through `TrainingTask.wrap_for_distributed`: when a
process group is running, the loop calls it once, shows progress and writes checkpoints on rank 0 only.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol

import torch
from tqdm.auto import tqdm

from .checkpoint import load_checkpoint, save_checkpoint


class TrainingTask(Protocol):
    """What a model supplies to `train`. Only `modules`, `optimizers` and `step` are required."""

    modules: dict[str, torch.nn.Module]
    optimizers: dict[str, torch.optim.Optimizer]

    def step(self, batch: Any) -> dict[str, float]:
        """One training update on `batch`; returns the losses to log, e.g. {"critic": 0.3, "generator": 1.2}."""
        ...

    # Optional:
    # def sample(self) -> Any: something to look at or listen to (e.g. a Song), called every `sample_every` steps
    # def wrap_for_distributed(self) -> None: wrap modules for torch.distributed (DistributedDataParallel)


@dataclass
class TrainingConfig:
    """The knobs of a training run. `max_steps` and `max_minutes` both stop it, whichever comes first."""

    max_steps: int = 1000
    max_minutes: float | None = None
    seed: int = 0
    log_every: int = 10
    sample_every: int | None = None
    checkpoint_path: str | Path | None = None
    checkpoint_every: int = 100
    resume: bool = True
    device: str = "auto"
    progress: bool = True


@dataclass
class TrainingResult:
    """What a run did: how far it got, why it stopped, and the curves and samples along the way."""

    steps: int
    stopped_because: str
    seconds: float
    history: dict[str, list[float]] = field(default_factory=dict)
    logged_steps: list[int] = field(default_factory=list)
    samples: list[tuple[int, Any]] = field(default_factory=list)
    checkpoint: Path | None = None


def choose_device(requested: str = "auto") -> torch.device:
    """"auto" picks a CUDA GPU when one is present, else the CPU; anything else is passed to torch.device."""
    if requested == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(requested)


def move_to(batch: Any, device: torch.device) -> Any:
    """Move every tensor inside a batch (a tensor, or a tuple/list/dict of them) to `device`."""
    if isinstance(batch, torch.Tensor):
        return batch.to(device)
    if isinstance(batch, (list, tuple)):
        return type(batch)(move_to(item, device) for item in batch)
    if isinstance(batch, dict):
        return {key: move_to(item, device) for key, item in batch.items()}
    return batch


def _endless(batches: Iterable) -> Iterable:
    """Cycle through `batches` for ever: each pass is a new epoch (a shuffling DataLoader reshuffles)."""
    while True:
        empty = True
        for batch in batches:
            empty = False
            yield batch
        if empty:
            raise ValueError("the training data gave no batches")


def _is_main_process() -> bool:
    distributed = torch.distributed.is_available() and torch.distributed.is_initialized()
    return not distributed or torch.distributed.get_rank() == 0


class _StopOnCtrlC:
    """While active, Ctrl-C sets a flag instead of raising, so the loop can finish its step and save."""

    def __init__(self) -> None:
        self.requested = False
        self._previous = None

    def __enter__(self) -> "_StopOnCtrlC":
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum, frame) -> None:
        if self.requested:  # a second Ctrl-C means "stop now"
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


def _state(task: TrainingTask, step: int, result: TrainingResult) -> dict:
    """Everything needed to resume: weights, optimizer states, progress, curves and the random state."""
    return {
        "step": step,
        "modules": {name: module.state_dict() for name, module in task.modules.items()},
        "optimizers": {name: optimizer.state_dict() for name, optimizer in task.optimizers.items()},
        "history": result.history,
        "logged_steps": result.logged_steps,
        "rng": torch.get_rng_state(),
    }


def _restore(task: TrainingTask, state: dict, result: TrainingResult, device: torch.device) -> int:
    for name, module in task.modules.items():
        module.load_state_dict(state["modules"][name])
    for name, optimizer in task.optimizers.items():
        optimizer.load_state_dict(state["optimizers"][name])
        for per_parameter in optimizer.state.values():  # optimizer state follows its parameters' device
            for key, value in per_parameter.items():
                if isinstance(value, torch.Tensor) and key != "step":
                    per_parameter[key] = value.to(device)
    result.history = {name: list(values) for name, values in state["history"].items()}
    result.logged_steps = list(state["logged_steps"])
    torch.set_rng_state(state["rng"])
    return int(state["step"])


def train(
    task: TrainingTask,
    batches: Iterable,
    config: TrainingConfig | None = None,
    on_log: Callable[[int, dict[str, float]], None] | None = None,
    on_sample: Callable[[int, Any], None] | None = None,
) -> TrainingResult:
    """Train `task` on `batches` (any iterable, cycled) until `max_steps`, `max_minutes` or Ctrl-C.

    Logged losses are averaged over the last `log_every` steps. With `checkpoint_path` set, a checkpoint is
    written every `checkpoint_every` steps and at the end, and (with `resume`) an existing one is loaded first.
    """
    config = config or TrainingConfig()
    torch.manual_seed(config.seed)
    device = choose_device(config.device)
    for module in task.modules.values():
        module.to(device)
    if torch.distributed.is_available() and torch.distributed.is_initialized() and hasattr(task, "wrap_for_distributed"):
        task.wrap_for_distributed()

    result = TrainingResult(steps=0, stopped_because="max_steps", seconds=0.0)
    checkpoint_path = Path(config.checkpoint_path) if config.checkpoint_path else None
    step = 0
    if checkpoint_path and config.resume and checkpoint_path.exists():
        step = _restore(task, load_checkpoint(checkpoint_path), result, device)

    def save() -> None:
        if checkpoint_path and _is_main_process():
            save_checkpoint(checkpoint_path, _state(task, step, result))
            result.checkpoint = checkpoint_path

    started = time.monotonic()
    deadline = started + config.max_minutes * 60 if config.max_minutes else math.inf
    pending: dict[str, list[float]] = {}
    bar = tqdm(total=config.max_steps, initial=step, disable=not (config.progress and _is_main_process()), unit="step")
    data = iter(_endless(batches))
    with _StopOnCtrlC() as ctrl_c:
        for module in task.modules.values():
            module.train()
        while step < config.max_steps:
            if time.monotonic() >= deadline:
                result.stopped_because = "time budget"
                break
            if ctrl_c.requested:
                result.stopped_because = "interrupted"
                break
            losses = task.step(move_to(next(data), device))
            step += 1
            bar.update(1)
            for name, value in losses.items():
                pending.setdefault(name, []).append(float(value))
            if step % config.log_every == 0 or step == config.max_steps:
                averaged = {name: sum(values) / len(values) for name, values in pending.items()}
                pending.clear()
                for name, value in averaged.items():
                    result.history.setdefault(name, []).append(value)
                result.logged_steps.append(step)
                bar.set_postfix({name: f"{value:.3g}" for name, value in averaged.items()})
                if on_log:
                    on_log(step, averaged)
            if config.sample_every and step % config.sample_every == 0 and hasattr(task, "sample"):
                for module in task.modules.values():
                    module.eval()
                with torch.no_grad():
                    sample = task.sample()
                for module in task.modules.values():
                    module.train()
                result.samples.append((step, sample))
                if on_sample:
                    on_sample(step, sample)
            if checkpoint_path and step % config.checkpoint_every == 0:
                save()
    bar.close()
    for module in task.modules.values():
        module.eval()
    save()
    result.steps = step
    result.seconds = time.monotonic() - started
    return result
