"""Which files of music21's bundled corpus go into which shipped corpus, and with which label.

Lesson: lessons/02_music_as_data.ipynb (where the 14,000 songs come from).

music21 ships a public-domain corpus as ABC, MusicXML and Humdrum files. The ABC collections hold many
tunes per file (one per `X:` field), so a "source file" here may give hundreds of pieces. The build
(`build.py`) reads this table; nothing else does, so a new corpus is one more entry here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CorpusSource:
    """One shipped corpus: its name, what it holds, its style label and the music21 files it is made of.

    `patterns` are globs relative to music21's corpus folder; `exclude` drops matching files again.
    `program` is the General MIDI program given to voices whose source names no instrument.
    `four_voices` keeps only soprano, alto, tenor and bass (chorales with horn or violin doublings).
    """

    name: str
    description: str
    style: str
    patterns: tuple[str, ...]
    program: int
    exclude: tuple[str, ...] = ()
    four_voices: bool = False


ESSEN_CHINESE = ("essenFolksong/han*.abc",)
ESSEN_GERMAN = tuple(
    f"essenFolksong/{stem}*.abc"
    for stem in ("altdeu", "ballad", "boehme", "dva", "erk", "fink", "folkHaydn", "kinder", "variant", "zuccal")
)
ESSEN_OTHER = ("essenFolksong/irl.abc", "essenFolksong/lot.abc", "essenFolksong/lux.abc", "essenFolksong/test*.abc")

SOURCES: tuple[CorpusSource, ...] = (
    CorpusSource(
        "bach_chorales",
        "J. S. Bach's four-part chorales; soprano, alto, tenor and bass kept as four voices",
        "chorale",
        ("bach/*.mxl", "bach/*.xml", "bach/*.krn"),
        program=52,  # Choir Aahs
        four_voices=True,
    ),
    CorpusSource(
        "essen_german",
        "Essen folk song collection: the German collections (Erk, Boehme, Zuccalmaglio, ballads, ...)",
        "german_folk",
        ESSEN_GERMAN,
        program=73,  # Flute: a sung melody played on one instrument
    ),
    CorpusSource(
        "essen_chinese",
        "Essen folk song collection: the Chinese (Han) folk songs",
        "chinese_folk",
        ESSEN_CHINESE,
        program=77,  # Shakuhachi
    ),
    CorpusSource(
        "essen_europe",
        "Essen folk song collection: Irish, Lorraine and Luxembourg songs and the EsAC test files",
        "european_folk",
        ESSEN_OTHER,
        program=73,
    ),
    CorpusSource(
        "oneills_1850",
        "O'Neill's Music of Ireland (1903), 1850 Irish dance tunes and airs",
        "irish",
        ("oneills1850/*.abc",),
        program=40,  # Violin
    ),
    CorpusSource(
        "ryans_mammoth",
        "Ryan's Mammoth Collection (1883): American, Irish and Scottish fiddle tunes",
        "fiddle",
        ("ryansMammoth/*.abc",),
        program=40,
    ),
    CorpusSource(
        "airds_airs",
        "Aird's Selection of Scotch, English, Irish and Foreign Airs (1778-1803), six books",
        "scottish",
        ("airdsAirs/*.abc",),
        program=72,  # Piccolo: the collection was printed for fife, violin or flute
    ),
    CorpusSource(
        "palestrina",
        "Palestrina's masses: polyphonic vocal movements (4 to 8 voices)",
        "renaissance",
        ("palestrina/*.krn",),
        program=52,
    ),
    CorpusSource(
        "classical_quartets",
        "String quartet movements by Haydn, Mozart and Beethoven (a small set)",
        "classical",
        ("haydn/**/*.mxl", "mozart/**/*.mxl", "beethoven/**/*.mxl"),
        program=40,
        exclude=("mozart/k545/*",),  # a piano sonata, not a quartet
    ),
)

# When one piece exists in several formats (bwv277.krn and bwv277.mxl), the first format here wins.
FORMAT_PREFERENCE = (".mxl", ".xml", ".krn", ".abc")


def corpus_root() -> Path:
    """music21's bundled corpus folder."""
    import music21.corpus

    return Path(music21.corpus.__file__).resolve().parent


def source_files(source: CorpusSource, root: Path | None = None) -> list[str]:
    """The files of `source`, relative to the corpus root, sorted, one format per piece."""
    root = root or corpus_root()
    found: set[str] = set()
    for pattern in source.patterns:
        found.update(path.relative_to(root).as_posix() for path in root.glob(pattern) if path.is_file())
    found = {name for name in found if not any(Path(name).match(pattern) for pattern in source.exclude)}
    best: dict[str, str] = {}
    for name in sorted(found):
        stem, suffix = name.rsplit(".", 1)
        rank = FORMAT_PREFERENCE.index("." + suffix)
        if stem not in best or rank < FORMAT_PREFERENCE.index("." + best[stem].rsplit(".", 1)[1]):
            best[stem] = name
    return sorted(best.values())
