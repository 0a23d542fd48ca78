"""Training over two processes (torch.distributed, gloo on the CPU) through `TransformerTask.wrap_for_distributed`.

Two processes each take half of a batch; DistributedDataParallel averages their gradients, so one step must
leave both with the same weights as one process taking the whole batch.
"""

import torch
import torch.multiprocessing as mp
from safetensors.torch import load_file, save_file

from deepcomposer_edu import transformer_composer as tc
from deepcomposer_edu.train import TrainingConfig, train

SETTINGS = dict(vocabulary="chorale", styles=[], context=16, layers=1, heads=2, width=16, dropout=0.0)


def fresh_task():
    torch.manual_seed(0)
    model = tc.build_model(SETTINGS)
    return tc.TransformerTask(model, pad=tc.CHORALE_PAD, learning_rate=1e-2, total_steps=10, warmup=1)


def batch():
    generator = torch.Generator().manual_seed(1)
    return torch.randint(0, 129, (4, 17), generator=generator)  # (B, T + 1), no padding


def _worker(rank: int, world: int, init_file: str, out_dir: str) -> None:
    torch.distributed.init_process_group("gloo", init_method=f"file://{init_file}", rank=rank, world_size=world)
    try:
        task = fresh_task()
        half = batch()[rank * 2:(rank + 1) * 2]
        train(task, [half], TrainingConfig(max_steps=1, device="cpu", progress=False))
        assert task.network is not task.model  # the loop called wrap_for_distributed
        save_file(tc.model_tensors(task.model), f"{out_dir}/rank{rank}.safetensors")
    finally:
        torch.distributed.destroy_process_group()


def test_two_gloo_processes_take_the_same_step_as_one_process_on_the_whole_batch(tmp_path):
    mp.spawn(_worker, args=(2, str(tmp_path / "init"), str(tmp_path)), nprocs=2, join=True)
    single = fresh_task()
    train(single, [batch()], TrainingConfig(max_steps=1, device="cpu", progress=False))
    expected = tc.model_tensors(single.model)
    initial = tc.model_tensors(fresh_task().model)
    ranks = [load_file(tmp_path / f"rank{rank}.safetensors") for rank in (0, 1)]
    moved = False
    for name, value in expected.items():
        assert torch.allclose(ranks[0][name], ranks[1][name], atol=1e-6), name  # the processes agree
        assert torch.allclose(ranks[0][name], value, atol=1e-5), name  # and match one process, whole batch
        moved = moved or not torch.allclose(value, initial[name])
    assert moved  # the step did change the weights
