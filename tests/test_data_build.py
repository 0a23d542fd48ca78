"""The corpus build (deepcomposer_edu/data/build.py, extract.py, assemble.py) on tiny hand-made inputs."""

import io

import numpy as np
import pytest

from deepcomposer_edu.data import assemble, build, extract
from deepcomposer_edu.data.corpora import read_corpus_file

ABC_FILE = """% a file header comment
X:1
T:Pickup, tie, grace note and chord symbol
M:3/4
L:1/8
K:G
D2|"G"G2 A2 B2-|B2 {c}B2 A2|G6|]

X:2
T:Second tune
M:2/4
L:1/8
K:Ador
A2 B2|c4|]
"""


def test_abc_files_are_split_into_tunes_that_keep_the_header():
    tunes = build.abc_tunes(ABC_FILE)
    assert len(tunes) == 2
    assert all(tune.startswith("% a file header comment\nX:") for tune in tunes)
    assert "Second tune" in tunes[1] and "Second tune" not in tunes[0]


def parse(tune_text):
    from music21 import converter

    return extract.piece_from_score(converter.parseData(tune_text, format="abc"), "test#1", 40)


def test_a_tune_worked_by_hand():
    piece = parse(build.abc_tunes(ABC_FILE)[0])
    # 3/4 with a one-beat pickup (D2 = an eighth... L:1/8, so D2 is a quarter): shifted by two beats.
    tpb = extract.TICKS_PER_BEAT
    assert piece["pickup"] == 2 * tpb
    assert piece["time_signatures"] == [[0, 3, 4]]
    assert piece["key"] == "G major" and piece["key_source"] == "written"
    assert piece["grace_dropped"] == 1  # {c}
    # (pitch, start beat, end beat): D4 pickup, then G A B, B tied over the bar line (one note), B A, G.
    expected = [(62, 2, 3), (67, 3, 4), (69, 4, 5), (71, 5, 7), (71, 7, 8), (69, 8, 9), (67, 9, 12)]
    assert [(p, s / tpb, e / tpb) for p, s, e, _, _ in piece["notes"]] == expected
    assert piece["voices"] == [{"name": "Voice 1", "program": 40}]  # the chord symbol "G" is not a note


def test_modes_and_meters_are_kept():
    piece = parse(build.abc_tunes(ABC_FILE)[1])
    assert piece["key"] == "A dorian"
    assert piece["meter"] == "2/4" and piece["pickup"] == 0


def test_short_bars_mid_tune_get_their_own_meter():
    tune = "X:1\nM:4/4\nL:1/4\nK:C\nC D E F|G A B c|d2 e:|f|g4|a4|]\n"
    piece = parse(tune)
    # bars: 4 beats, 4, a 3-beat bar before the repeat, a 1-beat bar, then 4/4 again.
    assert piece["time_signatures"] == [[0, 4, 4], [8 * 24, 3, 4], [11 * 24, 1, 4], [12 * 24, 4, 4]]
    starts = [row[1] / 24 for row in piece["notes"]]
    assert starts[-3:] == [11.0, 12.0, 16.0]  # f, g, a: each on its bar line


def test_signature_for_prefers_the_written_denominator():
    assert extract.signature_for(3.5, 4) == (7, 8)
    assert extract.signature_for(3.0, 8) == (6, 8)
    assert extract.signature_for(0.125, 4) == (1, 32)


def test_npz_bytes_are_reproducible_and_load_without_pickles():
    arrays = {"pitch": np.array([60, 62], dtype=np.uint8), "start": np.array([0, 24], dtype=np.int32)}
    first, second = assemble.npz_bytes(arrays), assemble.npz_bytes(dict(arrays))
    assert first == second
    with np.load(io.BytesIO(first), allow_pickle=False) as archive:
        assert archive["pitch"].tolist() == [60, 62] and archive["start"].dtype == np.int32


def test_assembled_corpus_file_reads_back(tmp_path):
    from deepcomposer_edu.data.sources import CorpusSource

    tunes = build.abc_tunes(ABC_FILE)
    source = CorpusSource("tiny", "two test tunes", "irish", ("none",), program=40)
    jobs = [build.Job("tiny", "tiny.abc", 40, i + 1, text) for i, text in enumerate(tunes)]
    results = [{"piece": parse(text) | {"id": job.piece_id}} for job, text in zip(jobs, tunes)]
    results.append({"error": "ValueError: no notes"})
    jobs.append(build.Job("tiny", "tiny.abc", 40, 3, "X:3\n"))
    manifest = assemble.write_datasets([source], jobs, results, tmp_path)
    assert manifest["totals"]["pieces"] == 2 and manifest["failures"] == [{"id": "tiny.abc#3", "reason": "ValueError: no notes"}]
    corpus = read_corpus_file(tmp_path / "tiny.npz", "tiny")
    assert len(corpus) == 2 and corpus.pieces[1]["key"] == "A dorian"
    assert corpus.notes(1)["pitch"].tolist() == [69, 71, 72]
    assert sorted(sum(manifest["splits"]["tiny"].values(), [])) == ["tiny.abc#1", "tiny.abc#2"]
    with pytest.raises(Exception, match="already exists"):
        assemble.write_datasets([source], jobs, results, tmp_path)  # no --overwrite
