"""Real-world MIDI: files shipped inside installed packages, and DAW-like files made with mido (not with us).

Each file must either load or fail with MidiFormatError. Files that load are compared with pretty_midi,
an independent reader, wherever the two promise the same thing (see deepcomposer_edu/music/midi.py for the
documented differences: tempo events outside the first track, notes never switched off, zero-length notes).
"""

import io
import random
from collections import defaultdict
from pathlib import Path

import mido
import pretty_midi
import pytest

from deepcomposer_edu.errors import MidiFormatError
from deepcomposer_edu.music.midi import read_midi, song_from_bytes
from deepcomposer_edu.music.song import Note, TempoChange


def installed_midi_files() -> list[Path]:
    import miditoolkit  # noqa: F401  (only to find its example file, when installed)
    import music21

    roots = [Path(music21.__file__).parent, Path(miditoolkit.__file__).parent]
    return sorted(p for root in roots for p in root.rglob("*") if p.suffix.lower() in (".mid", ".midi"))


try:
    INSTALLED = installed_midi_files()
except ImportError:  # miditoolkit is optional: music21's files are enough
    import music21

    INSTALLED = sorted(Path(music21.__file__).parent.rglob("*.mid"))


def tempo_only_in_first_track(path: Path) -> bool:
    """pretty_midi reads tempo from the first track only; elsewhere the two readers differ on purpose."""
    midi = mido.MidiFile(str(path))
    return all(message.type != "set_tempo" for track in midi.tracks[1:] for message in track)


def match_against_pretty_midi(song, pm):
    """Pair every pretty_midi note with one of ours (same pitch and drum flag, same times within 10 us per
    second of music, which is the precision of a MIDI tempo); return (unmatched theirs, unmatched ours),
    ours as (start, end) in beats."""
    ours = defaultdict(list)
    for track in song.tracks:
        for note in track.notes:
            ours[(note.pitch, track.is_drum)].append(note)
    unmatched = []
    for instrument in pm.instruments:
        for note in instrument.notes:
            candidates = ours[(note.pitch, instrument.is_drum)]
            tolerance = 1e-5 * max(note.end, 1.0)
            for index, mine in enumerate(candidates):
                if (abs(song.seconds_at(mine.start) - note.start) <= tolerance
                        and abs(song.seconds_at(mine.end) - note.end) <= tolerance):
                    candidates.pop(index)
                    break
            else:
                unmatched.append(note)
    return unmatched, [(note.start, note.end) for values in ours.values() for note in values]


def track_ends(path: Path) -> set[float]:
    """The beat at which each track chunk of the file ends, read with mido."""
    midi = mido.MidiFile(str(path))
    return {sum(message.time for message in track) / midi.ticks_per_beat for track in midi.tracks}


def test_the_installed_files_are_there():
    assert len(INSTALLED) >= 20  # music21 ships its MIDI test files


@pytest.mark.filterwarnings("ignore:Tempo, Key or Time signature")  # pretty_midi on test04.mid
@pytest.mark.parametrize("path", INSTALLED, ids=[p.name for p in INSTALLED])
def test_installed_files_load_like_pretty_midi(path):
    try:
        song = read_midi(path, sustain=False)
    except MidiFormatError:
        with pytest.raises(Exception):
            pretty_midi.PrettyMIDI(str(path))  # only files another reader also rejects may fail
        return
    pm = pretty_midi.PrettyMIDI(str(path))
    assert {(i.program, i.is_drum) for i in pm.instruments} <= {(t.program, t.is_drum) for t in song.tracks}
    if not tempo_only_in_first_track(path):
        return
    missing, extra = match_against_pretty_midi(song, pm)
    assert missing == []
    # pretty_midi drops notes never switched off, and notes switched off on the tick they start; we keep
    # those (to the end of their track; one tick long), so those are the only extra notes allowed.
    one_tick = 1 / mido.MidiFile(str(path)).ticks_per_beat
    ends = track_ends(path)
    for start, end in extra:
        assert end - start <= one_tick + 1e-9 or any(abs(end - track_end) < 1e-9 for track_end in ends)


# --- DAW-like files written by mido ---------------------------------------------------------------------------


def delta_track(name: str | None, events) -> mido.MidiTrack:
    """A mido track from (absolute tick, message) pairs, in the order given for equal ticks."""
    track = mido.MidiTrack()
    if name is not None:
        track.append(mido.MetaMessage("track_name", name=name))
    previous = 0
    for tick, message in sorted(events, key=lambda event: event[0]):
        track.append(message.copy(time=tick - previous))
        previous = tick
    return track


def daw_arrangement() -> bytes:
    """A pop arrangement as a DAW exports it (960 ticks per beat): conductor, drums, bass, keys with the
    sustain pedal, lead, and an automation track without notes; with sysex, pitch bends, aftertouch, markers."""
    q = 960  # ticks per beat
    conductor = [(0, mido.MetaMessage("time_signature", numerator=4, denominator=4)),
                 (0, mido.MetaMessage("key_signature", key="A")),
                 (0, mido.MetaMessage("set_tempo", tempo=468750)),  # 128 BPM
                 (0, mido.MetaMessage("marker", text="Verse")),
                 (8 * q, mido.MetaMessage("marker", text="Chorus")),
                 (8 * q, mido.MetaMessage("set_tempo", tempo=461538))]  # 130 BPM from bar 3
    drums = [(0, mido.Message("sysex", data=[0x7E, 0x7F, 0x09, 0x01])),  # GM reset
             (0, mido.Message("control_change", channel=9, control=7, value=100))]
    for beat in range(16):
        hit = 36 if beat % 2 == 0 else 38  # kick on 1 and 3, snare on 2 and 4
        drums += [(beat * q, mido.Message("note_on", channel=9, note=hit, velocity=100)),
                  (beat * q + 120, mido.Message("note_on", channel=9, note=hit, velocity=0)),
                  (beat * q + 480, mido.Message("note_on", channel=9, note=42, velocity=70)),
                  (beat * q + 600, mido.Message("note_off", channel=9, note=42))]
    bass = [(0, mido.Message("program_change", channel=1, program=33))]
    for bar, root in enumerate([45, 42, 50, 52]):
        start = bar * 4 * q
        bass += [(start, mido.Message("note_on", channel=1, note=root, velocity=90)),
                 (start + q, mido.Message("pitchwheel", channel=1, pitch=512)),
                 (start + 2 * q, mido.Message("pitchwheel", channel=1, pitch=0)),
                 (start + 3 * q + 840, mido.Message("note_off", channel=1, note=root, velocity=40)),
                 (start + 3 * q + 900, mido.Message("control_change", channel=1, control=10, value=64))]
    keys = [(0, mido.Message("program_change", channel=2, program=4))]
    for bar, chord in enumerate([(57, 61, 64), (54, 57, 61), (50, 54, 57), (52, 56, 59)]):
        start = bar * 4 * q
        keys.append((start, mido.Message("control_change", channel=2, control=64, value=127)))
        keys += [(start, mido.Message("note_on", channel=2, note=p, velocity=60)) for p in chord]
        keys += [(start + 2 * q, mido.Message("note_off", channel=2, note=p)) for p in chord]
        keys.append((start + 4 * q, mido.Message("control_change", channel=2, control=64, value=0)))
    lead = [(0, mido.Message("program_change", channel=3, program=81)), (0, mido.MetaMessage("lyrics", text="la"))]
    for index, pitch in enumerate([69, 71, 73, 76, 73, 71, 69, 68]):
        start = 4 * q + index * 1440  # dotted quarters from bar 1
        lead += [(start, mido.Message("note_on", channel=3, note=pitch, velocity=80)),
                 (start + 240, mido.Message("aftertouch", channel=3, value=30)),
                 (start + 1440, mido.Message("note_off", channel=3, note=pitch))]
    fx = [(index * 240, mido.Message("control_change", channel=4, control=1, value=value))
          for index, value in enumerate(range(0, 127, 8))]
    midi = mido.MidiFile(type=1, ticks_per_beat=q)
    midi.tracks += [delta_track("Pop song", conductor), delta_track("Drums", drums), delta_track("Bass", bass),
                    delta_track("Keys", keys), delta_track("Lead", lead), delta_track("FX automation", fx)]
    buffer = io.BytesIO()
    midi.save(file=buffer)
    return buffer.getvalue()


def test_daw_arrangement_loads_as_a_daw_user_expects():
    song = song_from_bytes(daw_arrangement(), name="pop.mid")
    assert song.title == "Pop song" and song.key == "A major"
    assert song.tempos == [TempoChange(0, 128), TempoChange(8, 130)]
    assert [(t.name, t.program, t.is_drum, len(t.notes)) for t in song.tracks] == [
        ("Drums", 0, True, 32), ("Bass", 33, False, 4), ("Keys", 4, False, 12), ("Lead", 81, False, 8)]
    assert song.tracks[0].notes[:3] == [Note(36, 0, 0.125, 100), Note(42, 0.5, 0.625, 70), Note(38, 1, 1.125, 100)]
    assert song.tracks[1].notes[0] == Note(45, 0, 3.875, 90)
    # keys: released after 2 beats, but the pedal holds every chord to the end of its bar
    assert sorted({(n.start, n.end) for n in song.tracks[2].notes}) == [(0, 4), (4, 8), (8, 12), (12, 16)]
    assert [n.pitch for n in song.tracks[3].notes] == [69, 71, 73, 76, 73, 71, 69, 68]
    assert (song.tracks[3].notes[0].start, song.tracks[3].notes[0].end) == (4.0, 5.5)


def test_daw_arrangement_without_pedal_matches_pretty_midi():
    data = daw_arrangement()
    song = song_from_bytes(data, sustain=False)
    pm = pretty_midi.PrettyMIDI(io.BytesIO(data))
    missing, extra = match_against_pretty_midi(song, pm)
    assert missing == [] and extra == []
    assert [(t.name, t.program, t.is_drum) for t in song.tracks] == [
        (i.name, i.program, i.is_drum) for i in pm.instruments]


def piano_performance(seed: int) -> bytes:
    """A minute of random 'performance': notes, some repeated keys, and the sustain pedal going up and down."""
    rng = random.Random(seed)
    events = []  # (tick, order, message)
    for _ in range(300):
        start = rng.randrange(0, 480 * 120)
        pitch = rng.randrange(40, 90)
        events.append((start, 1, mido.Message("note_on", note=pitch, velocity=rng.randrange(20, 120))))
        events.append((start + rng.randrange(10, 600), 0, mido.Message("note_off", note=pitch)))
    for bar in range(30):
        down = bar * 1920 + rng.randrange(0, 200)
        events.append((down, 2, mido.Message("control_change", control=64, value=rng.randrange(64, 128))))
        events.append((down + rng.randrange(400, 1800), 2, mido.Message("control_change", control=64, value=0)))
    track, previous = mido.MidiTrack(), 0
    for tick, _, message in sorted(events, key=lambda e: e[:2]):
        track.append(message.copy(time=tick - previous))
        previous = tick
    buffer = io.BytesIO()
    mido.MidiFile(type=0, tracks=[track]).save(file=buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("seed", range(3))
def test_pedal_only_lengthens_notes_up_to_a_pedal_release_or_the_next_strike(seed):
    data = piano_performance(seed)
    dry = song_from_bytes(data, sustain=False).tracks[0].notes
    wet = song_from_bytes(data).tracks[0].notes
    assert [(n.pitch, n.start, n.velocity) for n in wet] == [(n.pitch, n.start, n.velocity) for n in dry]
    releases = set()
    tick = 0
    for message in mido.MidiFile(file=io.BytesIO(data)).tracks[0]:
        tick += message.time
        if message.type == "control_change" and message.control == 64 and message.value < 64:
            releases.add(tick / 480)
    onsets = defaultdict(set)
    for note in dry:
        onsets[note.pitch].add(note.start)
    lengthened = 0
    for before, after in zip(dry, wet):
        assert after.end >= before.end
        if after.end > before.end:
            lengthened += 1
            assert after.end in releases or after.end in onsets[after.pitch]
    assert lengthened > 20  # the pedal really did something


def test_empty_and_corrupted_files_fail_cleanly(tmp_path):
    empty = tmp_path / "empty.mid"
    empty.write_bytes(b"")
    with pytest.raises(MidiFormatError, match="empty"):
        read_midi(empty)
    good = daw_arrangement()
    rng = random.Random(7)
    for _ in range(200):
        data = bytearray(good)
        for _ in range(rng.randrange(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            song_from_bytes(bytes(data))
        except MidiFormatError:
            pass
