"""The registry under SIGKILL and under concurrent writers: a half-written model is never visible.

The writers are forked child processes (cheap to start, torch already imported), killed with SIGKILL at
random moments while they replace models in a loop.
"""

import multiprocessing
import os
import random
import signal
import time

import torch

from deepcomposer_edu.registry import ModelCard, Registry

BIG = torch.arange(400_000, dtype=torch.float32)  # 1.6 MB, so that each write takes a little while


def save_forever(root, writer):
    """Replace models a and b again and again; each model's weights carry the count written in its card."""
    registry = Registry(root, shipped=None)
    count = 0
    while True:
        count += 1
        for name in ("a", "b"):
            card = ModelCard(name=name, type="test", metrics={"count": count, "writer": writer})
            registry.save(card, {"big": BIG, "count": torch.tensor([count, writer])}, overwrite=True)


def assert_every_visible_model_is_whole(registry):
    visible = registry.list()
    assert {model.name for model in visible} == {"a", "b"}
    for model in visible:
        model, weights = registry.load(model.name)
        assert weights["count"].tolist() == [model.card.metrics["count"], model.card.metrics["writer"]]
        assert torch.equal(weights["big"], BIG)


def test_sigkill_at_random_moments_never_leaves_a_half_written_model(tmp_path):
    registry = Registry(tmp_path / "registry", shipped=None)
    for name in ("a", "b"):
        registry.save(ModelCard(name=name, type="test", metrics={"count": 0, "writer": -1}),
                      {"big": BIG, "count": torch.tensor([0, -1])})
    fork = multiprocessing.get_context("fork")
    rng = random.Random(20250701)
    interrupted = 0
    for trial in range(30):
        writer = fork.Process(target=save_forever, args=(registry.root, trial), daemon=True)
        writer.start()
        time.sleep(rng.uniform(0.005, 0.08))
        os.kill(writer.pid, signal.SIGKILL)
        writer.join()
        leftovers = [p.name for p in registry.root.iterdir() if p.name.startswith(".") and p.is_dir()]
        interrupted += bool(leftovers)
        # The debris of the killed writer is hidden, and a model set aside mid-replace comes back on lookup.
        for name in ("a", "b"):
            registry.find(name)
        assert_every_visible_model_is_whole(registry)
    assert interrupted > 0, "no kill landed in the middle of a write: the test did not test anything"


def test_concurrent_writers_never_corrupt_the_registry(tmp_path):
    registry = Registry(tmp_path / "registry", shipped=None)
    fork = multiprocessing.get_context("fork")
    writers = [fork.Process(target=save_forever, args=(registry.root, w), daemon=True) for w in range(4)]
    for writer in writers:
        writer.start()
    time.sleep(0.5)
    for _ in range(10):  # read while they write
        if len(registry.list()) == 2:
            assert_every_visible_model_is_whole(registry)
    for writer in writers:
        os.kill(writer.pid, signal.SIGKILL)
        writer.join()
    assert_every_visible_model_is_whole(registry)
