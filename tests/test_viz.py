"""Pianoroll, comparison and training-curve plots (deepcomposer_edu/viz): checked on the figure's contents."""

import matplotlib

matplotlib.use("Agg")

import pytest

from deepcomposer_edu.errors import InvalidArgumentError, OutputExistsError
from deepcomposer_edu.music import Note, Song, TimeSignature, Track
from deepcomposer_edu.viz import pitch_name, plot_comparison, plot_pianoroll, plot_training_curves, save_png


def note_collections(ax):
    return [c for c in ax.collections if (c.get_gid() or "").startswith("notes:")]


def two_track_song():
    melody = Track([Note(72, 0, 1, 30), Note(74, 1, 2, 127), Note(76, 2, 4, 80)], name="melody")
    bass = Track([Note(40, 0, 4, 100), Note(43, 4, 8, 100)], program=33, name="bass")
    return Song([melody, bass], title="two tracks")


def test_one_rectangle_per_note_per_track():
    figure = plot_pianoroll(two_track_song())
    counts = [len(c.get_paths()) for c in note_collections(figure.axes[0])]
    assert counts == [3, 2]


def test_rectangles_sit_at_the_notes_pitch_and_time():
    figure = plot_pianoroll(Song([Track([Note(64, 1.5, 3.0)])]))
    (collection,) = note_collections(figure.axes[0])
    corners = collection.get_paths()[0].vertices
    assert corners[:, 0].min() == pytest.approx(1.5) and corners[:, 0].max() == pytest.approx(3.0)
    assert corners[:, 1].min() < 64 < corners[:, 1].max()
    assert corners[:, 1].max() - corners[:, 1].min() < 1  # thinner than a semitone row


def test_axis_limits_cover_every_note():
    figure = plot_pianoroll(two_track_song())
    ax = figure.axes[0]
    low, high = ax.get_ylim()
    assert low < 40 and high > 76
    assert ax.get_xlim() == (0.0, 8.0)


def test_legend_labels_are_the_track_names_and_unnamed_tracks_get_numbers():
    song = two_track_song()
    song.tracks.append(Track([Note(36, 0, 1)], is_drum=True))
    labels = [t.get_text() for t in plot_pianoroll(song).axes[0].get_legend().get_texts()]
    assert labels == ["melody", "bass", "Track 3"]


def test_louder_notes_are_more_opaque():
    figure = plot_pianoroll(two_track_song())
    melody = note_collections(figure.axes[0])[0]
    alphas = melody.get_facecolors()[:, 3]  # velocities 30, 127, 80
    assert alphas[0] < alphas[2] < alphas[1] == pytest.approx(1.0)


def test_tracks_have_distinct_colours():
    melody, bass = note_collections(plot_pianoroll(two_track_song()).axes[0])
    assert tuple(melody.get_edgecolors()[0]) != tuple(bass.get_edgecolors()[0])


def test_time_range_shows_only_the_notes_that_sound_in_it():
    figure = plot_pianoroll(two_track_song(), start_beat=2, end_beat=6)
    ax = figure.axes[0]
    assert ax.get_xlim() == (2.0, 6.0)
    assert [len(c.get_paths()) for c in note_collections(ax)] == [1, 2]  # the E5 at 2-4; both bass notes


def test_pitch_axis_is_named_with_middle_c_as_c4():
    assert [pitch_name(p) for p in (60, 69, 61, 21, 127)] == ["C4", "A4", "C#4", "A0", "G9"]
    figure = plot_pianoroll(Song([Track([Note(60, 0, 1), Note(67, 1, 2)])]))
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert "C4" in labels and "G4" in labels


def test_bar_lines_follow_the_meter_and_bars_axis_counts_from_one():
    song = Song([Track([Note(60, 0, 9)])], time_signatures=[TimeSignature(0, 3, 4)])
    ax = plot_pianoroll(song, x_axis="bars").axes[0]
    assert list(ax.get_xticks()) == [0, 3, 6, 9]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3", "4"]


def test_empty_song_still_plots():
    ax = plot_pianoroll(Song()).axes[0]
    assert note_collections(ax) == []
    assert ax.get_xlim()[1] > 0


def test_bad_time_range_is_a_clear_error():
    with pytest.raises(InvalidArgumentError, match="end_beat"):
        plot_pianoroll(two_track_song(), start_beat=4, end_beat=2)


def test_comparison_shares_one_pitch_axis():
    low = Song([Track([Note(40, 0, 4)])])
    high = Song([Track([Note(80, 0, 4)])])
    left, right = plot_comparison(low, high, titles=("theme", "up two octaves")).axes
    assert left.get_ylim() == right.get_ylim()
    assert left.get_ylim()[0] < 40 and left.get_ylim()[1] > 80
    assert (left.get_title(), right.get_title()) == ("theme", "up two octaves")


def test_training_curves_split_losses_from_metrics():
    figure = plot_training_curves({"g_loss": [3, 2, 1], "d_loss": [1, 1, 1], "accuracy": [0.1, 0.5, 0.9]})
    losses, metrics = figure.axes
    assert sorted(line.get_label() for line in losses.get_lines()) == ["d_loss", "g_loss"]
    assert [list(line.get_ydata()) for line in metrics.get_lines()] == [[0.1, 0.5, 0.9]]


def test_training_curves_from_a_list_of_logged_steps():
    history = [{"step": 10, "loss": 2.0}, {"step": 20, "loss": 1.5}, {"step": 30, "loss": 1.0}]
    (ax,) = plot_training_curves(history).axes
    (line,) = ax.get_lines()
    assert list(line.get_xdata()) == [10, 20, 30] and ax.get_xlabel() == "step"


def test_training_curves_reject_empty_history():
    with pytest.raises(InvalidArgumentError):
        plot_training_curves({})


def test_save_png_writes_a_png_and_refuses_to_overwrite(tmp_path):
    path = tmp_path / "roll.png"
    save_png(plot_pianoroll(two_track_song()), path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(OutputExistsError):
        save_png(plot_pianoroll(two_track_song()), path)
    save_png(plot_pianoroll(two_track_song()), path, overwrite=True)


def test_figures_are_not_left_open_in_pyplot_and_axes_can_be_given():
    import matplotlib.pyplot as plt

    plt.close("all")
    plot_pianoroll(two_track_song())
    plot_comparison(two_track_song(), two_track_song())
    assert plt.get_fignums() == []  # shown once by the notebook through the returned value, no leak
    figure, (left, right) = plt.subplots(1, 2)
    assert plot_pianoroll(two_track_song(), ax=right) is figure
    assert len(note_collections(right)) == 2 and note_collections(left) == []
    plt.close(figure)
