"""Make the shipped `gan-chorale`: the MuseGAN-style GAN trained on 8-bar windows of the Bach chorales.

Lesson: lessons/03_gans.ipynb accompanies the example theme with it; `deepcomposer accompany` uses it by default.

    python scripts/train_gan_chorale.py --minutes 70                  # train (resumes from --run-dir)
    python scripts/train_gan_chorale.py --minutes 60                  # later: continue the same run 60 more minutes
    python scripts/train_gan_chorale.py --export                      # measure, write pretrained/gan-chorale/

Training uses the train split only: an 8-bar window starting at every bar line, each moved to C major / A minor
(`gan_composer.KeyNormalisedWindows`; generated pieces are moved afterwards to a key drawn from the data's), through the course's one loop (`deepcomposer_edu.train.train`), with a checkpoint every 100 steps, so a run
that is stopped (Ctrl-C, a closed laptop) continues where it stopped. Every `--snapshot-every` steps the
generator's weights are also kept aside, so the export can pick the snapshot closest to held-out music
(chosen on the *valid* split; the card's quality table is measured on the *test* split, which no choice saw).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from torch.utils.data import DataLoader

from deepcomposer_edu.checkpoint import load_checkpoint
from deepcomposer_edu.gan_composer import KeyNormalisedWindows, export_gan_chorale
from deepcomposer_edu.models.gan import GanConfig, GanTask
from deepcomposer_edu.train import TrainingConfig, train

RUN_DIR = Path("/tmp/gan-chorale-run")
RUNS_FILE = "commands.json"  # every training command of this run, in order (a run may be resumed many times)
KEYS_FILE = "key_offsets.json"  # the training windows' keys: generated pieces are moved to keys drawn from them


def gan_config(args: argparse.Namespace) -> GanConfig:
    return GanConfig(width=args.width, critic_steps=args.critic_steps, learning_rate=args.learning_rate,
                     chord_critic=args.chord_critic)


def snapshot_path(run_dir: Path, step: int) -> Path:
    return run_dir / f"generator-{step:06d}.safetensors"


def snapshot_steps(run_dir: Path) -> list[int]:
    return sorted(int(path.stem.split("-")[1]) for path in run_dir.glob("generator-*.safetensors"))


def train_run(args: argparse.Namespace, argv: list[str]) -> None:
    torch.set_num_threads(args.threads)
    config = gan_config(args)
    windows = KeyNormalisedWindows("train", config, every_bar=True, limit=args.limit_pieces)
    print(f"{len(windows)} training windows", flush=True)
    args.run_dir.mkdir(parents=True, exist_ok=True)
    (args.run_dir / KEYS_FILE).write_text(json.dumps(windows.key_offsets()))
    batches = DataLoader(windows, batch_size=args.batch, shuffle=True, drop_last=True,
                         generator=torch.Generator().manual_seed(args.seed))
    task = GanTask(config)
    args.run_dir.mkdir(parents=True, exist_ok=True)
    runs = args.run_dir / RUNS_FILE
    commands = json.loads(runs.read_text()) if runs.exists() else []
    runs.write_text(json.dumps([*commands, shlex.join(["python", "scripts/train_gan_chorale.py", *argv])]))

    def keep_snapshot(step: int, losses: dict) -> None:
        line = " ".join(f"{name}={value:.4g}" for name, value in losses.items())
        print(f"{time.strftime('%H:%M:%S')} step {step} {line}", flush=True)
        if step % args.snapshot_every == 0:
            state = {key: value.detach().clone() for key, value in task.generator.state_dict().items()}
            save_file(state, str(snapshot_path(args.run_dir, step)))

    result = train(task, batches, TrainingConfig(
        max_steps=args.steps, max_minutes=args.minutes, seed=args.seed, log_every=50,
        checkpoint_path=args.run_dir / "checkpoint.safetensors", checkpoint_every=100, progress=False,
    ), on_log=keep_snapshot)
    print(f"stopped at step {result.steps} ({result.stopped_because}) after {result.seconds / 60:.1f} min", flush=True)


def export(args: argparse.Namespace, argv: list[str]) -> None:
    steps = snapshot_steps(args.run_dir)
    if not steps:
        raise SystemExit(f"no generator snapshots in {args.run_dir}: train first")
    snapshots = {step: load_file(str(snapshot_path(args.run_dir, step))) for step in steps}
    state = load_checkpoint(args.run_dir / "checkpoint.safetensors")
    runs = args.run_dir / RUNS_FILE
    training = {
        "commands": json.loads(runs.read_text()) if runs.exists() else [],
        "steps": state["step"],
        "batch_size": args.batch,
        "final_losses": {name: round(values[-1], 3) for name, values in state["history"].items() if values},
    }
    config = gan_config(args)
    keys = args.run_dir / KEYS_FILE
    key_offsets = json.loads(keys.read_text()) if keys.exists() else \
        KeyNormalisedWindows("train", config, every_bar=True, limit=args.limit_pieces).key_offsets()
    model = export_gan_chorale(config, snapshots, seed=args.seed, last=args.last_snapshots,
                               critic_state=state["modules"]["critic"], training=training, key_offsets=key_offsets,
                               command=shlex.join(["python", "scripts/train_gan_chorale.py", *argv]))
    print(f"wrote {model.path} ({model.weights_path.stat().st_size / 1e6:.2f} MB of weights)")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=70.0, help="training time budget (default 70)")
    parser.add_argument("--steps", type=int, default=100_000, help="stop at this many steps in all (default 100000)")
    parser.add_argument("--width", type=int, default=16, help="channels of the first conv layer (default 16)")
    parser.add_argument("--batch", type=int, default=16, help="windows per step (default 16)")
    parser.add_argument("--critic-steps", type=int, default=5, help="critic updates per generator update (default 5)")
    parser.add_argument("--learning-rate", type=float, default=1e-3, help="Adam learning rate (default 0.001)")
    parser.add_argument("--chord-critic", action=argparse.BooleanOptionalAction, default=True,
                        help="give the critic its octave-wide pitch-class path (default on)")
    parser.add_argument("--limit-pieces", type=int, default=None,
                        help="train on the first N chorales of the train split only (for quick tests)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    parser.add_argument("--snapshot-every", type=int, default=250,
                        help="keep the generator every N steps (default 250)")
    parser.add_argument("--run-dir", type=Path, default=RUN_DIR, help=f"checkpoint and snapshots (default {RUN_DIR})")
    parser.add_argument("--export", action="store_true", help="do not train: measure snapshots and write the model")
    parser.add_argument("--last-snapshots", type=int, default=8,
                        help="with --export: how many of the latest snapshots to compare (default 8)")
    args = parser.parse_args(argv)
    if args.export:
        export(args, argv)
    else:
        train_run(args, argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
