"""Fuzzing the MIDI reader: no input, however damaged or hostile, raises anything but MidiFormatError,
and none reaches the reader's last-resort handler for errors it has no rule for.

Thousands of mutated real files (tests/fixtures/fuzz.py) and hypothesis-made event streams. Whatever
loads must be a valid Song that we can write back out. Set DEEPCOMPOSER_FUZZ_CASES for a longer run
(e.g. 200000); the default keeps this file well under 30 s.
"""

import os
import random
import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deepcomposer_edu.errors import MidiFormatError
from deepcomposer_edu.music.midi import UNFORESEEN, midi_bytes, song_from_bytes
from fixtures.fuzz import mutate, seed_files

CASES = int(os.environ.get("DEEPCOMPOSER_FUZZ_CASES", "4000"))


def check_reads_cleanly(data: bytes) -> None:
    try:
        song = song_from_bytes(data, name="fuzz.mid")
    except MidiFormatError as error:
        assert UNFORESEEN not in error.reason  # every failure is one the reader has a rule for
        return
    for track in song.tracks:
        assert track.notes and 0 <= track.program <= 127
        for note in track.notes:
            assert 0 <= note.pitch <= 127 and 1 <= note.velocity <= 127
            assert 0 <= note.start < note.end
    assert all(change.bpm > 0 for change in song.tempos)
    midi_bytes(song)  # anything we read, we can write


def test_mutated_real_files_raise_only_midi_format_error():
    rng = random.Random(2024)
    seeds = seed_files()
    for _ in range(CASES):
        check_reads_cleanly(mutate(rng.choice(seeds), rng))


def test_every_prefix_of_a_file_is_read_or_refused():
    data = seed_files()[-1]
    for end in range(len(data) + 1):
        check_reads_cleanly(data[:end])


event_bytes = st.lists(
    st.one_of(
        st.binary(min_size=1, max_size=6),  # anything at all
        st.tuples(st.integers(0, 3), st.sampled_from([0x80, 0x90, 0xB0, 0xC0, 0xE0, 0x99, 0x89]),
                  st.integers(0, 127), st.integers(0, 127)).map(lambda e: bytes(e)),  # plausible channel events
        st.tuples(st.sampled_from([0x51, 0x58, 0x59, 0x03, 0x2F]), st.binary(max_size=5)).map(
            lambda m: b"\x00\xff" + bytes([m[0], len(m[1])]) + m[1]),  # meta events with odd payloads
    ),
    max_size=40,
)


@settings(max_examples=max(300, CASES // 10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(event_bytes, st.integers(0, 2), st.integers(0, 65535))
def test_generated_event_streams_raise_only_midi_format_error(events, file_format, division):
    body = b"".join(events)
    data = b"MThd" + struct.pack(">LHHH", 6, file_format, 1, division) + b"MTrk" + struct.pack(">L", len(body)) + body
    check_reads_cleanly(data)
