"""`deepcomposer datasets`: the shipped corpora (what is there, how big, how split).

Lesson: lessons/02_music_as_data.ipynb (the same from Python: `data.list_corpora()`, `data.corpus_info(name)`).

    deepcomposer datasets list
    deepcomposer datasets info bach_chorales --json
"""

from __future__ import annotations

from ._options import add_json_option, print_json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "datasets",
        help="list the shipped corpora, or describe one",
        description="The public-domain corpora shipped with the course (built from music21's corpus).",
    )
    actions = parser.add_subparsers(dest="datasets_action", metavar="ACTION", required=True,
                                     parser_class=type(parser))
    listing = actions.add_parser("list", help="one line per corpus: pieces, notes, style")
    add_json_option(listing)
    listing.set_defaults(run=run_list)
    info = actions.add_parser("info", help="everything known about one corpus")
    info.add_argument("name", metavar="NAME", help="a corpus name (see 'deepcomposer datasets list') or a style")
    add_json_option(info)
    info.set_defaults(run=run_info)


def _resolve(name: str) -> str:
    """A corpus name, also when given as a style or alias ("jig" -> "oneills_1850")."""
    from ..data import list_corpora
    from ..styles import find_style

    style = find_style(name)
    return style.corpus if name not in list_corpora() and style is not None else name


def run_list(args) -> int:
    from ..data import corpus_info, list_corpora

    rows = [corpus_info(name) for name in list_corpora()]
    if args.json:
        print_json([{key: row[key] for key in ("name", "style", "pieces", "unique_pieces", "tune_groups", "notes",
                                               "splits", "description")} for row in rows])
        return 0
    print(f"{'corpus':<20} {'style':<14} {'pieces':>7} {'unique':>7} {'notes':>10}  description")
    for row in rows:
        print(f"{row['name']:<20} {row['style']:<14} {row['pieces']:>7,} {row['unique_pieces']:>7,} "
              f"{row['notes']:>10,}  {row['description']}")
    total = sum(row["pieces"] for row in rows)
    print(f"{len(rows)} corpora, {total:,} pieces (see datasets/README.md for sources, licences and quirks)")
    return 0


def run_info(args) -> int:
    from ..data import corpus_info
    from ..styles import get_style

    info = corpus_info(_resolve(args.name))
    style = get_style(info["style"])
    info["style_table"] = {"pack": style.pack, "tempo": style.tempo, "meter": "{}/{}".format(*style.meter),
                           "aliases": list(style.aliases)}
    if args.json:
        print_json(info)
        return 0
    print(f"{info['name']}: {info['description']}")
    print(f"  style        {info['style']} (pack {style.pack}, typical {style.tempo:g} BPM in "
          f"{style.meter[0]}/{style.meter[1]}; also called {', '.join(style.aliases)})")
    print(f"  pieces       {info['pieces']:,} ({info['unique_pieces']:,} unique, {info['tune_groups']:,} tunes; "
          f"{info['failures']} source pieces left out: see 'failures' in the manifest)")
    print(f"  notes        {info['notes']:,}")
    print("  splits       " + ", ".join(f"{name} {count:,}" for name, count in info["splits"].items()))
    print("  meters       " + ", ".join(f"{meter} ({count:,})" for meter, count in info["meters"].items()))
    print(f"  keys         written in {info['keys_written']:,} pieces, estimated in the rest")
    print(f"  tempo        written in {info['tempo_written']:,} pieces, the style's typical tempo in the rest")
    print(f"  file         datasets/{info['file']} ({info['bytes'] / 1e6:.2f} MB, sha256 {info['sha256'][:16]}...)")
    return 0
