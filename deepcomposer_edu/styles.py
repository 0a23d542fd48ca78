"""The one table of musical styles: what each style is called, where its music comes from, how it sounds.

Lesson: lessons/02_music_as_data.ipynb (the corpus and its styles); used again in lessons 06 and 07.

Every part of the course that speaks of a style (the datasets, the style-transfer model, the mood mapping,
the client's `generate_music(style=...)`) looks it up here, so a style has one name everywhere:

- `corpus`: the shipped corpus that holds its music (`deepcomposer_edu.data.load_corpus`);
- `pack`: the default instrument pack that plays it (`orchestral`, `band`, `synth`, `world`, `percussion`,
  `piano`: see `audio/instruments.py`);
- `tempo` (quarter notes per minute) and `meter`: typical values, used when a piece writes none (the
  meter is the commonest opening meter of the corpus; the tempo the median written one where the sources
  write tempos, else a usual tempo for the style);
- `aliases`: the other words a learner might type ("jig", "bach", "cinematic", ...).

"Genre" means the same as "style" here: `resolve_style(genre="jig")` works like `resolve_style(style="jig")`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InvalidArgumentError

PACKS = ("orchestral", "band", "synth", "world", "percussion", "piano")  # audio/instruments.py plays them
STYLE_WORDS = ("style", "genre")  # the two names a parameter for a style may have


@dataclass(frozen=True)
class Style:
    """One style: its name, its corpus, its default instrument pack, a typical tempo and meter."""

    name: str
    description: str
    corpus: str
    pack: str
    tempo: float
    meter: tuple[int, int]
    aliases: tuple[str, ...] = ()


STYLES: tuple[Style, ...] = (
    Style("chorale", "four-part hymns harmonised by J. S. Bach", "bach_chorales", "orchestral", 76.0, (4, 4),
          ("chorales", "bach", "hymn", "choral", "baroque", "jsb")),
    Style("german_folk", "German folk songs (Essen collection)", "essen_german", "piano", 100.0, (4, 4),
          ("folk", "folksong", "german", "volkslied")),
    Style("chinese_folk", "Chinese (Han) folk songs (Essen collection)", "essen_chinese", "world", 80.0, (2, 4),
          ("chinese", "china", "han")),
    Style("european_folk", "Irish, Lorraine and Luxembourg songs (Essen collection)", "essen_europe", "piano", 100.0,
          (4, 4), ("european", "luxembourg", "lorraine")),
    Style("irish", "Irish dance tunes and airs: jigs, reels, hornpipes (O'Neill's)", "oneills_1850", "world", 180.0,
          (6, 8), ("jig", "jigs", "reel", "reels", "celtic", "ireland", "oneills")),
    Style("fiddle", "American, Irish and Scottish fiddle tunes (Ryan's Mammoth Collection)", "ryans_mammoth", "orchestral",
          180.0, (2, 4), ("fiddle_tunes", "hornpipe", "strathspey", "ryans", "american")),
    Style("scottish", "Scottish and English airs for fife, violin or flute (Aird's Airs)", "airds_airs", "world", 135.0,
          (4, 4), ("scotland", "airs", "aird", "airds")),
    Style("renaissance", "Palestrina's polyphonic masses", "palestrina", "orchestral", 120.0, (4, 2),
          ("palestrina", "polyphony", "mass", "early_music")),
    Style("classical", "string quartets by Haydn, Mozart and Beethoven", "classical_quartets", "orchestral", 110.0,
          (3, 4), ("quartet", "string_quartet", "haydn", "mozart", "beethoven", "symphony", "cinematic", "film")),
)


def normalise(word: str) -> str:
    """'String Quartet' -> 'string_quartet': how style names and aliases are compared."""
    return "_".join(word.strip().lower().replace("-", " ").replace("'", "").split())


def _index() -> dict[str, Style]:
    index: dict[str, Style] = {}
    for style in STYLES:
        for word in (style.name, *style.aliases):
            index[normalise(word)] = style
    return index


_BY_WORD = _index()


def style_names() -> list[str]:
    """The style names, in table order."""
    return [style.name for style in STYLES]


def find_style(word: str) -> Style | None:
    """The style called `word` (a name or an alias, any case), or None."""
    return _BY_WORD.get(normalise(word)) if isinstance(word, str) else None


def get_style(word: str) -> Style:
    """The style called `word`; an `InvalidArgumentError` that lists the styles if there is none."""
    style = find_style(word)
    if style is None:
        raise InvalidArgumentError(f"unknown style {word!r}; the styles are: {', '.join(style_names())}")
    return style


def resolve_style(style: str | None = None, genre: str | None = None, default: str | None = None) -> Style:
    """The style a caller asked for under either name, `style=` or `genre=` (they mean the same)."""
    if style is not None and genre is not None and get_style(style) != get_style(genre):
        raise InvalidArgumentError(f"style={style!r} and genre={genre!r} disagree; give only one of them")
    word = style if style is not None else genre if genre is not None else default
    if word is None:
        raise InvalidArgumentError(f"no style given; the styles are: {', '.join(style_names())}")
    return get_style(word)
