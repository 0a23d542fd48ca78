"""Reading and writing MIDI files (deepcomposer_edu/music/midi.py).

Files are built byte by byte (tests/fixtures/smf.py) so every expectation below is worked out by hand from
the bytes: with 96 ticks per beat, tick 96 is beat 1, tick 48 is beat 0.5.
"""

import os
import struct

import pytest

from deepcomposer_edu.errors import InvalidArgumentError, MidiFormatError, OutputExistsError
from deepcomposer_edu.music import midi
from deepcomposer_edu.music.midi import midi_bytes, read_midi, song_from_bytes, write_midi
from deepcomposer_edu.music.song import Note, Song, TempoChange, TimeSignature, Track
from fixtures.smf import smf, tempo, text, track


def notes_of(song, index=0):
    return [(n.pitch, n.start, n.end, n.velocity) for n in song.tracks[index].notes]


# --- reading: what a file says, a Song says -----------------------------------------------------------------


def test_format_1_file_with_conductor_track():
    conductor = track(text(3, "My Song"), tempo(90), "00 FF 58 04 03 02 18 08", "00 FF 59 02 02 00")
    lead = track(text(3, "Lead"), "00 C0 28", "00 90 3C 64", "60 80 3C 00", "00 90 40 50", "30 80 40 00")
    song = song_from_bytes(smf(conductor, lead))
    assert song.title == "My Song"
    assert song.tempos == [TempoChange(0.0, 90.0)]
    assert song.time_signatures == [TimeSignature(0.0, 3, 4)]  # 03 02: 3 over 2**2
    assert song.key == "D major"  # 2 sharps, major
    assert len(song.tracks) == 1
    assert (song.tracks[0].name, song.tracks[0].program, song.tracks[0].is_drum) == ("Lead", 40, False)
    assert notes_of(song) == [(60, 0.0, 1.0, 100), (64, 1.0, 1.5, 80)]


def test_running_status_and_note_on_velocity_zero_as_note_off():
    # One status byte 0x90, then only data bytes: D on at 96, C off (velocity 0) at 192, D off at 192.
    song = song_from_bytes(smf(track("00 90 3C 40", "60 3E 41", "60 3C 00", "00 3E 00"), fmt=0))
    assert notes_of(song) == [(60, 0.0, 2.0, 64), (62, 1.0, 2.0, 65)]


def test_running_status_survives_meta_events_between_notes():
    song = song_from_bytes(smf(track("00 90 3C 40", "00 FF 01 02 68 69", "60 3C 00"), fmt=0))
    assert notes_of(song) == [(60, 0.0, 1.0, 64)]


def test_type_0_file_splits_into_one_track_per_channel_with_drums_on_channel_10():
    events = ("00 C1 21", "00 90 3C 50", "00 91 24 60", "00 99 24 70",  # piano C4, bass C2, kick drum
              "60 80 3C 00", "00 81 24 00", "00 89 24 00")
    song = song_from_bytes(smf(track(text(3, "Band"), *events), fmt=0))
    summary = [(t.program, t.is_drum, notes_of(song, i)) for i, t in enumerate(song.tracks)]
    assert summary == [
        (0, False, [(60, 0.0, 1.0, 80)]),
        (33, False, [(36, 0.0, 1.0, 96)]),
        (0, True, [(36, 0.0, 1.0, 112)]),
    ]
    assert {t.name for t in song.tracks} == {"Band"}


def test_program_change_mid_track_starts_a_new_track():
    events = ("00 90 3C 50", "60 80 3C 00", "00 C0 49", "00 90 3E 50", "60 80 3E 00")  # piano then flute
    song = song_from_bytes(smf(track(*events)))
    assert [(t.program, [n.pitch for n in t.notes]) for t in song.tracks] == [(0, [60]), (73, [62])]


def test_a_note_off_ends_every_sounding_note_of_its_pitch():
    song = song_from_bytes(smf(track("00 90 3C 50", "60 90 3C 60", "60 80 3C 00", "60 80 3C 00")))
    assert notes_of(song) == [(60, 0.0, 2.0, 80), (60, 1.0, 2.0, 96)]  # the second note-off finds none


def test_a_stray_note_on_does_not_shift_the_notes_after_it():
    # C on at 0 is never switched off; then two ordinary Cs at 96..144 and 192..240
    song = song_from_bytes(smf(track("00 90 3C 50", "60 90 3C 51", "30 80 3C 00", "30 90 3C 52", "30 80 3C 00")))
    assert notes_of(song) == [(60, 0.0, 1.5, 80), (60, 1.0, 1.5, 81), (60, 2.0, 2.5, 82)]


def test_note_off_on_the_tick_of_a_new_note_ends_the_older_one():
    # at tick 96 the new C comes before the old C's note-off: the order of events on one tick means nothing
    song = song_from_bytes(smf(track("00 90 3C 50", "60 90 3C 60", "00 80 3C 00", "60 80 3C 00")))
    assert notes_of(song) == [(60, 0.0, 1.0, 80), (60, 1.0, 2.0, 96)]


def test_zero_length_note_lasts_one_tick():
    song = song_from_bytes(smf(track("60 99 26 64", "00 89 26 00")))  # a snare hit switched off at once
    assert notes_of(song) == [(38, 1.0, 1.0 + 1 / 96, 100)]


def test_note_never_switched_off_ends_with_its_track():
    song = song_from_bytes(smf(track("00 90 3C 50", "60 90 40 50", "60 80 40 00", "81 40 FF 01 00")))
    # 81 40 = 192 ticks after tick 192: the track ends at tick 384 = beat 4
    assert notes_of(song) == [(60, 0.0, 4.0, 80), (64, 1.0, 2.0, 80)]


def test_sustain_pedal_holds_released_notes_until_it_comes_up():
    events = ("00 90 3C 50", "30 B0 40 7F", "30 80 3C 00", "81 40 B0 40 00")  # pedal down 48, up 288
    data = smf(track(*events))
    assert notes_of(song_from_bytes(data)) == [(60, 0.0, 3.0, 80)]
    assert notes_of(song_from_bytes(data, sustain=False)) == [(60, 0.0, 1.0, 80)]


def test_striking_a_held_key_again_ends_the_held_note():
    events = ("00 B0 40 7F", "00 90 3C 50", "60 80 3C 00", "60 90 3C 60", "30 80 3C 00", "81 10 B0 40 00")
    # pedal down at 0; C at 0..96 held; C again at 192 (ends the first); off at 240, pedal up at 384
    assert notes_of(song_from_bytes(smf(track(*events)))) == [(60, 0.0, 2.0, 80), (60, 2.0, 4.0, 96)]


def test_tempo_and_meter_changes_from_any_track_are_merged_in_time_order():
    conductor = track(tempo(120), "00 FF 58 04 04 02 18 08", tempo(60, delta="83 00"))  # 60 BPM at 384
    notes = track("00 FF 58 04 06 03 18 08", "00 90 3C 50", "60 80 3C 00", end=True)
    song = song_from_bytes(smf(conductor, notes))
    assert song.tempos == [TempoChange(0.0, 120.0), TempoChange(4.0, 60.0)]
    assert song.time_signatures == [TimeSignature(0.0, 6, 8)]  # the later track's event at tick 0 wins


def test_smpte_division_reads_seconds_at_120_bpm():
    division = (256 - 25) << 8 | 40  # 25 frames a second x 40 ticks a frame = 1000 ticks a second
    song = song_from_bytes(smf(track(tempo(60), "87 68 90 3C 50", "87 68 80 3C 00"), division=division))
    # note on at tick 1000 = 1 s, off at 2000 = 2 s; the tempo event is meaningless with SMPTE time
    assert notes_of(song) == [(60, 2.0, 4.0, 80)]
    assert song.tempo == 120.0


def test_riff_wrapped_midi_is_found_inside_its_wrapper():
    inner = smf(track("00 90 3C 50", "60 80 3C 00"))
    wrapped = b"RIFF" + struct.pack("<L", len(inner) + 12) + b"RMIDdata" + struct.pack("<L", len(inner)) + inner
    assert notes_of(song_from_bytes(wrapped)) == [(60, 0.0, 1.0, 80)]


def test_latin1_track_names_are_decoded():
    name = "00 FF 03 04 " + "Café".encode("latin-1").hex(" ")
    song = song_from_bytes(smf(track(name, "00 90 3C 50", "60 80 3C 00")))
    assert song.tracks[0].name == "Café"


def test_last_track_whose_length_overshoots_the_file_is_read_if_it_ends_properly():
    data = bytearray(smf(track("00 90 3C 50", "60 80 3C 00")))
    data[18:22] = struct.pack(">L", 1000)  # the MTrk length field: 1000 bytes, the file has 12
    assert notes_of(song_from_bytes(bytes(data))) == [(60, 0.0, 1.0, 80)]
    with pytest.raises(MidiFormatError, match="truncated"):
        song_from_bytes(bytes(data[:-4]))  # the same without its end-of-track event


def test_read_midi_uses_the_file_name_as_title_when_the_file_has_none(tmp_path):
    path = tmp_path / "little tune.mid"
    path.write_bytes(smf(track("00 90 3C 50", "60 80 3C 00")))
    assert read_midi(path).title == "little tune"


# --- reading: bad files fail with one clear MidiFormatError ---------------------------------------------------


GOOD = smf(track("00 90 3C 50", "60 80 3C 00"))


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"hello, I am a text file\n", "not a MIDI file"),
        (GOOD[:-6], "truncated"),
        (GOOD[:20], "truncated"),
        (smf(track(tempo(100))), "no notes"),
        (smf(track("00 3C 40")), "without a status"),
        (smf(track("80 80 80 80 00 90 3C 40")), "variable-length"),
        (smf(track("00 F4")), "undefined status"),
        (b"MThd" + struct.pack(">LHHH", 6, 1, 60000, 96), "too large"),
        (b"MThd" + struct.pack(">LHHH", 6, 7, 1, 96), "unknown MIDI format"),
        (smf(track("00 90 3C 50"), division=0), "0 ticks per beat"),
        (smf(track("00 90 3C 99")), "above 127"),
    ],
    ids=["empty", "text", "cut-mid-event", "cut-in-track-header", "no-notes", "data-without-status",
         "long-varlen", "undefined-status", "too-many-tracks", "format-7", "zero-division", "data-byte-high"],
)
def test_bad_bytes_raise_midi_format_error_naming_the_reason(data, reason):
    with pytest.raises(MidiFormatError) as error:
        song_from_bytes(data, name="bad.mid")
    assert reason in error.value.reason
    assert str(error.value).startswith("bad.mid: ")


def test_limits_on_events_notes_and_length_stop_reading(monkeypatch):
    many_notes = smf(track(*["00 90 3C 50", "01 80 3C 00"] * 50))
    monkeypatch.setattr(midi, "MAX_NOTES", 10)
    with pytest.raises(MidiFormatError, match="more than 10 notes"):
        song_from_bytes(many_notes)
    monkeypatch.setattr(midi, "MAX_NOTES", 1000)
    monkeypatch.setattr(midi, "MAX_EVENTS", 30)
    with pytest.raises(MidiFormatError, match="more than 30 events"):
        song_from_bytes(many_notes)
    monkeypatch.setattr(midi, "MAX_EVENTS", 1000)
    monkeypatch.setattr(midi, "MAX_BEATS", 10)
    with pytest.raises(MidiFormatError, match="after beat 10"):
        song_from_bytes(smf(track("00 90 3C 50", "8F 00 80 3C 00")))  # off at tick 1920 = beat 20


def test_read_midi_refuses_oversized_files_without_reading_them(tmp_path, monkeypatch):
    path = tmp_path / "big.mid"
    path.write_bytes(GOOD + b"\0" * 1000)
    monkeypatch.setattr(midi, "MAX_FILE_BYTES", 500)
    with pytest.raises(MidiFormatError, match="too large"):
        read_midi(path)


def test_missing_file_and_folder_are_midi_format_errors(tmp_path):
    with pytest.raises(MidiFormatError, match="no such file"):
        read_midi(tmp_path / "nothing.mid")
    with pytest.raises(MidiFormatError, match="folder"):
        read_midi(tmp_path)


# --- writing -----------------------------------------------------------------------------------------------


def band() -> Song:
    """A hand-built song touching everything the writer stores."""
    return Song(
        tracks=[
            Track([Note(60, 0, 1, 90), Note(64, 1, 1.5, 70), Note(67, 1 + 1 / 480, 2, 50)], program=0, name="Piano"),
            Track([Note(36, 0, 2, 100), Note(36, 2, 4, 100)], program=33, name="Bass"),
            Track([Note(36, 0, 0.25, 110), Note(42, 0.5, 0.75, 60), Note(38, 1, 1.25, 90)], program=0,
                  name="Drums", is_drum=True),
        ],
        tempos=[TempoChange(0, 120), TempoChange(2, 90)],
        time_signatures=[TimeSignature(0, 4, 4), TimeSignature(4, 3, 4)],
        key="E minor",
        title="Band",
    )


def test_written_files_read_back_identically():
    original = band()
    again = song_from_bytes(midi_bytes(original))
    assert again.tracks == original.tracks
    assert again.tempos == original.tempos
    assert again.time_signatures == original.time_signatures
    assert (again.key, again.title) == ("E minor", "Band")


def test_same_song_gives_the_same_bytes():
    assert midi_bytes(band()) == midi_bytes(band())


def test_unicode_track_names_survive_our_round_trip():
    song = Song(tracks=[Track([Note(60, 0, 1)], name="Klavier für Élise ♪")])
    assert song_from_bytes(midi_bytes(song)).tracks[0].name == "Klavier für Élise ♪"


def test_zero_length_notes_are_written_one_tick_long():
    song = Song(tracks=[Track([Note(60, 1, 1)])])
    assert notes_of(song_from_bytes(midi_bytes(song))) == [(60, 1.0, 1 + 1 / 480, 80)]


def test_write_refuses_to_overwrite_unless_asked(tmp_path):
    path = tmp_path / "out.mid"
    path.write_bytes(b"precious")
    with pytest.raises(OutputExistsError):
        write_midi(band(), path)
    assert path.read_bytes() == b"precious"
    write_midi(band(), path, overwrite=True)
    assert read_midi(path).title == "Band"
    assert os.listdir(tmp_path) == ["out.mid"]  # no temporary file left behind


@pytest.mark.parametrize(
    "song, problem",
    [
        (Song(tracks=[Track([Note(128, 0, 1)])]), "pitch"),
        (Song(tracks=[Track([Note(60, -1, 1)])]), "negative"),
        (Song(tracks=[Track([Note(60, 0, 1)], program=200)]), "program"),
        (Song(tracks=[Track([Note(60, 0, 1)])], time_signatures=[TimeSignature(0, 5, 6)]), "power of 2"),
        (Song(tracks=[Track([Note(60, 0, 1)])], key="H dorian"), "unknown key"),
    ],
    ids=["pitch", "negative-time", "program", "meter", "key"],
)
def test_unwritable_songs_raise_invalid_argument(song, problem):
    with pytest.raises(InvalidArgumentError, match=problem):
        midi_bytes(song)


def test_an_unforeseen_failure_inside_the_reader_is_still_a_midi_format_error(monkeypatch):
    def broken(self):
        raise RuntimeError("surprise")

    monkeypatch.setattr(midi._Reader, "song", broken)
    with pytest.raises(MidiFormatError, match=r"could not be read \(RuntimeError: surprise\)"):
        song_from_bytes(GOOD, name="odd.mid")
