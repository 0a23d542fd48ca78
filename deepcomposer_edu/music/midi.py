"""MIDI files in and out: `read_midi(path) -> Song` and `write_midi(song, path)`.

Lesson: lessons/00_welcome.ipynb (loading a song) and lessons/02_music_as_data.ipynb (what is inside a MIDI file).

A Standard MIDI File is a header chunk (`MThd`: format, number of tracks, ticks per beat) followed by track
chunks (`MTrk`). A track chunk is a list of events, each preceded by a *delta time*: how many ticks after
the previous event it happens. The events that matter to us are note-on / note-off (which key, how hard,
on which of the 16 channels), program changes (which instrument), the sustain pedal (controller 64), and
meta events (track name, tempo, time signature, key signature).

Reading. mido (used here for writing) builds one Python object per event and reads whole tracks before a
program can look at them, so a hostile file of a few megabytes costs seconds and hundreds of megabytes
before anyone can count anything. `song_from_bytes` therefore walks the bytes once itself, counting as it
goes, and stops with a `MidiFormatError` as soon as a limit below is passed. Everything a DAW user expects:
- format 0, 1 and 2 files (format 2 tracks are read as if they played together, like format 1);
- one `Track` per (MIDI track, channel, program): a format-0 file with 5 channels gives 5 tracks, and a
  program change in the middle of a track starts a new Track; tracks without notes are not kept;
- channel 10 (index 9) is the drum channel (`is_drum=True`);
- running status, and note-on with velocity 0 as a note-off;
- overlapping notes of the same pitch on one channel: a note-off ends *every* sounding note of that pitch
  (as pretty_midi does), so a stray note-on without its note-off cannot shift the lengths of all the notes
  after it; a note struck on the very tick of the note-off stays on when older ones were sounding (events
  on one tick come in no meaningful order). Overlapping same-pitch notes therefore come back shortened;
- zero-length notes (note-on and note-off on the same tick) become one tick long, so drum hits written
  that way are not lost; notes never switched off end where their track ends;
- the sustain pedal (controller 64, value >= 64 = down): a note released while the pedal is down keeps
  sounding until the pedal comes up, or until the same key is struck again, as pretty_midi users expect
  of piano performances. Pass `sustain=False` to keep the notes as the keys were played. The pedal events
  themselves are not kept (a Song has no controllers);
- tempo, time signature and key signature events from any track (pretty_midi reads them from the first
  track only); a tempo is the shortest decimal that gives back the file's microseconds per beat (666667
  -> 90.0 BPM); the first key signature becomes `song.key`; the first track's name becomes `song.title`
  when that track has no notes (a format-1 "conductor" track), otherwise the file name does;
- SMPTE time division (frames per second instead of ticks per beat) is read at 120 BPM, 2 beats a second.

Writing. `midi_bytes` makes a format-1 file at 480 ticks per beat: a conductor track (title, tempo,
time-signature and key events), then one track per Track with its name, program change and its own
channel (drums on channel 10; more than 15 pitched tracks share channels, each still in its own track).
Times are rounded to the nearest tick; a note shorter than a tick is written one tick long. The same Song
always gives the same bytes.
"""

from __future__ import annotations

import io
import os
import struct
from dataclasses import replace
from pathlib import Path

import mido

from ..errors import InvalidArgumentError, MidiFormatError
from ..files import atomic_write_bytes
from .keys import PITCH_CLASS_NAMES, key_from_signature, parse_key, signature_from_key
from .song import Note, Song, TempoChange, TimeSignature, Track, note_order

TICKS_PER_BEAT = 480  # resolution of the files we write

# Limits on what a file may ask of us: past any of these, reading stops with a MidiFormatError.
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_EVENTS = 1_000_000
MAX_NOTES = 500_000
MAX_TRACKS = 1024  # track chunks in the file, and Tracks in the Song
MAX_BEATS = 100_000  # about 14 hours at 120 BPM

DRUM_CHANNEL = 9  # "channel 10" as musicians count channels from 1
SUSTAIN_PEDAL = 64
UNFORESEEN = "could not be read"  # the reason given for failures the reader has no rule for (fuzz tests hunt them)
HEADER_SEARCH_BYTES = 4096  # MIDI wrapped in RIFF (.rmi) or MacBinary has its header a little way in

# Number of data bytes after each channel-message status (high nibble).
_DATA_LENGTH = {0x80: 2, 0x90: 2, 0xA0: 2, 0xB0: 2, 0xC0: 1, 0xD0: 1, 0xE0: 2}
# System common / real-time messages that sometimes appear in files: their data lengths (skipped).
_SYSTEM_LENGTH = {0xF1: 1, 0xF2: 2, 0xF3: 1, 0xF6: 0, 0xF8: 0, 0xFA: 0, 0xFB: 0, 0xFC: 0, 0xFE: 0}


class _Stop(Exception):
    """Internal: the file breaks a rule or a limit; carries the reason for MidiFormatError."""


# --- reading -----------------------------------------------------------------------------------------------


def read_midi(path: str | os.PathLike, sustain: bool = True) -> Song:
    """Read a Standard MIDI File into a Song (note times in beats). See the module docstring for the rules.

    Raises `MidiFormatError` naming the file and the reason if it is missing, not MIDI, truncated,
    has no notes, or is too large.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise MidiFormatError(path, "is a folder, not a MIDI file")
        if size > MAX_FILE_BYTES:
            raise MidiFormatError(path, f"too large: {size:,} bytes (the limit is {MAX_FILE_BYTES:,})")
        data = path.read_bytes()
    except FileNotFoundError:
        raise MidiFormatError(path, "no such file") from None
    except OSError as error:
        raise MidiFormatError(path, f"cannot be read ({error.strerror or error})") from None
    song = song_from_bytes(data, name=str(path), sustain=sustain)
    return song if song.title else replace(song, title=path.stem)


def song_from_bytes(data: bytes, name: str = "<bytes>", sustain: bool = True) -> Song:
    """Read a Standard MIDI File held in memory; `name` is used in error messages."""
    if not data:
        raise MidiFormatError(name, "empty file (0 bytes), not a MIDI file")
    if len(data) > MAX_FILE_BYTES:
        raise MidiFormatError(name, f"too large: {len(data):,} bytes (the limit is {MAX_FILE_BYTES:,})")
    try:
        return _Reader(bytes(data), sustain).song()
    except _Stop as stop:
        raise MidiFormatError(name, str(stop)) from None
    except (IndexError, struct.error):
        raise MidiFormatError(name, "truncated: the file ends in the middle of an event") from None
    except MemoryError:
        raise MidiFormatError(name, "too large: not enough memory to read it") from None
    except Exception as error:  # a case the reader did not foresee: still the file's fault, said plainly
        raise MidiFormatError(name, f"{UNFORESEEN} ({type(error).__name__}: {error})") from None


class _Reader:
    """One pass over the bytes of a MIDI file, collecting notes, tempos, meters and names."""

    def __init__(self, data: bytes, sustain: bool):
        self.data = data
        self.sustain = sustain
        self.events = 0
        self.note_count = 0
        self.tracks: dict[tuple[int, int, int], Track] = {}  # (chunk, channel, program) -> Track
        self.tempos: list[tuple[int, int, float]] = []  # (tick, chunk, bpm)
        self.meters: list[tuple[int, int, int, int]] = []  # (tick, chunk, numerator, denominator)
        self.keys: list[tuple[int, int, str]] = []  # (tick, chunk, key name)
        self.names: dict[int, str] = {}  # chunk -> track name

    def song(self) -> Song:
        start = self.data.find(b"MThd", 0, HEADER_SEARCH_BYTES)
        if start < 0:
            raise _Stop("not a MIDI file (no 'MThd' header)")
        header_length, file_format, chunk_count, division = struct.unpack_from(">LHHH", self.data, start + 4)
        if header_length < 6:
            raise _Stop(f"not a MIDI file (header of {header_length} bytes, expected 6)")
        if file_format > 2:
            raise _Stop(f"unknown MIDI format {file_format} (expected 0, 1 or 2)")
        if chunk_count > MAX_TRACKS:
            raise _Stop(f"too large: {chunk_count} tracks (the limit is {MAX_TRACKS})")
        self.ticks_per_beat, self.smpte = self._division(division)
        self.max_tick = int(MAX_BEATS * self.ticks_per_beat)

        position, chunk = start + 8 + header_length, 0
        while chunk < chunk_count and position + 8 <= len(self.data):
            kind, length = struct.unpack_from(">4sL", self.data, position)
            body = position + 8
            if body + length > len(self.data):
                # A length that overshoots the file is a common slip of old writers: accept the track
                # if its end-of-track event is there, and the file ends with it.
                if kind != b"MTrk" or not self._read_track(chunk, body, len(self.data)) or chunk + 1 < chunk_count:
                    raise _Stop(f"truncated: track {chunk + 1} claims {length:,} bytes, the file has "
                                f"{len(self.data) - body:,} left")
                chunk += 1
                break
            if kind == b"MTrk":
                self._read_track(chunk, body, body + length)
                chunk += 1
            position = body + length  # unknown chunk kinds are skipped, as the standard asks
        if chunk < chunk_count:
            raise _Stop(f"truncated: the header announces {chunk_count} tracks, the file holds {chunk}")
        return self._assemble()

    def _division(self, division: int) -> tuple[float, bool]:
        """Ticks per beat from the header's division field (ticks per beat, or SMPTE frames x ticks)."""
        if division & 0x8000:
            frames_per_second = 256 - (division >> 8)
            ticks_per_frame = division & 0xFF
            if frames_per_second not in (24, 25, 29, 30) or ticks_per_frame == 0:
                raise _Stop(f"not a valid MIDI file (SMPTE division {frames_per_second} x {ticks_per_frame})")
            return frames_per_second * ticks_per_frame / 2.0, True  # read at 120 BPM: 2 beats a second
        if division == 0:
            raise _Stop("not a valid MIDI file (0 ticks per beat)")
        return float(division), False

    def _read_track(self, chunk: int, position: int, end: int) -> bool:
        """Walk one track chunk's events; notes go to `self.tracks`, meta events to the lists.

        Returns True if the track ended with its end-of-track event.
        """
        data, tick, status = self.data, 0, 0
        programs = [0] * 16
        # (channel, pitch) -> [(start tick, velocity, program)] of the notes sounding, oldest first
        sounding: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
        held: dict[tuple[int, int], list[tuple[int, int, int]]] = {}  # released, but held by the pedal
        pedal_down = [False] * 16
        events_left = MAX_EVENTS - self.events
        found_end = False
        while position < end:
            events_left -= 1
            if events_left < 0:
                raise _Stop(f"too large: more than {MAX_EVENTS:,} events")
            if data[position] < 0x80:  # most delta times fit in one byte: skip the general decoder
                tick += data[position]
                position += 1
            else:
                delta, position = _read_varlen(data, position)
                tick += delta
            byte = data[position]
            if byte < 0x80:  # running status: this byte is already data; reuse the previous status
                if not status:
                    raise _Stop(f"not a valid MIDI file (track {chunk + 1}: data byte 0x{byte:02x} without a status)")
            else:
                position += 1
                if byte >= 0xF0:
                    if byte == 0xFF:  # meta event: type, length, payload
                        meta_type = data[position]
                        length, position = _read_varlen(data, position + 1)
                        self._meta(chunk, tick, meta_type, data[position:position + length])
                        position += length
                        if meta_type == 0x2F:  # end of track
                            found_end = True
                            break
                        continue
                    status = 0  # system events cancel running status
                    if byte in (0xF0, 0xF7):  # system exclusive: length then payload, skipped
                        length, position = _read_varlen(data, position)
                        position += length
                    elif byte in _SYSTEM_LENGTH:
                        position += _SYSTEM_LENGTH[byte]
                    else:
                        raise _Stop(f"not a valid MIDI file (track {chunk + 1}: undefined status byte 0x{byte:02x})")
                    continue
                status = byte
            kind, channel = status & 0xF0, status & 0x0F
            first = data[position]
            second = data[position + 1] if _DATA_LENGTH[kind] == 2 else 0
            position += _DATA_LENGTH[kind]
            if first > 127 or second > 127:
                raise _Stop(f"not a valid MIDI file (track {chunk + 1}: data byte above 127 at tick {tick})")

            if kind == 0x90 and second > 0:  # note on
                key = (channel, first)
                if key in held:  # striking a key again ends the note the pedal was holding
                    self._end_notes(chunk, channel, first, held.pop(key), tick)
                sounding.setdefault(key, []).append((tick, second, programs[channel]))
            elif kind == 0x80 or kind == 0x90:  # note off (or note on with velocity 0)
                starts = sounding.pop((channel, first), None)
                if starts:
                    # Ends every sounding note of this key, except those struck on this very tick when older
                    # ones are sounding: events on one tick come in no meaningful order.
                    ending = [start for start in starts if start[0] < tick] or starts
                    if len(ending) < len(starts):
                        sounding[(channel, first)] = [start for start in starts if start[0] == tick]
                    if self.sustain and pedal_down[channel]:
                        held.setdefault((channel, first), []).extend(ending)
                    else:
                        self._end_notes(chunk, channel, first, ending, tick)
            elif kind == 0xC0:
                programs[channel] = first
            elif kind == 0xB0 and first == SUSTAIN_PEDAL:
                pedal_down[channel] = second >= 64
                if not pedal_down[channel]:
                    for key in [key for key in held if key[0] == channel]:
                        self._end_notes(chunk, channel, key[1], held.pop(key), tick)
        else:
            if position > end:
                raise _Stop(f"truncated: track {chunk + 1}'s last event runs past the end of its chunk")
        self.events = MAX_EVENTS - max(events_left, 0)
        for (channel, pitch), starts in list(held.items()) + list(sounding.items()):
            self._end_notes(chunk, channel, pitch, starts, tick)
        return found_end

    def _end_notes(self, chunk: int, channel: int, pitch: int, starts: list[tuple[int, int, int]], tick: int) -> None:
        """Record notes of `pitch` that began at `starts` (tick, velocity, program) and end at `tick`."""
        if tick > self.max_tick:
            raise _Stop(f"too large: a note ends after beat {MAX_BEATS:,}")
        self.note_count += len(starts)
        if self.note_count > MAX_NOTES:
            raise _Stop(f"too large: more than {MAX_NOTES:,} notes")
        beats = self.ticks_per_beat
        for start, velocity, program in starts:
            key = (chunk, channel, program)
            track = self.tracks.get(key)
            if track is None:
                if len(self.tracks) >= MAX_TRACKS:
                    raise _Stop(f"too large: more than {MAX_TRACKS} tracks")
                track = self.tracks[key] = Track(program=program, is_drum=channel == DRUM_CHANNEL)
            end = max(tick, start + 1)  # zero-length notes last one tick
            track.notes.append(Note(pitch, start / beats, end / beats, velocity))

    def _meta(self, chunk: int, tick: int, meta_type: int, payload: bytes) -> None:
        """Keep the meta events a Song has room for: track name, tempo, time and key signature."""
        if meta_type == 0x03 and chunk not in self.names:
            self.names[chunk] = _decode_text(payload)
        elif tick > self.max_tick:
            return
        elif meta_type == 0x51 and len(payload) >= 3 and not self.smpte:
            microseconds = int.from_bytes(payload[:3], "big")
            if microseconds > 0:
                self.tempos.append((tick, chunk, _bpm(microseconds)))
        elif meta_type == 0x58 and len(payload) >= 2 and payload[0] > 0 and payload[1] <= 6:
            self.meters.append((tick, chunk, payload[0], 2 ** payload[1]))
        elif meta_type == 0x59 and len(payload) >= 2:
            sharps, minor = int.from_bytes(payload[:1], "big", signed=True), payload[1] == 1
            if -7 <= sharps <= 7 and payload[1] in (0, 1):  # a broken key signature is ignored
                self.keys.append((tick, chunk, key_from_signature(sharps, minor)))

    def _assemble(self) -> Song:
        if not self.tracks:
            raise _Stop("no notes")
        beats = self.ticks_per_beat
        order = []
        for (chunk, channel, _program), track in self.tracks.items():
            track.notes.sort(key=note_order)
            track.name = self.names.get(chunk, "")
            order.append(((chunk, track.notes[0].start, channel), track))
        order.sort(key=lambda item: item[0])  # file order, then the order in which the parts come in
        tracks = [track for _, track in order]
        tempos = _last_per_tick([(tick, chunk, TempoChange(tick / beats, bpm)) for tick, chunk, bpm in self.tempos])
        meters = _last_per_tick(
            [(tick, chunk, TimeSignature(tick / beats, num, den)) for tick, chunk, num, den in self.meters]
        )
        conductor_has_notes = any(chunk == 0 for chunk, _, _ in self.tracks)
        title = "" if conductor_has_notes else self.names.get(0, "")
        key = min(self.keys)[2] if self.keys else None
        return Song(tracks=tracks, tempos=tempos, time_signatures=meters, key=key, title=title)


def _read_varlen(data: bytes, position: int) -> tuple[int, int]:
    """A MIDI variable-length number (7 bits per byte, high bit = more follows; at most 4 bytes)."""
    value = 0
    for count in range(4):
        byte = data[position + count]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, position + count + 1
    raise _Stop("not a valid MIDI file (a variable-length number longer than 4 bytes)")


def _bpm(microseconds_per_beat: int) -> float:
    """The tempo in BPM, as the shortest decimal that gives back the same microseconds (666667 -> 90.0)."""
    exact = 60_000_000 / microseconds_per_beat
    for decimals in range(7):
        if round(60_000_000 / round(exact, decimals)) == microseconds_per_beat:
            return round(exact, decimals)
    return exact


def _decode_text(payload: bytes) -> str:
    """Meta text: UTF-8 when it is valid UTF-8 (modern DAWs), otherwise Latin-1 (the old default)."""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        text = payload.decode("latin-1")
    return text.replace("\x00", "").strip()


def _last_per_tick(changes: list[tuple]) -> list:
    """Sort (tick, chunk, value) by time; of several changes on one tick keep the last; drop repeats."""
    by_tick = {}
    for tick, _chunk, value in sorted(changes, key=lambda change: (change[0], change[1])):
        by_tick[tick] = value
    kept = []
    for value in by_tick.values():
        if not kept or replace(kept[-1], beat=value.beat) != value:
            kept.append(value)
    return kept


# --- writing -----------------------------------------------------------------------------------------------


def midi_bytes(song: Song) -> bytes:
    """The Song as a format-1 Standard MIDI File, 480 ticks per beat. Same Song, same bytes."""
    midi = mido.MidiFile(type=1, ticks_per_beat=TICKS_PER_BEAT, charset="utf-8")
    midi.tracks.append(_conductor_track(song))
    channels = _channels(song.tracks)
    for track, channel in zip(song.tracks, channels):
        midi.tracks.append(_note_track(track, channel))
    buffer = io.BytesIO()
    try:
        midi.save(file=buffer)
    except UnicodeEncodeError as error:  # pragma: no cover - utf-8 encodes every str
        raise InvalidArgumentError(f"a track name cannot be written: {error}") from None
    return buffer.getvalue()


def write_midi(song: Song, path: str | os.PathLike, overwrite: bool = False) -> Path:
    """Write the Song to `path` as a Standard MIDI File (atomically; an existing file needs overwrite=True)."""
    return atomic_write_bytes(path, midi_bytes(song), overwrite=overwrite)


def _tick(beat: float) -> int:
    if beat < 0:
        raise InvalidArgumentError(f"times must not be negative, got beat {beat}")
    return round(beat * TICKS_PER_BEAT)


def _channels(tracks: list[Track]) -> list[int]:
    """Channel 10 for drums; the other 15 channels in turn for pitched tracks."""
    pitched = [channel for channel in range(16) if channel != DRUM_CHANNEL]
    channels, next_index = [], 0
    for track in tracks:
        if track.is_drum:
            channels.append(DRUM_CHANNEL)
        else:
            channels.append(pitched[next_index % len(pitched)])
            next_index += 1
    return channels


def _to_delta(events: list[tuple[int, int, mido.Message]]) -> mido.MidiTrack:
    """(absolute tick, order, message) -> a mido track with delta times, in time order."""
    track, previous = mido.MidiTrack(), 0
    for tick, _order, message in sorted(events, key=lambda event: event[:2]):
        message.time = tick - previous
        track.append(message)
        previous = tick
    return track


# A mode is a major scale begun on another degree (D dorian: the notes of C major from D), and MIDI key
# signatures name only major and minor keys: a mode is written with its parent major key's signature.
MODE_DEGREES = {"ionian": 0, "dorian": 2, "phrygian": 4, "lydian": 5, "mixolydian": 7, "aeolian": 9, "locrian": 11}


def _key_signature(key: str) -> tuple[int, bool]:
    """(sharps, is_minor) to write for a key: "D major" -> (2, False), "A dorian" -> G major's (1, False)."""
    tonic, _, mode = key.strip().partition(" ")
    if mode.strip().lower() not in MODE_DEGREES:
        return signature_from_key(key)  # major, minor, or an unknown key's clear error
    try:
        tonic_class = parse_key(tonic)[0]
    except InvalidArgumentError:
        raise InvalidArgumentError(f"unknown key {key!r}: the tonic should be a letter A-G with # or b") from None
    parent = (tonic_class - MODE_DEGREES[mode.strip().lower()]) % 12
    return signature_from_key(f"{PITCH_CLASS_NAMES[parent]} major")[0], False


def _conductor_track(song: Song) -> mido.MidiTrack:
    events = []
    if song.title:
        events.append((0, 0, mido.MetaMessage("track_name", name=song.title)))
    if song.key:
        sharps, minor = _key_signature(song.key)
        mido_key = key_from_signature(sharps, minor).replace(" major", "").replace(" minor", "m")
        events.append((0, 1, mido.MetaMessage("key_signature", key=mido_key)))
    for sig in song.time_signatures:
        if sig.denominator <= 0 or sig.denominator & (sig.denominator - 1) or not 0 < sig.numerator < 256:
            raise InvalidArgumentError(
                f"time signature {sig.numerator}/{sig.denominator} cannot be written to MIDI "
                "(the denominator must be a power of 2)"
            )
        message = mido.MetaMessage("time_signature", numerator=sig.numerator, denominator=sig.denominator)
        events.append((_tick(sig.beat), 2, message))
    for change in song.tempos:
        tempo = min(max(round(60_000_000 / change.bpm), 1), 0xFFFFFF)
        events.append((_tick(change.beat), 3, mido.MetaMessage("set_tempo", tempo=tempo)))
    return _to_delta(events)


def _note_track(track: Track, channel: int) -> mido.MidiTrack:
    if not 0 <= track.program <= 127:
        raise InvalidArgumentError(f"track {track.name!r}: program must be 0..127, got {track.program}")
    events = [(0, 0, mido.MetaMessage("track_name", name=track.name))] if track.name else []
    events.append((0, 1, mido.Message("program_change", channel=channel, program=track.program)))
    for note in track.notes:
        if not 0 <= note.pitch <= 127:
            raise InvalidArgumentError(f"track {track.name!r}: pitch must be 0..127, got {note.pitch}")
        start = _tick(note.start)
        end = max(_tick(note.end), start + 1)
        velocity = min(max(int(note.velocity), 1), 127)
        # At one tick, note-offs (order 2) come before note-ons (order 3), so a repeated note restarts cleanly.
        events.append((start, 3 * 128 + note.pitch, mido.Message("note_on", channel=channel, note=note.pitch,
                                                                  velocity=velocity)))
        events.append((end, 2 * 128 + note.pitch, mido.Message("note_off", channel=channel, note=note.pitch)))
    return _to_delta(events)
