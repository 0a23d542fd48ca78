"""The shipped corpora (datasets/, deepcomposer_edu/data/corpora.py) against their manifest."""

import hashlib
import json
from collections import defaultdict

import numpy as np
import pytest

from deepcomposer_edu.data import corpora, corpus_info, corpus_songs, datasets_dir, list_corpora, load_corpus
from deepcomposer_edu.data.corpora import TICKS_PER_BEAT
from deepcomposer_edu.errors import InvalidArgumentError

MANIFEST = corpora.manifest()


def test_shipped_files_match_the_manifest_checksums():
    folder = datasets_dir()
    for name, info in MANIFEST["corpora"].items():
        data = (folder / info["file"]).read_bytes()
        assert len(data) == info["bytes"], name
        assert hashlib.sha256(data).hexdigest() == info["sha256"], name


def test_the_corpus_is_big_and_small():
    assert MANIFEST["totals"]["pieces"] >= 14_000
    assert MANIFEST["totals"]["unique_pieces"] <= MANIFEST["totals"]["pieces"]
    shipped = sum(path.stat().st_size for path in datasets_dir().iterdir() if path.is_file())
    assert shipped < 30 * 1024 * 1024  # the git budget for datasets/


def test_each_corpus_loads_with_consistent_columns_and_metadata():
    for name in list_corpora():
        corpus = load_corpus(name)
        info = MANIFEST["corpora"][name]
        assert len(corpus) == info["pieces"] and len(corpus.pitch) == info["notes"]
        assert corpus.offsets[0] == 0 and corpus.offsets[-1] == len(corpus.pitch)
        assert np.all(np.diff(corpus.offsets) > 0), "every piece has notes"
        assert np.all(corpus.end > corpus.start) and corpus.pitch.max() <= 127
        for piece in corpus.pieces[:: max(1, len(corpus) // 50)]:
            index = corpus.find(piece["id"])
            assert int(corpus.voice[corpus.rows(index)].max()) < len(piece["voices"])
            assert piece["corpus"] == name and piece["style"] == info["style"]
        assert not corpus.pitch.flags.writeable  # shared, cached arrays: read-only


def test_splits_in_the_files_are_the_frozen_splits_of_the_manifest():
    for name in list_corpora():
        corpus = load_corpus(name)
        found = defaultdict(list)
        for piece in corpus.pieces:
            found[piece["split"]].append(piece["id"])
        assert {split: found[split] for split in ("train", "valid", "test")} == MANIFEST["splits"][name]


def test_no_tune_group_and_no_melody_is_in_two_splits():
    split_of_group, split_of_melody = {}, {}
    for name in list_corpora():
        corpus = load_corpus(name)
        for index, piece in enumerate(corpus.pieces):
            assert split_of_group.setdefault(piece["group"], piece["split"]) == piece["split"]
            # An independent check: the melody's whole interval sequence, in any key and any rhythm.
            # Rows are sorted by start, voice, pitch: the top note of an onset is its last voice-0 row.
            notes = corpus.notes(index)
            melody = notes["voice"] == 0
            starts, pitches = notes["start"][melody], notes["pitch"][melody].astype(int)
            top = pitches[np.append(starts[1:] != starts[:-1], True)]
            intervals = tuple(np.diff(top).tolist())
            if len(intervals) >= 16:
                assert split_of_melody.setdefault(intervals, piece["split"]) == piece["split"], piece["id"]


def test_chorales_have_four_named_voices_and_a_classic_sized_split():
    chorales = load_corpus("bach_chorales")
    assert all([v["name"] for v in piece["voices"]] == ["Soprano", "Alto", "Tenor", "Bass"] for piece in chorales.pieces)
    counts = MANIFEST["corpora"]["bach_chorales"]["splits"]
    assert counts["train"] > counts["valid"] and counts["train"] > counts["test"]
    assert 0.5 < counts["train"] / sum(counts.values()) < 0.7  # like 229 / 382 of the classic JSB split


def test_essen_collections_are_labelled_apart():
    chinese = load_corpus("essen_chinese").pieces
    german = load_corpus("essen_german").pieces
    assert all("/han" in piece["id"] for piece in chinese)
    assert not any("/han" in piece["id"] for piece in german)
    assert sum("China" in piece.get("origin", "") for piece in chinese) > 0.9 * len(chinese)


def test_song_of_a_piece_matches_its_columns():
    chorales = load_corpus("bach_chorales")
    index = chorales.find("bach/bwv66.6.mxl")
    song = chorales.song(index)
    columns = chorales.notes(index)
    assert [t.name for t in song.tracks] == ["Soprano", "Alto", "Tenor", "Bass"]
    assert song.note_count == len(columns["pitch"])
    soprano = sorted((n.start, n.pitch) for n in song.tracks[0].notes)
    mask = columns["voice"] == 0
    assert soprano == sorted(zip((columns["start"][mask] / TICKS_PER_BEAT).tolist(), columns["pitch"][mask].tolist()))
    assert song.key == chorales.pieces[index]["key"]


def test_a_piece_without_a_written_tempo_gets_its_styles_tempo():
    from deepcomposer_edu.styles import get_style

    folk = load_corpus("essen_german")
    index = next(i for i, piece in enumerate(folk.pieces) if piece["tempo"] is None)
    assert folk.song(index).tempo == get_style("german_folk").tempo


def test_names_styles_and_errors():
    assert load_corpus("jig") is load_corpus("oneills_1850")  # a style alias finds its corpus
    with pytest.raises(InvalidArgumentError, match="unknown corpus 'nope'.*bach_chorales"):
        load_corpus("nope")
    with pytest.raises(InvalidArgumentError, match="no piece"):
        load_corpus("bach_chorales").find("bach/none.mxl")
    with pytest.raises(InvalidArgumentError, match="split"):
        load_corpus("bach_chorales").indices("training")
    assert corpus_info("palestrina")["style"] == "renaissance"


def test_corpus_songs_of_one_split():
    songs, ids = corpus_songs("bach_chorales:test", limit=3)
    assert len(songs) == 3 and all(i in MANIFEST["splits"]["bach_chorales"]["test"] for i in ids)


def test_the_manifest_names_the_music21_version_and_failures():
    assert MANIFEST["music21_version"].count(".") >= 1
    assert all(set(failure) == {"id", "reason"} for failure in MANIFEST["failures"])
    json.dumps(MANIFEST)  # plain JSON throughout


def test_datasheet_reports_the_manifest_counts():
    readme = (datasets_dir() / "README.md").read_text(encoding="utf-8")
    assert f"**{MANIFEST['totals']['pieces']:,}\npieces**" in readme or f"**{MANIFEST['totals']['pieces']:,} pieces**" in readme
    for name, info in MANIFEST["corpora"].items():
        assert f"| `{name}` | {info['style']} | {info['pieces']:,} | {info['unique_pieces']:,} |" in readme, name


@pytest.mark.slow
def test_a_wheel_carries_the_corpora_inside_the_package(tmp_path):
    import subprocess
    import sys
    import zipfile
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", str(root),
                    "-w", str(tmp_path)], check=True, timeout=600, capture_output=True)
    wheel = zipfile.ZipFile(next(tmp_path.glob("*.whl")))
    names = set(wheel.namelist())
    assert {"deepcomposer_edu/datasets/manifest.json", "deepcomposer_edu/datasets/README.md"} <= names
    for info in MANIFEST["corpora"].values():
        data = wheel.read(f"deepcomposer_edu/datasets/{info['file']}")  # a real copy, not a link
        assert hashlib.sha256(data).hexdigest() == info["sha256"]
