"""Make the shipped `transformer-chorale` and `transformer-folk` models (lesson 04 uses both).

    python scripts/train_transformer.py chorale --minutes 30           # -> deepcomposer_edu/pretrained/transformer-chorale/
    python scripts/train_transformer.py folk --minutes 30              # -> deepcomposer_edu/pretrained/transformer-folk/
    torchrun --nproc_per_node 2 scripts/train_transformer.py chorale   # the same over two processes

Training goes through the shared loop with a checkpoint in --checkpoint (default /tmp), so an interrupted
run picks up where it stopped when started again with the same arguments. `--package-only` skips training
and turns the checkpoint into the shipped model. At the end the model is scored on the corpus's frozen
test split (NLL per token, nats) beside an interpolated Kneser-Ney n-gram counted on the same train tokens,
and the card records this command, the seed, the data (corpus file sha256) and those metrics.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time

import torch

from deepcomposer_edu import transformer_composer as tc
from deepcomposer_edu.checkpoint import load_checkpoint
from deepcomposer_edu.registry import LOCK_FILE, SHIPPED_DIR, ModelCard, Registry

PRESETS = {
    # period 16: the model is told where each token falls in the beat (4 sixteenth-note steps of S, A, T, B).
    "chorale": {"corpora": ["bach_chorales"], "vocabulary": "chorale", "context": 256, "layers": 3, "heads": 4,
                "width": 128, "dropout": 0.1, "period": 16, "tempo": 76.0, "time_signature": [4, 4],
                "style": "chorale"},
    # Scottish airs (airds_airs) are left out on purpose: lesson 06 fine-tunes on a style the model never heard.
    "folk": {"corpora": ["essen_german", "essen_chinese", "essen_europe", "oneills_1850", "ryans_mammoth"],
             "vocabulary": "folk", "context": 256, "layers": 3, "heads": 4, "width": 128, "dropout": 0.1,
             "tempo": 100.0, "time_signature": [2, 4], "style": "german_folk"},
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("preset", choices=sorted(PRESETS))
    parser.add_argument("--minutes", type=float, default=30.0, help="time budget for training (default 30)")
    parser.add_argument("--steps", type=int, default=900, help="optimizer steps; the learning rate schedule spans them")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--learning-rate", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--checkpoint", help="checkpoint file (default /tmp/transformer-PRESET.ckpt)")
    parser.add_argument("--registry", default=str(SHIPPED_DIR), help="where to write the model (default: the package)")
    parser.add_argument("--package-only", action="store_true", help="do not train: package the checkpoint as it is")
    parser.add_argument("--threads", type=int, help="CPU threads for torch (on a busy machine 1 can be faster than 2)")
    parser.add_argument("--ngram-order", type=int, default=0, help="n-gram baseline order (0: choose on the valid split)")
    args = parser.parse_args(argv)

    if args.threads:
        torch.set_num_threads(args.threads)
    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    if distributed:
        torch.distributed.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    rank = torch.distributed.get_rank() if distributed else 0
    preset = PRESETS[args.preset]
    from deepcomposer_edu.data import list_corpora

    corpora = [name for name in preset["corpora"] if name in list_corpora()]
    if not corpora:
        raise SystemExit(f"none of the corpora {preset['corpora']} is built yet (see datasets/)")
    settings = {key: value for key, value in preset.items() if key != "corpora"}
    styles = sorted({_style(name) for name in corpora}) if preset["vocabulary"] == "folk" else []
    settings["styles"] = styles
    vocabulary = tc.Vocabulary.from_settings(settings)
    train = [s for name in corpora for s in tc.corpus_sequences(name, "train", vocabulary)]
    checkpoint = args.checkpoint or f"/tmp/transformer-{args.preset}.ckpt"

    model = tc.build_model(settings)
    began = time.monotonic()
    if args.package_only:
        state = load_checkpoint(checkpoint)
        model.load_state_dict(state["modules"]["model"])
        steps = int(state["step"])
    else:
        result = tc.fit(model, train, vocabulary, steps=args.steps, minutes=args.minutes, seed=args.seed,
                        batch_size=args.batch_size, learning_rate=args.learning_rate, checkpoint=checkpoint,
                        progress=rank == 0)
        steps = result.steps
        print(f"trained {steps} steps in {result.seconds / 60:.1f} min ({result.stopped_because})", flush=True)
    if rank != 0:
        torch.distributed.destroy_process_group()
        return 0

    metrics = {"steps": steps, "training_minutes_this_run": round((time.monotonic() - began) / 60, 1),
               "train_tokens": sum(len(s) for s in train), "parameters": sum(p.numel() for p in model.parameters())}
    metrics.update(evaluate(model, vocabulary, corpora, train, args.ngram_order))
    print(metrics, flush=True)
    name = f"transformer-{args.preset}"
    from deepcomposer_edu.data import corpus_info

    card = ModelCard(
        name=name, type="transformer",
        description=_DESCRIPTIONS[args.preset],
        data={"source": ", ".join(f"corpus {c}, train split" for c in corpora), "songs": len(train),
              "sha256": {c: corpus_info(c)["sha256"] for c in corpora}},
        settings=settings, metrics=metrics, seed=args.seed,
        command=shlex.join(["python", "scripts/train_transformer.py", *argv]),
    )
    registry = Registry(args.registry, shipped=None)
    saved = registry.save(card, tc.model_tensors(model), overwrite=True)
    (registry.root / LOCK_FILE).unlink(missing_ok=True)  # a registry lock has no place in the package
    print(f"wrote {saved.path} ({saved.weights_path.stat().st_size / 1e6:.2f} MB of weights)")
    if distributed:
        torch.distributed.destroy_process_group()
    return 0


_DESCRIPTIONS = {
    "chorale": "small Music Transformer (relative attention) on Bach chorales in the JSB encoding "
               "(S, A, T, B at every sixteenth note), told each token's place in the beat (phase embedding)",
    "folk": "small Music Transformer (relative attention) on folk melodies (REMI tokens), conditioned on style, "
            "key and tempo: the default model for generate-music and continue",
}


def _style(corpus: str) -> str:
    from deepcomposer_edu.data import corpus_info
    from deepcomposer_edu.styles import get_style

    return get_style(corpus_info(corpus)["style"]).name


def evaluate(model, vocabulary, corpora: list[str], train: list[list[int]], ngram_order: int) -> dict:
    """NLL per token (nats) on the test split, for the model and for the best n-gram on the same tokens; the
    model also on the valid split and on as many train pieces (to see whether it overfits)."""
    from deepcomposer_edu.models.ngram import NgramModel, choose_order

    valid = [s for name in corpora for s in tc.corpus_sequences(name, "valid", vocabulary)]
    test = [s for name in corpora for s in tc.corpus_sequences(name, "test", vocabulary)]
    order = ngram_order or choose_order(train, valid, len(vocabulary), pad=vocabulary.pad)
    ngram = NgramModel.fit(train, order, len(vocabulary))
    model_nll = tc.corpus_nll(model, test, pad=vocabulary.pad, progress=True)
    ngram_nll = ngram.nll(test)
    return {
        "test_nll_per_token": round(model_nll, 4),
        "valid_nll_per_token": round(tc.corpus_nll(model, valid, pad=vocabulary.pad), 4),
        "train_nll_per_token": round(tc.corpus_nll(model, train[:len(valid)], pad=vocabulary.pad), 4),
        "nll_context": f"sliding windows of {model.config.context} tokens, stride {model.config.context // 4}",
        "test_tokens": sum(len(s) - 1 for s in test),
        "ngram_order": order,
        "ngram_test_nll_per_token": round(ngram_nll, 4),
        "below_ngram_percent": round(100 * (1 - model_nll / ngram_nll), 1),
    }


if __name__ == "__main__":
    raise SystemExit(main())
