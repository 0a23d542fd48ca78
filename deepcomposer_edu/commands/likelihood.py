"""`deepcomposer evaluate-likelihood`: how well a transformer predicts real music, in nats per token.

Lesson: lessons/04_transformers.ipynb (the chorale benchmark: lower is better).

    deepcomposer evaluate-likelihood --model-name transformer-chorale --corpus bach_chorales --split test
    deepcomposer evaluate-likelihood --model-name transformer-folk --corpus essen_german --ngram --json

The negative log-likelihood (NLL) per token is the average of -ln P(token | the tokens before it) over
every token of every piece of the split, in the model's own encoding; 0 would be certain prediction.
A piece longer than the model's context is read in sliding windows: every token is scored once, and after
the first context of a piece with at least three quarters of a context before it.
With --ngram, an interpolated Kneser-Ney n-gram counted on the corpus's train split in the same encoding
(order chosen on the valid split) is scored on the same tokens, as a baseline.
"""

from __future__ import annotations

from ..errors import InvalidArgumentError
from ._options import add_json_option, add_registry_option, print_json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "evaluate-likelihood", help="NLL per token (nats) of a transformer model on a corpus split",
        description="Score a transformer model on every piece of a shipped corpus split: the mean negative "
                    "log-likelihood per token, in nats (lower is better).",
    )
    parser.add_argument("--model-name", required=True, metavar="NAME", help="a transformer model")
    parser.add_argument("--corpus", required=True, metavar="NAME", help="a shipped corpus (see `deepcomposer info`)")
    parser.add_argument("--split", choices=("train", "valid", "test"), default="test", help="which split (default test)")
    parser.add_argument("--limit", type=int, metavar="N", help="score only the first N pieces of the split")
    parser.add_argument("--ngram", action="store_true", help="also score an n-gram baseline on the same tokens")
    add_registry_option(parser)
    add_json_option(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from .. import transformer_composer as tc
    from ..registry import Registry

    if args.limit is not None and args.limit < 1:
        raise InvalidArgumentError(f"--limit must be 1 or more, got {args.limit}")
    model, tensors = Registry(args.registry).load(args.model_name)
    if model.card.type != "transformer":
        raise InvalidArgumentError(f"model {args.model_name!r} is a {model.card.type} model; "
                                   "evaluate-likelihood scores transformer models")
    vocabulary = tc.Vocabulary.from_settings(model.card.settings)
    network = tc.load_weights(tc.build_model(model.card.settings), tensors)
    sequences = tc.corpus_sequences(args.corpus, args.split, vocabulary, limit=args.limit)
    if not sequences:
        raise InvalidArgumentError(f"corpus {args.corpus!r} has no piece in its {args.split} split that this model's "
                                   f"{vocabulary.kind} encoding can hold")
    result = {"model": args.model_name, "corpus": args.corpus, "split": args.split, "pieces": len(sequences),
              "tokens": sum(len(s) - 1 for s in sequences),
              "nll_per_token": round(tc.corpus_nll(network, sequences, pad=vocabulary.pad, progress=True), 4)}
    if args.ngram:
        from ..models.ngram import NgramModel, choose_order

        train = tc.corpus_sequences(args.corpus, "train", vocabulary)
        valid = tc.corpus_sequences(args.corpus, "valid", vocabulary)
        order = choose_order(train, valid, len(vocabulary))
        result["ngram_order"] = order
        result["ngram_nll_per_token"] = round(NgramModel.fit(train, order, len(vocabulary)).nll(sequences), 4)
    if args.json:
        print_json(result)
        return 0
    print(f"{args.model_name} on {args.corpus} ({args.split}, {result['pieces']} pieces, {result['tokens']} tokens): "
          f"NLL {result['nll_per_token']:.4f} nats per token")
    if args.ngram:
        print(f"order-{result['ngram_order']} n-gram on the same tokens: NLL {result['ngram_nll_per_token']:.4f} nats per token")
    return 0
