"""Arrangement per style (transfer/arrange.py): the melody kept note for note, each style's texture under it
(a jig's 6/8 bass on its dotted beats, an Alberti bass, a four-voice chorale), below the melody, in any meter,
length and key, and the same MIDI bytes for the same seed."""

import random
import warnings

import pytest

from deepcomposer_edu.audio.instruments import PACKS, instrument
from deepcomposer_edu.errors import InvalidArgumentError
from deepcomposer_edu.music.midi import midi_bytes
from deepcomposer_edu.music.song import Note, Song, TempoChange, TimeSignature, Track
from deepcomposer_edu.styles import get_style, style_names
from deepcomposer_edu.transfer import arrange as arrange_module
from deepcomposer_edu.transfer.arrange import arrange

C_MAJOR_TRIAD = {0, 4, 7}


def melody(pitches_and_lengths, meter=(4, 4), bpm=120.0, key=None) -> Song:
    """A one-track melody, notes one after another: [(pitch, beats), ...]; pitch None is a rest."""
    notes, time = [], 0.0
    for pitch, length in pitches_and_lengths:
        if pitch is not None:
            notes.append(Note(pitch, time, time + length, 90))
        time += length
    return Song(tracks=[Track(notes, program=0, name="tune")], tempos=[TempoChange(0.0, bpm)],
                time_signatures=[TimeSignature(0.0, *meter)], key=key, title="test tune")


def random_melody(bars: int, meter=(4, 4), seed: int = 0, scale=(0, 2, 4, 5, 7, 9, 11), tonic=60) -> Song:
    """`bars` bars of eighths, quarters and halves on the scale, filling each bar exactly."""
    rng = random.Random(seed)
    bar_length = meter[0] * 4.0 / meter[1]
    items = []
    for _ in range(bars):
        left = bar_length
        while left > 1e-9:
            length = min(left, rng.choice((0.5, 0.5, 1.0, 1.0, 1.5, 2.0)))
            items.append((tonic + rng.choice(scale) + 12 * rng.choice((0, 0, 1)), length))
            left -= length
    return melody(items, meter)


@pytest.fixture
def no_gan(monkeypatch):
    """Force the chorale fallback: loading gan-chorale fails as it would without torch or the model."""
    def missing():
        raise ImportError("no torch here")

    monkeypatch.setattr(arrange_module, "gan_chorale", missing)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the fallback's warning is tested once, below
        yield


def accompaniment(song: Song) -> list[Note]:
    return [note for track in song.tracks[1:] for note in track.notes]


def assert_below_melody(song: Song) -> None:
    """Every accompaniment note is lower than every melody note sounding at any moment of it (overlap > 0)."""
    tune = song.tracks[0].notes
    for note in accompaniment(song):
        over = [m.pitch for m in tune if m.start < note.end - 1e-9 and m.end > note.start + 1e-9]
        assert all(note.pitch < pitch for pitch in over), (note, over)


def onsets(track: Track) -> list[float]:
    return sorted({round(note.start, 6) for note in track.notes})


def part(song: Song, name: str) -> Track:
    return next(track for track in song.tracks if track.name == name)


# --- the melody ---


@pytest.mark.parametrize("style", style_names())
def test_melody_track_is_first_and_unchanged_but_for_the_style_instrument(style, no_gan):
    tune = random_melody(6, seed=3)
    song = arrange(tune, style, seed=5)
    assert song.tracks[0].notes == tune.tracks[0].notes
    assert song.tracks[0].program == instrument(PACKS[get_style(style).pack].melody).program
    assert len(song.tracks) >= 2 and all(track.notes for track in song.tracks[1:])
    assert not any(track.is_drum for track in song.tracks)
    assert song.tempos == tune.tempos and song.time_signatures == tune.time_signatures
    assert_below_melody(song)
    assert max(note.end for note in accompaniment(song)) <= tune.end_beat + 1e-9


def test_registers_bass_and_chords_when_the_melody_is_high_enough():
    tune = random_melody(8, seed=1, tonic=72)  # every melody note is C5 or above
    for style in ("irish", "german_folk"):
        song = arrange(tune, style)
        assert all(36 <= note.pitch <= 55 for note in part(song, "bass").notes)
        assert all(48 <= note.pitch <= 67 for note in part(song, "chords").notes)


def test_a_low_melody_pushes_the_accompaniment_down_by_octaves():
    tune = melody([(50, 2.0), (52, 2.0), (48, 4.0)])  # D3 E3 C3: inside the chord register
    song = arrange(tune, "german_folk")
    assert_below_melody(song)
    chords = part(song, "chords").notes
    assert chords and all(note.pitch < 52 for note in chords) and any(note.pitch < 48 for note in chords)


# --- textures ---


def test_jig_in_six_eight_has_bass_on_the_two_dotted_beats_and_chords_on_their_last_eighths():
    tune = random_melody(4, meter=(6, 8), seed=2)
    song = arrange(tune, "irish")
    bars = [0.0, 3.0, 6.0, 9.0]  # 6/8 bars are 3 quarter notes long
    assert onsets(part(song, "bass")) == [bar + beat for bar in bars for beat in (0.0, 1.5)]
    assert onsets(part(song, "chords")) == [bar + beat for bar in bars for beat in (1.0, 2.5)]
    assert all(note.duration == pytest.approx(1.0) for note in part(song, "bass").notes)  # long ...
    assert all(note.duration == pytest.approx(0.5) for note in part(song, "chords").notes)  # ... short: the lilt


def test_reel_in_two_four_has_bass_on_the_beat_and_chords_on_the_and():
    song = arrange(random_melody(3, meter=(2, 4), seed=4), "fiddle")
    assert onsets(part(song, "bass")) == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert onsets(part(song, "chords")) == [0.5, 1.5, 2.5, 3.5, 4.5, 5.5]


def test_waltz_time_folk_song_goes_oom_pah_pah():
    song = arrange(random_melody(4, meter=(3, 4), seed=6, tonic=72), "german_folk")
    assert onsets(part(song, "bass")) == [0.0, 3.0, 6.0, 9.0]
    assert onsets(part(song, "chords")) == [bar + beat for bar in (0.0, 3.0, 6.0, 9.0) for beat in (1.0, 2.0)]


def test_classical_has_an_alberti_bass_lower_upper_middle_upper_in_eighths():
    # a C major arpeggio in each half bar (a stretch of 4/4): C, E and G fit only the C major chord (I)
    tune = melody([(72, 0.5), (76, 0.5), (79, 0.5), (84, 0.5)] * 6)
    song = arrange(tune, "classical", key="C major")
    notes = part(song, "alberti").notes
    assert [note.start for note in notes] == [0.5 * i for i in range(24)]
    assert all(note.duration == pytest.approx(0.5) for note in notes)
    assert {note.pitch % 12 for note in notes} == C_MAJOR_TRIAD
    for group in range(0, 24, 4):
        low, high, middle, high_again = (note.pitch for note in notes[group : group + 4])
        assert low < middle < high == high_again


def test_chinese_folk_has_a_tonic_and_fifth_drone_under_a_plucked_note_per_beat():
    tune = random_melody(4, meter=(2, 4), seed=7, scale=(0, 2, 4, 7, 9), tonic=74)  # D pentatonic, high
    song = arrange(tune, "chinese_folk", key="D major")
    drone = part(song, "drone").notes
    assert [(note.start, note.end) for note in drone] == [(b, b + 2.0) for b in (0.0, 2.0, 4.0, 6.0) for _ in (0, 1)]
    assert {note.pitch % 12 for note in drone} == {2, 9}  # D and A
    assert onsets(part(song, "pluck")) == [float(beat) for beat in range(8)]


def test_chorale_fallback_is_four_voices_one_chord_per_beat(monkeypatch):
    def broken():
        raise RuntimeError("weights damaged")

    monkeypatch.setattr(arrange_module, "gan_chorale", broken)
    tune = melody([(72, 1.0), (71, 1.0), (69, 1.0), (67, 1.0), (65, 1.0), (64, 1.0), (62, 1.0), (60, 1.0)])
    with pytest.warns(RuntimeWarning, match="weights damaged.*voice-led chords"):
        song = arrange(tune, "chorale", key="C major")
    assert [track.name for track in song.tracks] == ["tune", "alto", "tenor", "bass"]
    for beat in range(8):
        voices = [next(n for n in track.notes if n.start == beat) for track in song.tracks]
        soprano, alto, tenor, bass = (note.pitch for note in voices)
        assert bass < tenor < alto < soprano
        assert all(note.end == beat + 1 for note in voices[1:])
        chord = {alto % 12, tenor % 12, bass % 12}
        assert len(chord) == 3 and chord <= {0, 2, 4, 5, 7, 9, 11}  # a full triad of C major's notes


def test_renaissance_fallback_holds_half_note_chords(no_gan):
    song = arrange(random_melody(2, meter=(4, 2), seed=8), "renaissance")
    assert len(song.tracks) == 4
    for track in song.tracks[1:]:
        assert onsets(track) == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0]


def test_chorale_from_gan_chorale_gives_four_voices_below_the_melody():
    tune = random_melody(4, seed=9, tonic=67)
    song = arrange(tune, "chorale", seed=3)
    assert [track.name for track in song.tracks] == ["tune", "alto", "tenor", "bass"]
    assert song.tracks[0].notes == tune.tracks[0].notes
    assert_below_melody(song)
    assert all(note.pitch <= 55 for note in part(song, "bass").notes)  # the bass register, whatever the GAN wrote
    assert midi_bytes(arrange(tune, "chorale", seed=3)) == midi_bytes(song)
    # the GAN's voices move freely; the fallback's change only on the beat
    assert any(note.start % 1.0 for track in song.tracks[1:] for note in track.notes)


# --- any meter, length and key ---


@pytest.mark.parametrize("meter", [(2, 4), (3, 4), (4, 4), (6, 8), (9, 8), (12, 8), (4, 2), (5, 8), (7, 4)])
@pytest.mark.parametrize("style", ["irish", "german_folk", "chinese_folk", "classical", "renaissance"])
def test_any_meter_works(meter, style, no_gan):
    tune = random_melody(3, meter=meter, seed=sum(meter))
    song = arrange(tune, style)
    assert all(track.notes for track in song.tracks)
    assert_below_melody(song)
    bar = meter[0] * 4.0 / meter[1]
    assert {round(note.start % bar, 6) for note in accompaniment(song)} >= {0.0}  # every texture starts its bar


def test_a_change_of_meter_changes_the_texture_at_the_bar_line():
    # two bars of 3/4 (6 beats), then two of 6/8 (dotted-quarter beats)
    tune = random_melody(2, meter=(3, 4), seed=15)
    tune.tracks[0].notes += [Note(n.pitch, n.start + 6.0, n.end + 6.0) for n in random_melody(2, (6, 8), 16).notes]
    tune.time_signatures = [TimeSignature(0.0, 3, 4), TimeSignature(6.0, 6, 8)]
    song = arrange(tune, "irish")
    assert onsets(part(song, "bass")) == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.5, 9.0, 10.5]


def test_one_bar_and_two_hundred_bars(no_gan):
    short = arrange(melody([(67, 4.0)]), "irish")
    assert len(short.tracks) == 3 and short.end_beat == 4.0
    long = arrange(random_melody(200, meter=(6, 8), seed=11), "irish")
    assert onsets(part(long, "bass")) == [bar * 3.0 + beat for bar in range(200) for beat in (0.0, 1.5)]
    assert_below_melody(long)


def test_a_dorian_melody_is_harmonised_with_dorian_chords():
    # A dorian has F sharp, not F: a dorian harmony never plays an F natural (A minor's iv and VI would).
    dorian = (0, 2, 3, 5, 7, 9, 10)
    tune = random_melody(8, seed=12, scale=dorian, tonic=69)
    for style in ("irish", "classical", "german_folk"):
        song = arrange(tune, style, key="A dorian")
        pitch_classes = {note.pitch % 12 for note in accompaniment(song)}
        assert 5 not in pitch_classes and 9 in pitch_classes


@pytest.mark.parametrize("key", ["G mixolydian", "E phrygian", "F lydian", "B locrian", "F# minor", "Bb major"])
def test_modal_and_other_keys_work(key):
    song = arrange(random_melody(4, seed=13), "fiddle", key=key)
    assert_below_melody(song)
    assert song.tracks[1].notes


def test_the_key_is_estimated_when_none_is_given():
    # an A minor tune with its leading tone: the chords come from A minor (E major's G sharp, no F sharp)
    tune = melody([(69, 1.0), (72, 1.0), (76, 1.0), (72, 1.0), (71, 1.0), (68, 1.0), (64, 1.0), (68, 1.0),
                   (69, 4.0)] * 2)
    song = arrange(tune, "german_folk")
    pitch_classes = {note.pitch % 12 for note in accompaniment(song)}
    assert 9 in pitch_classes and 6 not in pitch_classes


# --- reproducible, and clear errors ---


@pytest.mark.parametrize("style", ["irish", "classical", "chorale"])
def test_same_seed_same_midi_bytes(style, no_gan):
    tune = random_melody(12, meter=(6, 8), seed=14)
    assert midi_bytes(arrange(tune, style, seed=21)) == midi_bytes(arrange(tune, style, seed=21))


def test_bad_input_is_a_clear_error():
    tune = random_melody(2)
    with pytest.raises(InvalidArgumentError, match="unknown style"):
        arrange(tune, "polka-dub")
    with pytest.raises(InvalidArgumentError, match="unknown key"):
        arrange(tune, "irish", key="H major")
    with pytest.raises(InvalidArgumentError, match="one track of melody notes, got 2"):
        arrange(Song(tracks=tune.tracks * 2), "irish")
    with pytest.raises(InvalidArgumentError, match="got 0"):
        arrange(Song(tracks=[Track([])]), "irish")
