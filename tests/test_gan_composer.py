"""The GAN composer (deepcomposer_edu/gan_composer.py): Songs in and out of the GAN, on a tiny untrained model.

The shapes are small (2-bar windows, 32 pitches from 48) so each test runs in well under a second; the
composer's logic depends only on the config, so it is the same code the shipped 8-bar model runs.
"""

import json

import numpy as np
import pytest
import torch

from deepcomposer_edu import gan_composer as gc
from deepcomposer_edu.audio.instruments import PACKS, PRESETS
from deepcomposer_edu.client import Client
from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.models.gan import Critic, GanConfig, Generator, binarize
from deepcomposer_edu.music import Note, Song, TempoChange, Track
from deepcomposer_edu.music.midi import midi_bytes
from deepcomposer_edu.registry import ModelCard, Registry

TINY = GanConfig(n_bars=2, n_pitches=32, lowest_pitch=48, latent_size=8, width=4, critic_steps=1)


def tiny_settings(**extra):
    return {"gan": TINY.to_dict(), "tempo": 64.0, "pack": "orchestral", "threshold": 0.5, **extra}


def tiny_composer(seed: int = 0, bias: float = 0.0, **settings) -> gc.GanComposer:
    """An untrained tiny GAN. `bias` is added to the output layer so that many cells are 'on'."""
    torch.manual_seed(seed)
    generator, critic = Generator(TINY), Critic(TINY)
    with torch.no_grad():
        generator.to_tracks.bias += bias
    return gc.GanComposer(gc.join_tensors(generator, critic), tiny_settings(**settings))


def save_tiny_model(registry: Registry, name: str = "gan-tiny") -> None:
    torch.manual_seed(0)
    registry.save(ModelCard(name=name, type="gan", settings=tiny_settings()),
                  gc.join_tensors(Generator(TINY), Critic(TINY)))


def program_of(instrument: str) -> int:
    return PRESETS[instrument].program


# --- binarisation ---


def test_one_note_per_track_keeps_each_tracks_most_likely_pitch_above_threshold():
    probabilities = torch.tensor([[[[0.1, 0.7, 0.6],    # track 0, step 0: pitch 1 (0.7) wins over 0.6
                                    [0.2, 0.3, 0.4]],   # step 1: nothing above 0.5, silent
                                   [[0.9, 0.95, 0.0],   # track 1, step 0: pitch 1
                                    [0.0, 0.0, 0.51]]]])  # step 1: pitch 2
    expected = torch.tensor([[[[0, 1, 0], [0, 0, 0]], [[0, 1, 0], [0, 0, 1]]]], dtype=torch.float32)
    assert torch.equal(binarize(probabilities, 0.5, one_note_per_track=True), expected)
    plain = torch.tensor([[[[0, 1, 1], [0, 0, 0]], [[1, 1, 0], [0, 0, 1]]]], dtype=torch.float32)
    assert torch.equal(binarize(probabilities, 0.5), plain)


def test_hold_keeps_the_last_sure_pitch_instead_of_resting():
    probabilities = torch.tensor([[[[0.1, 0.2, 0.0],    # step 0: nothing sure, nothing to hold: rest
                                    [0.0, 0.9, 0.1],    # step 1: pitch 1
                                    [0.3, 0.0, 0.2],    # step 2: unsure: pitch 1 held (not 0, its best)
                                    [0.0, 0.0, 0.6]]]])  # step 3: pitch 2
    expected = torch.tensor([[[[0, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1]]]], dtype=torch.float32)
    assert torch.equal(binarize(probabilities, 0.5, one_note_per_track=True, hold=True), expected)


def test_no_unison_gives_a_lower_voice_its_next_best_pitch():
    probabilities = torch.tensor([[[[0.1, 0.9, 0.2]],    # soprano: pitch 1
                                   [[0.0, 0.8, 0.7]],    # alto: pitch 1 is taken, 2 (0.7) instead
                                   [[0.6, 0.9, 0.95]]]])  # tenor: 2 and 1 taken, 0 (0.6)
    expected = torch.tensor([[[[0, 1, 0]], [[0, 0, 1]], [[1, 0, 0]]]], dtype=torch.float32)
    assert torch.equal(binarize(probabilities, 0.5, one_note_per_track=True, no_unison=True), expected)
    alone = binarize(probabilities, 0.5, one_note_per_track=True)
    assert alone[0, :, 0].argmax(dim=-1).tolist() == [1, 1, 2]  # without it, soprano and alto sing pitch 1


# --- generating ---


def test_thirty_seconds_at_64_bpm_is_eight_bars_of_four_voices_in_the_window():
    song = tiny_composer(bias=3.0).generate(30.0, seed=1)
    assert [track.name for track in song.tracks] == ["soprano", "alto", "tenor", "bass"]
    assert song.tempo == 64.0
    notes = song.notes
    assert notes, "a biased generator turns many cells on"
    assert max(note.end for note in notes) <= 32.0  # 8 bars x 4 beats: 4 windows of 2 bars
    assert max(note.end for note in notes) > 28.0   # ... and the last window is there
    assert all(48 <= note.pitch < 80 for note in notes)
    for track in song.tracks:  # one note per voice at a time
        ordered = sorted(track.notes, key=lambda n: n.start)
        assert all(a.end <= b.start + 1e-9 for a, b in zip(ordered, ordered[1:]))


def test_length_rounds_to_whole_bars():
    composer = tiny_composer(bias=3.0)
    song = composer.generate(3 * 3.75 + 1.0, seed=0)  # 3 bars and a bit: 3 bars, 2 windows
    assert max(note.end for note in song.notes) <= 12.0


def test_same_seed_same_midi_bytes_and_another_seed_differs():
    composer = tiny_composer(bias=0.5)
    first, again, other = (midi_bytes(composer.generate(30, seed)) for seed in (4, 4, 5))
    assert first == again
    assert first != other


def test_a_batch_of_pieces_is_byte_for_byte_each_seed_made_alone():
    composer = tiny_composer(bias=0.3, key_offsets=[0.5, 0, 0.25, 0, 0, 0, 0, 0.25, 0, 0, 0, 0])
    composer.BATCH_WINDOWS = 7  # 12 pieces of 4 windows: batches that cut pieces apart, and a short last one
    together = composer.generate_batch(30.0, list(range(20, 32)))
    alone = [composer.generate(30.0, seed) for seed in range(20, 32)]
    assert [midi_bytes(song) for song in together] == [midi_bytes(song) for song in alone]
    assert [midi_bytes(song) for song in composer.generate_many(3, 30.0, seed=20)] == \
        [midi_bytes(song) for song in alone[:3]]
    assert len({midi_bytes(song) for song in together}) == 12


def test_pieces_are_moved_to_keys_drawn_from_the_key_offsets():
    in_c = tiny_composer(bias=3.0)
    in_d = tiny_composer(bias=3.0, key_offsets=[0, 0, 1.0] + [0] * 9)  # every piece 2 semitones above C/Am
    in_bb = tiny_composer(bias=3.0, key_offsets=[0] * 10 + [1.0, 0])  # 10 above is 2 below: the nearer way
    for seed in (1, 2):
        plain = [n.pitch for n in in_c.generate(7.5, seed).notes]
        assert [n.pitch for n in in_d.generate(7.5, seed).notes] == [p + 2 for p in plain]
        assert [n.pitch for n in in_bb.generate(7.5, seed).notes] == [p - 2 for p in plain]


def test_key_offsets_are_drawn_in_proportion():
    random = torch.Generator().manual_seed(0)
    draws = [gc.draw_key_offset([0.75, 0, 0, 0, 0, 0, 0, 0.25, 0, 0, 0, 0], random) for _ in range(2000)]
    assert set(draws) == {0, -5}  # G (7 up) is reached 5 down
    assert 0.7 < draws.count(0) / 2000 < 0.8
    assert gc.draw_key_offset(None, random) == 0


def test_the_instrument_pack_plays_each_voice():
    song = tiny_composer(bias=3.0).generate(7.5, seed=2, pack="band")
    by_name = {track.name: track.program for track in song.tracks}
    assert by_name["bass"] == program_of(PACKS["band"].bass)
    assert set(by_name.values()) <= {PRESETS[name].program for name in
                                     (PACKS["band"].melody, PACKS["band"].bass, *PACKS["band"].harmony)}


def test_bad_lengths_and_pack_words_are_refused():
    composer = tiny_composer()
    with pytest.raises(InvalidArgumentError, match="length"):
        composer.generate(0, seed=0)
    with pytest.raises(InvalidArgumentError, match="pack"):
        gc.pack_for("kazoo-orchestra")
    with pytest.raises(InvalidArgumentError, match="not both"):
        gc.pack_for("band", "irish")
    assert gc.pack_for(style="irish") == "world"  # the styles table's pack for Irish music


# --- accompanying ---


def low_melody() -> Song:
    """Five bars in a low octave (so it must be moved to be accompanied), with notes off the 16th grid."""
    pitches = [41, 43, 45, 46, 48, 46, 45, 43, 41, 40]
    notes = [Note(p, 2.0 * i + 0.03, 2.0 * i + 1.9, 70 + i) for i, p in enumerate(pitches)]
    return Song(tracks=[Track(notes, program=71, name="my tune")], tempos=[TempoChange(0.0, 90.0)], title="low")


def test_accompaniment_returns_the_melody_note_for_note_over_several_windows():
    theme = low_melody()
    result = tiny_composer(bias=3.0).accompany(theme, seed=3)
    assert result.windows == 3  # 20 beats = 5 bars, in 2-bar windows
    assert result.song.tracks[0].notes == theme.tracks[0].notes  # starts, ends, pitches and velocities
    assert [track.name for track in result.song.tracks] == ["melody", "alto", "tenor", "bass"]
    assert result.song.tempos == theme.tempos and result.song.title == "low"


def test_accompaniment_is_moved_into_the_models_range_by_whole_octaves_and_back():
    theme = low_melody()  # median pitch 44.5: two octaves up brings it to 68.5, nearest the sopranos' 70
    result = tiny_composer(bias=3.0).accompany(theme, seed=3)
    assert result.melody_shift == 24
    voices = [note for track in result.song.tracks[1:] for note in track.notes]
    assert voices
    assert all(48 - 24 <= note.pitch < 80 - 24 for note in voices)  # the window 48..79, moved back down


def test_a_model_that_writes_in_c_gets_the_melody_in_c_and_its_voices_come_back_to_the_melodys_key():
    theme = low_melody()  # F major (F G A Bb C ...): 7 semitones up to C (median 44 + 7 = 51), two octaves to 75
    composer = tiny_composer(bias=3.0, key_offsets=[1.0] + [0] * 11)
    result = composer.accompany(theme, seed=3)
    assert result.melody_shift == 7 + 24
    assert result.song.tracks[0].notes == theme.tracks[0].notes
    voices = [note for track in result.song.tracks[1:] for note in track.notes]
    assert voices and all(48 - 31 <= note.pitch < 80 - 31 for note in voices)


def test_melody_shift_hand_worked():
    assert gc.melody_shift([Note(70, 0, 1)], to_c=False) == 0
    assert gc.melody_shift([Note(82, 0, 1), Note(84, 1, 2)], to_c=False) == -12  # median 83: an octave down to 71
    assert gc.melody_shift([Note(57, 0, 1)], to_c=False) == 12                   # 57 + 12 = 69, nearer 70 than 57
    assert gc.melody_shift([], to_c=True) == 0
    g_major = [Note(p, i, i + 1) for i, p in enumerate([67, 71, 74, 72, 69, 66, 67, 67])]  # G B D C A F# G G
    assert gc.melody_shift(g_major, to_c=True) == 5  # G -> C is 5 up (median 68 + 5 = 73, nearest 70)


def test_best_key_and_shift_to_c_hand_worked():
    c_major_triad = np.zeros(12)
    c_major_triad[[0, 4, 7]] = [3, 2, 2]
    assert gc.best_key(c_major_triad) == (0, False)
    a_minor = np.roll(c_major_triad, 0)
    a_minor[:] = 0
    a_minor[[9, 0, 4]] = [3, 2, 2]  # A C E, A strongest
    assert gc.best_key(a_minor) == (9, True)
    assert gc.shift_to_c(7, False) == 5 and gc.shift_to_c(2, True) == 7  # G major -> C; D minor -> A minor
    assert gc.shift_to_c(9, True) == 0 and gc.shift_to_c(0, True) == 9  # A minor stays; C minor -> A minor


def test_move_pitches_drops_what_falls_off_the_edge():
    roll = np.zeros((1, 2, 5))
    roll[0, 0, [0, 4]] = 1
    assert gc.move_pitches(roll, 1)[0, 0].tolist() == [0, 1, 0, 0, 0]
    assert gc.move_pitches(roll, -1)[0, 0].tolist() == [0, 0, 0, 1, 0]


def test_key_normalised_chorale_windows_sit_in_c_major_or_a_minor():
    windows = gc.KeyNormalisedWindows("valid", GanConfig(), limit=8)
    rolls = torch.stack([windows[i] for i in range(len(windows))])  # (N, 4, 128, 48)
    assert rolls.shape[1:] == (4, 128, 48) and len(windows.shifts) == len(windows)
    weights = rolls.sum(dim=(0, 1, 2)).view(4, 12).sum(dim=0)  # pitch classes, C first (the window starts on C2)
    white = weights[[0, 2, 4, 5, 7, 9, 11]].sum() / weights.sum()
    assert white > 0.9  # C D E F G A B (A minor's raised G# aside)
    offsets = windows.key_offsets()
    assert len(offsets) == 12 and abs(sum(offsets) - 1) < 1e-3


def test_a_theme_without_notes_is_refused():
    with pytest.raises(InvalidArgumentError, match="no notes"):
        tiny_composer().accompany(Song(tracks=[Track([])], title="silence"), seed=0)


def test_accompany_writes_the_file_and_the_audit_log(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPCOMPOSER_HOME", str(tmp_path / "home"))
    registry = Registry(tmp_path / "models")
    save_tiny_model(registry)
    _, summary = gc.accompany(low_melody(), model_name="gan-tiny", seed=9, pack="synth", registry=registry,
                              output=tmp_path / "out.mid")
    assert (tmp_path / "out.mid").is_file()
    assert summary["model"] == "gan-tiny" and summary["melody_shift"] == 24
    events = [json.loads(line) for line in (tmp_path / "home" / "audit.jsonl").read_text().splitlines()]
    assert events[-1]["action"] == "generate" and events[-1]["parameters"]["task"] == "accompany"
    assert events[-1]["seed"] == 9 and events[-1]["outputs"][0]["path"].endswith("out.mid")
    with pytest.raises(Exception, match="exists"):
        gc.accompany(low_melody(), model_name="gan-tiny", registry=registry, output=tmp_path / "out.mid")


# --- training windows and fine-tuning ---


def two_voice_song(bars: int = 3, low: bool = False) -> Song:
    shift = -24 if low else 0
    upper = [Note(72 + shift, 4.0 * b, 4.0 * b + 4) for b in range(bars)]
    lower = [Note(55 + shift, 4.0 * b, 4.0 * b + 2) for b in range(bars)]
    return Song(tracks=[Track(lower, name="low"), Track(upper, name="high")])


def test_song_windows_put_the_highest_voice_first_one_window_per_bar():
    windows = gc.song_windows([two_voice_song(bars=3)], TINY)  # 3 bars: 2-bar windows from bars 0 and 1
    assert windows.shape == (2, 4, 32, 32)
    assert windows[0, 0, :, 72 - 48].sum() == 32  # soprano: pitch 72 held through both bars
    assert windows[0, 1, :8, 55 - 48].sum() == 8 and windows[0, 1, 8:16].sum() == 0  # alto: half notes
    assert windows[:, 2:].sum() == 0  # tenor and bass silent
    assert windows[1, 0, :, 72 - 48].sum() == 32  # bars 1 and 2


def test_a_song_shorter_than_a_window_is_padded_with_silence():
    windows = gc.song_windows([two_voice_song(bars=1)], TINY)
    assert windows.shape == (1, 4, 32, 32)
    assert windows[0, 0, :16, 72 - 48].sum() == 16 and windows[0, :, 16:].sum() == 0


def test_song_windows_move_a_low_song_by_octaves_into_the_window():
    windows = gc.song_windows([two_voice_song(low=True)], TINY)  # pitches 48 and 31: 31 + 24 fits, 48 + 24 fits
    assert windows[0, 0, 0, 72 - 48] == 1 and windows[0, 1, 0, 55 - 48] == 1


def test_song_windows_to_c_move_a_song_in_g_to_c():
    g_major = Song(tracks=[Track([Note(p, i, i + 1) for i, p in enumerate([67, 71, 74, 72, 69, 66, 67, 67])])])
    windows = gc.song_windows([g_major], TINY, to_c=True)  # 5 up: G -> C (72)
    assert windows[0, 0, 0, 72 - 48] == 1 and windows[0, 0, 4 * 5, 71 - 48] == 1  # beat 5: F# -> B
    assert gc.song_key_offsets([g_major]) == [0] * 7 + [1.0] + [0] * 4


def test_create_model_fine_tunes_a_base_gan_and_composes_with_it(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPCOMPOSER_HOME", str(tmp_path))
    registry = Registry()
    save_tiny_model(registry, "gan-base")
    _, base_tensors = registry.load("gan-base")
    songs = [two_voice_song(bars=4), two_voice_song(bars=5)]
    model = Client(registry).create_model("my-gan", songs, model_type="gan", seed=1,
                                          settings={"base_model": "gan-base", "max_steps": 2, "batch_size": 4})
    assert model.card.type == "gan" and model.card.metrics["steps"] == 2
    assert model.card.settings["gan"]["n_bars"] == 2  # the base's shape, kept
    _, tensors = registry.load("my-gan")
    assert any(not torch.equal(tensors[key], base_tensors[key]) for key in base_tensors)  # it learned something
    pieces = Client(registry).generate_music("my-gan", length=7.5, seed=0)
    assert pieces[0].model == "my-gan"


def test_a_non_gan_base_model_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPCOMPOSER_HOME", str(tmp_path))
    registry = Registry()
    registry.save(ModelCard(name="not-a-gan", type="markov"), {"x": torch.zeros(1)})
    with pytest.raises(InvalidArgumentError, match="not a gan"):
        gc.train_gan([two_voice_song()], {**gc.DEFAULTS, "base_model": "not-a-gan"}, seed=0, progress=False)


# --- the quality table ---


def test_a_set_measured_against_itself_meets_every_target():
    songs = [gc.rolls_to_song(gc.song_windows([two_voice_song(bars=2 + i % 3)], TINY)[0].numpy(), TINY)
             for i in range(6)]
    table = gc.quality_table(songs, songs)
    assert [row["metric"] for row in table["rows"]] == list(gc.TOLERANCES)
    assert all(row["difference"] == 0 for row in table["rows"])


def test_moving_pieces_to_another_key_changes_no_target_metric():
    # gan-chorale writes in C/Am and moves each piece to a key: the table must not depend on which key.
    from deepcomposer_edu.music.ops import transpose

    songs = gc.reference_songs("valid", GanConfig(), limit=3)
    original = gc.metric_values(songs)
    for moved in (5, -3):
        for values, before in zip(gc.metric_values([transpose(song, moved) for song in songs]), original):
            assert values == pytest.approx(before)


def test_a_set_far_from_the_data_fails_its_targets():
    reference = gc.reference_songs("valid", GanConfig(), limit=20)
    noisy = tiny_composer(bias=0.2).generate_many(6, 7.5, seed=0)  # untrained: scattered notes, not chorales
    table = gc.quality_table(noisy, reference)
    assert not all(row["met"] for row in table["rows"])
    assert "| polyphony |" in gc.format_table(table)


# --- making gan-chorale ---


def test_the_training_script_resumes_and_the_export_records_its_choice(tmp_path):
    import importlib.util

    from safetensors.torch import load_file

    from deepcomposer_edu.paths import PACKAGE_DIR

    spec = importlib.util.spec_from_file_location("train_gan_chorale", PACKAGE_DIR.parent / "scripts" / "train_gan_chorale.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    run = ["--width", "4", "--batch", "2", "--critic-steps", "1", "--snapshot-every", "10", "--limit-pieces", "5",
           "--run-dir", str(tmp_path)]
    script.main(["--steps", "10", *run])
    script.main(["--steps", "20", *run])  # resumes from the checkpoint: 10 more steps, not 20
    assert script.snapshot_steps(tmp_path) == [10, 20]
    assert json.loads((tmp_path / "commands.json").read_text())[1].endswith("--steps 20 " + " ".join(run))
    config = GanConfig(width=4, critic_steps=1, chord_critic=True)
    snapshots = {step: load_file(str(script.snapshot_path(tmp_path, step))) for step in (10, 20)}
    key_offsets = json.loads((tmp_path / "key_offsets.json").read_text())
    assert len(key_offsets) == 12 and abs(sum(key_offsets) - 1) < 1e-3
    model = gc.export_gan_chorale(config, snapshots, seed=0, last=1, command="test", pieces=4,
                                  training={"steps": 20}, folder=tmp_path / "shipped", key_offsets=key_offsets)
    card = model.card
    assert card.name == "gan-chorale" and card.metrics["chosen_step"] == 20  # the last 1 snapshot
    assert card.settings["threshold"] in gc.THRESHOLDS and card.settings["key_offsets"] == key_offsets
    assert len(card.metrics["scores_on_valid"]) == len(gc.THRESHOLDS) * len(gc.DECODINGS)
    assert [row["metric"] for row in card.metrics["quality_on_test"]["rows"]] == list(gc.TOLERANCES)
    assert card.metrics["quality_on_test"]["reference_pieces"] > 100  # every test window
    assert not (tmp_path / "shipped" / ".lock").exists()
