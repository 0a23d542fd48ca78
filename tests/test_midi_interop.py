"""Files we write read back identically in other programs: mido, pretty_midi and music21.

Each expectation is worked out by hand from a hand-built Song (480 ticks per beat; 120 BPM for beats 0..2,
then 90 BPM), never copied from our own reader's output.
"""

import io
from fractions import Fraction

import mido
import pretty_midi
import pytest

from deepcomposer_edu.music.midi import midi_bytes, write_midi
from deepcomposer_edu.music.song import Note, Song, TempoChange, TimeSignature, Track

PIANO = [Note(60, 0, 1, 90), Note(64, 1, 1.5, 70), Note(67, 1 + 1 / 480, 2, 50), Note(72, 3, 6, 100),
         Note(76, 5.5, 7, 64)]
BASS = [Note(36, 0, 2, 100), Note(43, 2, 4, 101), Note(36, 4, 7, 102)]
DRUMS = [Note(36, 0, 0.25, 110), Note(42, 0.5, 0.75, 60), Note(38, 1, 1.25, 90), Note(49, 6, 7, 120)]


def song() -> Song:
    return Song(
        tracks=[Track(PIANO, program=0, name="Lead"), Track(BASS, program=33, name="Low end"),
                Track(DRUMS, program=0, name="Kit", is_drum=True)],
        tempos=[TempoChange(0, 120), TempoChange(2, 90)],
        time_signatures=[TimeSignature(0, 4, 4), TimeSignature(4, 3, 4)],
        key="E minor",
        title="Interop",
    )


def seconds(beat: float) -> float:
    """120 BPM (0.5 s a beat) up to beat 2, then 90 BPM, stored as 666667 microseconds a beat."""
    return beat * 0.5 if beat <= 2 else 1.0 + (beat - 2) * 0.666667


def test_mido_sees_a_format_1_file_with_conductor_and_one_track_per_instrument():
    midi = mido.MidiFile(file=io.BytesIO(midi_bytes(song())))
    assert (midi.type, midi.ticks_per_beat, len(midi.tracks)) == (1, 480, 4)

    conductor = list(_absolute(midi.tracks[0]))
    assert [(tick, m.name) for tick, m in conductor if m.type == "track_name"] == [(0, "Interop")]
    assert [(tick, m.key) for tick, m in conductor if m.type == "key_signature"] == [(0, "Em")]
    assert [(tick, m.tempo) for tick, m in conductor if m.type == "set_tempo"] == [(0, 500_000), (960, 666_667)]
    assert [(tick, m.numerator, m.denominator) for tick, m in conductor if m.type == "time_signature"] == [
        (0, 4, 4), (1920, 3, 4)]

    for track, (name, program, channel, notes) in zip(
        midi.tracks[1:], [("Lead", 0, 0, PIANO), ("Low end", 33, 1, BASS), ("Kit", 0, 9, DRUMS)]
    ):
        events = list(_absolute(track))
        assert [m.name for _, m in events if m.type == "track_name"] == [name]
        assert [(m.program, m.channel) for _, m in events if m.type == "program_change"] == [(program, channel)]
        ons = sorted((tick, m.note, m.velocity) for tick, m in events if m.type == "note_on" and m.velocity)
        offs = sorted((tick, m.note) for tick, m in events if m.type == "note_off")
        assert ons == sorted((round(n.start * 480), n.pitch, n.velocity) for n in notes)
        assert offs == sorted((round(n.end * 480), n.pitch) for n in notes)
        assert {m.channel for _, m in events if m.type in ("note_on", "note_off")} == {channel}


def _absolute(track):
    tick = 0
    for message in track:
        tick += message.time
        yield tick, message


def test_pretty_midi_reads_instruments_notes_in_seconds_tempo_meter_and_key(tmp_path):
    path = write_midi(song(), tmp_path / "interop.mid")
    pm = pretty_midi.PrettyMIDI(str(path))
    assert [(i.name, i.program, i.is_drum) for i in pm.instruments] == [
        ("Lead", 0, False), ("Low end", 33, False), ("Kit", 0, True)]
    for instrument, notes in zip(pm.instruments, [PIANO, BASS, DRUMS]):
        got = sorted((n.pitch, n.start, n.end, n.velocity) for n in instrument.notes)
        want = sorted((n.pitch, seconds(n.start), seconds(n.end), n.velocity) for n in notes)
        assert [g[0] for g in got] == [w[0] for w in want] and [g[3] for g in got] == [w[3] for w in want]
        assert [g[1] for g in got] == pytest.approx([w[1] for w in want], abs=1e-9)
        assert [g[2] for g in got] == pytest.approx([w[2] for w in want], abs=1e-9)
    times, bpms = pm.get_tempo_changes()
    assert list(times) == pytest.approx([0.0, 1.0]) and list(bpms) == pytest.approx([120.0, 90.0], abs=1e-3)
    assert [(t.numerator, t.denominator) for t in pm.time_signature_changes] == [(4, 4), (3, 4)]
    assert [t.time for t in pm.time_signature_changes] == pytest.approx([0.0, seconds(4)])
    assert [k.key_number for k in pm.key_signature_changes] == [12 + 4]  # pretty_midi: minor keys are 12 + tonic


def _exact(quarter_length) -> Fraction:
    """music21 keeps simple fractions exact but odd ones (481/480) as floats: back to the nearest tick."""
    return Fraction(quarter_length).limit_denominator(480)


def test_music21_reads_parts_notes_in_quarter_lengths_programs_tempo_meter_and_key(tmp_path):
    music21 = pytest.importorskip("music21")
    path = write_midi(song(), tmp_path / "interop.mid")
    score = music21.converter.parse(str(path), quantizePost=False)  # no snapping: exact offsets
    assert len(score.parts) == 3
    for part, (name, program, notes) in zip(score.parts, [("Lead", 0, PIANO), ("Low end", 33, BASS),
                                                           ("Kit", 0, DRUMS)]):
        assert part.partName == name
        instruments = list(part.recurse().getElementsByClass(music21.instrument.Instrument))
        assert program in {i.midiProgram for i in instruments}
        got = sorted((_exact(n.getOffsetInHierarchy(score)), _exact(n.quarterLength), n.volume.velocity)
                     for n in part.stripTies().flatten().notes)
        want = sorted((Fraction(round(n.start * 480), 480), Fraction(round((n.end - n.start) * 480), 480),
                       n.velocity) for n in notes)
        assert got == want
        if name != "Kit":  # music21 keeps drum hits as unpitched instruments
            assert sorted(p.midi for n in part.stripTies().flatten().notes for p in n.pitches) == sorted(n.pitch for n in notes)
        else:
            assert any(isinstance(i, music21.instrument.UnpitchedPercussion) for i in instruments)
        assert [(t.getOffsetInHierarchy(score), t.number) for t in
                part.recurse().getElementsByClass(music21.tempo.MetronomeMark)] == [(0.0, 120), (2.0, 90)]
        assert [(t.getOffsetInHierarchy(score), t.ratioString) for t in
                part.recurse().getElementsByClass(music21.meter.TimeSignature)] == [(0.0, "4/4"), (4.0, "3/4")]
        assert [(k.sharps, k.mode) for k in part.recurse().getElementsByClass(music21.key.KeySignature)] == [
            (1, "minor")]
