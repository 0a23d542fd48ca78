"""The evaluation report and `deepcomposer evaluate`: what the table says, which files appear, and refusals."""

import json
import subprocess
import sys

import pytest

from deepcomposer_edu.cli import main
from deepcomposer_edu.metrics.report import evaluate_sets, write_report
from deepcomposer_edu.music import Note, Song, Track, write_midi


def scale(root: int) -> Song:
    return Song(tracks=[Track([Note(root + s, i, i + 1) for i, s in enumerate([0, 2, 4, 5, 7, 9, 11, 12])])])


def cluster(low: int) -> Song:
    return Song(tracks=[Track([Note(p, 0, 4) for p in range(low, low + 12)])])


def tune(seed: int) -> Song:
    """A 16-bar melody of eighths and quarters whose pitches follow a fixed pseudo-random sequence."""
    pitches = [60 + (seed * 7 + i * i * 5 + i * seed) % 17 for i in range(48)]
    beats, notes = 0.0, []
    for i, pitch in enumerate(pitches):
        length = 0.5 if (i + seed) % 3 else 1.0
        notes.append(Note(pitch, beats, beats + length))
        beats += length
    return Song(tracks=[Track(notes)])


@pytest.fixture()
def folders(tmp_path):
    generated, reference = tmp_path / "generated", tmp_path / "reference"
    for i, root in enumerate([60, 65]):
        write_midi(scale(root), generated / f"scale{i}.mid")
    write_midi(tune(4), generated / "copied.mid")  # a reference tune, played again
    for i, low in enumerate([48, 55, 60]):
        write_midi(cluster(low), reference / f"cluster{i}.mid")
    for seed in range(3, 6):
        write_midi(tune(seed), reference / "tunes" / f"tune{seed}.midi")
    return generated, reference


def test_markdown_report_table_and_plots(folders, tmp_path):
    generated, reference = folders
    report = tmp_path / "out" / "report.md"
    assert main(["evaluate", str(generated), "--reference", str(reference), "-o", str(report)]) == 0
    text = report.read_text()
    assert (tmp_path / "out" / "report_values.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "out" / "report_distances.png").read_bytes()[:4] == b"\x89PNG"
    assert "](report_values.png)" in text and "](report_distances.png)" in text
    rows = {line.split(" | ")[0].strip("| "): line.split(" | ") for line in text.splitlines() if line.startswith("| ")}
    # generated: two C-to-C scales (12 semitones, 7 pitch classes) and one tune; reference: three clusters
    # (11 semitones, 12 pitch classes) and three tunes: so the generated set has 3 pieces, the reference 6.
    assert "3 generated pieces" in text and "6 reference pieces" in text
    assert rows["copied.mid"][-1].strip(" |") == "YES"
    assert rows["scale0.mid"][-1].strip(" |") == "no"
    assert "tune4.midi" in rows["copied.mid"][2]


def test_html_report_is_one_self_contained_file_and_json_says_the_same(folders, tmp_path, capsys):
    generated, reference = folders
    report = tmp_path / "report.html"
    assert main(["evaluate", str(generated), "--reference", str(reference), "-o", str(report), "--json"]) == 0
    page = report.read_text()
    assert page.count("data:image/png;base64,") == 2
    assert "src=\"http" not in page and ".png\"" not in page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated", "reference", "report.html"]
    result = json.loads(capsys.readouterr().out)
    tune_classes = [len({n.pitch % 12 for n in tune(seed).tracks[0].notes}) for seed in range(3, 6)]
    assert result["metrics"]["n_pitch_classes_used"]["reference_mean"] == pytest.approx((3 * 12 + sum(tune_classes)) / 6)
    assert [row["likely_copy"] for row in result["originality"]] == [True, False, False]  # copied, scale0, scale1
    assert "<h2>Originality</h2>" in page


def test_table_values_hand_worked():
    evaluation = evaluate_sets([scale(60), scale(62)], [cluster(48), cluster(50), cluster(52)], progress=False)
    pitch_range = evaluation.comparisons["pitch_range"]
    assert (pitch_range.generated_mean, pitch_range.generated_sd) == (12, 0)
    assert (pitch_range.reference_mean, pitch_range.reference_sd) == (11, 0)
    # every distance between clusters is 0, every scale-cluster distance 1: no overlap at all
    assert pitch_range.overlapping_area < 1e-6
    classes = evaluation.comparisons["n_pitch_classes_used"]
    assert (classes.generated_mean, classes.reference_mean) == (7, 12)
    assert not any(result.likely_copy for _, result in evaluation.originality)


def test_refuses_to_overwrite_without_permission(folders, tmp_path):
    generated, reference = folders
    report = tmp_path / "report.md"
    report.write_text("my notes")
    assert main(["evaluate", str(generated), "--reference", str(reference), "-o", str(report)]) == 2
    assert report.read_text() == "my notes"
    assert not (tmp_path / "report_values.png").exists()
    evaluation = evaluate_sets([scale(60), scale(62)], [scale(64), scale(57)], originality=False, progress=False)
    written = write_report(evaluation, report, overwrite=True)  # the same from Python
    assert [p.name for p in written] == ["report.md", "report_values.png", "report_distances.png"]
    assert report.read_text().startswith("# Evaluation report")


def test_a_png_in_the_way_also_stops_the_report(folders, tmp_path):
    generated, reference = folders
    (tmp_path / "r_distances.png").write_bytes(b"mine")
    assert main(["evaluate", str(generated), "--reference", str(reference), "-o", str(tmp_path / "r.md")]) == 2
    assert not (tmp_path / "r.md").exists()


@pytest.mark.parametrize("make_args, message", [
    (lambda g, r, t: [str(t / "missing"), "--reference", str(r), "-o", str(t / "r.md")], "not a folder"),
    (lambda g, r, t: [str(t / "empty"), "--reference", str(r), "-o", str(t / "r.md")], "no MIDI files"),
    (lambda g, r, t: [str(g), "--reference", str(r), "-o", str(t / "r.pdf")], "must end in .md"),
    (lambda g, r, t: [str(g), "--reference", str(r), "-o", str(t / "r.md"), "--max-reference", "1"], "at least 2"),
])
def test_bad_input_is_one_line_and_exit_2(folders, tmp_path, capsys, make_args, message):
    generated, reference = folders
    (tmp_path / "empty").mkdir()
    assert main(["evaluate", *make_args(generated, reference, tmp_path)]) == 2
    error = capsys.readouterr().err
    assert message in error and len(error.strip().splitlines()) == 1


def test_exit_code_and_message_from_a_real_process(tmp_path):
    process = subprocess.run(
        [sys.executable, "-m", "deepcomposer_edu.cli", "evaluate", str(tmp_path / "missing"), "--reference",
         str(tmp_path), "-o", str(tmp_path / "r.md")],
        capture_output=True, text=True, timeout=120,
    )
    assert process.returncode == 2
    assert process.stderr.strip() == f"deepcomposer: error: {tmp_path / 'missing'}: not a folder"


def test_a_broken_midi_file_is_named(folders, tmp_path):
    generated, reference = folders
    (generated / "broken.mid").write_bytes(b"not midi at all")
    assert main(["evaluate", str(generated), "--reference", str(reference), "-o", str(tmp_path / "r.md")]) == 2
    assert not (tmp_path / "r.md").exists()


def shipped_corpora() -> list[str]:
    try:
        from deepcomposer_edu.data import list_corpora

        return list_corpora()
    except Exception:
        return []


@pytest.mark.skipif("bach_chorales" not in shipped_corpora(), reason="the shipped corpora are not built in this checkout")
def test_a_corpus_split_as_the_reference():
    from deepcomposer_edu.commands.evaluate import read_reference
    from deepcomposer_edu.data import load_corpus

    songs, names = read_reference("bach_chorales:test")
    corpus = load_corpus("bach_chorales")
    assert len(songs) == len(names) == len(corpus.indices("test")) > 10
    assert all(corpus.pieces[corpus.find(name)]["split"] == "test" for name in names[:5])
    assert all(song.note_count > 0 for song in songs)


def test_an_unknown_corpus_is_named(folders, tmp_path, capsys):
    generated, _ = folders
    assert main(["evaluate", str(generated), "--reference", "no_such_corpus", "-o", str(tmp_path / "r.md")]) == 2
    assert "no_such_corpus" in capsys.readouterr().err
