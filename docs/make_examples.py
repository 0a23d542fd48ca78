"""Write the example pictures under docs/images/ (run from the repository root: python docs/make_examples.py).

They show what deepcomposer_edu.viz draws, and are how its looks are checked by eye: the shipped example
theme as a pianoroll, the theme with a band accompaniment (bars on the x axis, a time range), the theme
beside its transposition, and training curves (an illustrative, made-up history).
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from deepcomposer_edu.examples import example_theme  # noqa: E402
from deepcomposer_edu.music import Note, Song, Track  # noqa: E402
from deepcomposer_edu.music.ops import transpose  # noqa: E402
from deepcomposer_edu.viz import plot_comparison, plot_pianoroll, plot_training_curves, save_png  # noqa: E402

IMAGES = Path(__file__).resolve().parent / "images"
PROGRESSION = [[48, 52, 55], [45, 48, 52], [41, 45, 48], [43, 47, 50]]  # C, Am, F, G (one chord a bar)


def with_band(theme: Song) -> Song:
    """The theme plus chords, a bass line and a drum beat, one chord per bar."""
    chords, bass, drums = [], [], []
    for bar, start in enumerate(theme.bar_starts()):
        chord = PROGRESSION[bar % len(PROGRESSION)]
        chords += [Note(pitch, start, start + 4, 60) for pitch in chord]
        bass += [Note(chord[0] - 12, start + beat, start + beat + 1, 95) for beat in range(4)]
        drums += [Note(36, start, start + 0.5, 110), Note(38, start + 1, start + 1.5, 90),
                  Note(36, start + 2, start + 2.5, 110), Note(38, start + 3, start + 3.5, 90)]
        drums += [Note(42, start + eighth / 2, start + eighth / 2 + 0.25, 50 + 30 * (eighth % 2 == 0)) for eighth in range(8)]
    melody = theme.tracks[0]
    tracks = [Track(melody.notes, program=73, name="melody (flute)"), Track(chords, program=0, name="chords (piano)"),
              Track(bass, program=33, name="bass"), Track(drums, is_drum=True, name="drums")]
    return Song(tracks, tempos=theme.tempos, time_signatures=theme.time_signatures, key=theme.key, title="theme with a band")


def illustrative_history(steps: int = 60) -> list[dict]:
    """A made-up GAN training log, shaped like a real one, for the picture only."""
    return [{"step": step, "generator_loss": 2.5 * math.exp(-step / 20) + 0.9 + 0.1 * math.sin(step / 2),
             "critic_loss": 0.3 + 0.6 * math.exp(-step / 15) + 0.05 * math.cos(step / 3),
             "in_scale_rate": 0.55 + 0.4 * (1 - math.exp(-step / 25))} for step in range(0, steps + 1, 2)]


def main() -> None:
    theme = example_theme()
    theme.title = theme.title or "the example theme"
    pictures = {
        "pianoroll_theme.png": plot_pianoroll(theme),
        "pianoroll_band.png": plot_pianoroll(with_band(theme), start_beat=0, end_beat=16, x_axis="bars"),
        "comparison_transpose.png": plot_comparison(theme, transpose(theme, 7), titles=("theme", "up a fifth")),
        "training_curves.png": plot_training_curves(illustrative_history(), title="GAN training (illustrative)"),
    }
    for name, figure in pictures.items():
        print("wrote", save_png(figure, IMAGES / name, overwrite=True))


if __name__ == "__main__":
    main()
