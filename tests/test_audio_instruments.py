"""The instrument library and packs (deepcomposer_edu/audio/instruments.py), and timbres that differ."""

import numpy as np
import pytest

from deepcomposer_edu.audio import PACKS, PRESETS, apply_instrument_pack, instrument, render
from deepcomposer_edu.audio.instruments import ROLES, presets_in, track_roles
from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.music import Note, Song, Track

FIVE_PACKS = ["orchestral", "band", "synth", "world", "percussion"]


def test_library_has_at_least_fifty_presets_in_the_five_packs():
    assert len(PRESETS) >= 50
    for name in FIVE_PACKS:
        assert len(presets_in(name)) >= 8, name
    assert {p.pack for p in PRESETS.values()} == set(FIVE_PACKS)


def test_presets_map_to_the_general_midi_programs():
    # GM numbers from the General MIDI Level 1 sound set (1-based there, 0-based here)
    assert instrument("violin").program == 40
    assert instrument("cello").program == 42
    assert instrument("nylon guitar").program == 24
    assert instrument("koto").program == 107
    assert instrument("shakuhachi").program == 77
    assert instrument("steel drums").program == 114
    assert instrument("warm pad").program == 89
    assert all(0 <= p.program <= 127 for p in PRESETS.values())


def test_lookup_forgives_case_and_separators():
    assert instrument("Nylon_Guitar") is instrument("nylon guitar")


def test_unknown_instrument_suggests_close_names():
    with pytest.raises(InvalidArgumentError, match="'celo'.*'cello'"):
        instrument("celo")


def test_unknown_pack_lists_the_packs():
    with pytest.raises(InvalidArgumentError, match="orchestral, band, synth, world, percussion"):
        apply_instrument_pack(Song(), "jazz")


def test_every_pack_role_names_a_preset():
    for pack in PACKS.values():
        for name in (pack.melody, *pack.harmony, pack.bass, pack.drums):
            assert name in PRESETS, f"{pack.name}: {name}"
        assert PRESETS[pack.drums].is_drum


def quartet():
    return Song([
        Track([Note(48, 0, 4)], name="low"),  # lowest: bass
        Track([Note(60, 0, 4), Note(64, 0, 4)], name="middle"),  # between: harmony
        Track([Note(76, 0, 1), Note(79, 1, 2)], name="top"),  # highest: melody
        Track([Note(36, 0, 1)], is_drum=True, name="kit"),
    ])


def test_roles_follow_pitch_and_drum_flag():
    assert track_roles(quartet()) == ["bass", "harmony", "melody", "drums"]
    assert set(track_roles(quartet())) <= set(ROLES)


def test_a_track_named_for_its_role_keeps_it():
    song = Song([Track([Note(72, 0, 1)], name="Bass line"), Track([Note(40, 0, 1)], name="Lead")])
    assert track_roles(song) == ["bass", "melody"]


def test_a_single_pitched_track_is_the_melody():
    assert track_roles(Song([Track([Note(40, 0, 1)])])) == ["melody"]


def test_apply_pack_sets_programs_by_role_and_leaves_the_original_alone():
    song = quartet()
    orchestral = apply_instrument_pack(song, "orchestral")
    assert [t.program for t in orchestral.tracks] == [42, 48, 40, 48]  # cello, strings, violin, orchestra kit
    assert [t.notes for t in orchestral.tracks] == [t.notes for t in song.tracks]
    assert [t.program for t in song.tracks] == [0, 0, 0, 0]


def test_render_with_a_pack_changes_the_sound():
    song = Song([Track([Note(69, 0, 2)])])
    assert not np.allclose(render(song, soundfont=False), render(song, soundfont=False, instrument_pack="synth"))


def spectral_centroid(audio, rate=22050):
    spectrum = np.abs(np.fft.rfft(audio))
    return float((spectrum * np.fft.rfftfreq(len(audio), 1 / rate)).sum() / spectrum.sum())


def family_centroid(name):
    song = Song([Track([Note(57, 0, 3)], program=instrument(name).program)])
    return spectral_centroid(render(song, soundfont=False)[: int(1.4 * 22050)])


def test_builtin_families_sound_measurably_different():
    # same note (A3, 220 Hz), one instrument per family: the centroids (spectral "brightness") are apart
    names = ["grand piano", "flute", "violin", "saw lead", "warm pad", "nylon guitar", "trumpet"]
    centroids = {name: family_centroid(name) for name in names}
    ordered = sorted(centroids.values())
    assert min(b / a for a, b in zip(ordered, ordered[1:])) > 1.05, centroids  # every two at least 5% apart
    assert centroids["saw lead"] > 2 * centroids["warm pad"]  # a bright saw against a soft pad
    assert centroids["flute"] < centroids["violin"]  # near-sine against saw-like


def test_piano_decays_but_organ_holds():
    def loudness_ratio(program):
        audio = render(Song([Track([Note(60, 0, 8)], program=program)]), soundfont=False)
        early, late = audio[2205:6615], audio[3 * 22050 : 3 * 22050 + 4410]  # 0.1-0.3 s, 3.0-3.2 s
        return np.sqrt(np.mean(late**2) / np.mean(early**2))

    assert loudness_ratio(instrument("grand piano").program) < 0.3
    assert loudness_ratio(instrument("church organ").program) > 0.8


def test_docs_list_every_pack_and_preset():
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs" / "instruments.md").read_text()
    for name in PACKS:
        assert f"`{name}`" in text
    for name in PRESETS:
        assert f"| {name} |" in text
