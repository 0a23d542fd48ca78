"""Real instrument samples: playing a Song through a General MIDI soundfont with tinysoundfont.

Lesson: lessons/00_welcome.ipynb (the same notes through a synthesizer and through recorded instruments).

Two engines can play one: the tinysoundfont package (here, in-process) and, when it is missing, the
fluidsynth program (fluidsynth.py). A soundfont (.sf2, or the compressed .sf3) is a bank of recorded samples for the 128 General MIDI programs
and a drum kit. We look for one in this order: the `DEEPCOMPOSER_SOUNDFONT` environment variable, then the
places Debian's soundfont packages install to (TimGM6mb first: small and quick to load). When none is
found, `render` falls back to the built-in synthesizer (synth.py), so sound always works. Both engines
read .sf3 too, but decompressing it makes loading slow (about 3 s for MuseScore_General_Lite.sf3 here,
against a few hundredths of a second for TimGM6mb.sf2), which is why .sf2 files come first.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..errors import DeepComposerError
from ..music.song import Note, Song, note_order

ENV_VARIABLE = "DEEPCOMPOSER_SOUNDFONT"
SEARCH_PATHS = [
    "/usr/share/sounds/sf2/TimGM6mb.sf2",
    "/usr/share/sounds/sf2/default-GM.sf2",
    "/usr/share/sounds/sf2/FluidR3_GM.sf2",
    "/usr/share/soundfonts/default.sf2",
    "/usr/share/soundfonts/FluidR3_GM.sf2",
    "/usr/share/sounds/sf3/default-GM.sf3",
    "/usr/share/sounds/sf3/MuseScore_General.sf3",
    "/usr/share/sounds/sf3/MuseScore_General_Lite.sf3",
    "/opt/homebrew/share/soundfonts/default.sf2",
]
DRUM_CHANNEL = 9  # MIDI channel 10, counted from 0
SOUNDFONT_GAIN_DB = 6.0


class SoundfontError(DeepComposerError):
    """A soundfont that is missing, unreadable, or cannot be used on this machine."""


def tinysoundfont_available() -> bool:
    try:
        import tinysoundfont  # noqa: F401
    except ImportError:
        return False
    return True


def soundfont_engine() -> str | None:
    """Which engine will play soundfonts here: "tinysoundfont", "fluidsynth", or None (neither installed)."""
    if tinysoundfont_available():
        return "tinysoundfont"
    from .fluidsynth import fluidsynth_program

    return "fluidsynth" if fluidsynth_program() else None


def find_soundfont() -> Path | None:
    """The soundfont to use when none is named: $DEEPCOMPOSER_SOUNDFONT, else the first system one found."""
    configured = os.environ.get(ENV_VARIABLE, "")
    if configured and configured.lower() not in ("builtin", "none"):
        path = Path(configured).expanduser()
        if not path.is_file():
            raise SoundfontError(f"{path}: no such soundfont (from ${ENV_VARIABLE})")
        return path
    if configured:
        return None  # DEEPCOMPOSER_SOUNDFONT=builtin asks for the built-in synthesizer
    return next((Path(p) for p in SEARCH_PATHS if Path(p).is_file()), None)


def render_soundfont(song: Song, soundfont: str | os.PathLike, sample_rate: int, total_samples: int) -> np.ndarray:
    """Play `song` through `soundfont`; mono float32 array of `total_samples` samples (not normalised)."""
    if soundfont_engine() == "fluidsynth":
        from .fluidsynth import render_fluidsynth

        return render_fluidsynth(song, soundfont, sample_rate, total_samples)
    if soundfont_engine() is None:
        raise SoundfontError("no soundfont player installed: pip install --no-deps tinysoundfont (or apt install fluidsynth)")
    return render_tinysoundfont(song, soundfont, sample_rate, total_samples)


def render_tinysoundfont(song: Song, soundfont: str | os.PathLike, sample_rate: int, total_samples: int) -> np.ndarray:
    """`render_soundfont` in-process with the tinysoundfont package."""
    import tinysoundfont
    synth = tinysoundfont.Synth(samplerate=sample_rate)
    try:
        font = synth.sfload(str(soundfont), gain=SOUNDFONT_GAIN_DB)
    except Exception as error:  # tinysoundfont raises plain exceptions for unreadable files
        raise SoundfontError(f"{soundfont}: not a readable soundfont ({error})") from error

    channels = assign_channels(song)
    for channel, (program, is_drum) in channels.items():
        _select_program(synth, font, channel, program, is_drum)
    events = note_events(song, channels, sample_rate)

    stereo = np.zeros((total_samples, 2), dtype=np.float32)  # tinysoundfont writes interleaved L, R
    buffer = memoryview(stereo).cast("B")
    bytes_per_frame = 2 * 4
    position = 0
    for sample, is_on, channel, pitch, velocity in events:
        sample = min(sample, total_samples)
        if sample > position:
            synth.generate_simple(sample - position, buffer[position * bytes_per_frame : sample * bytes_per_frame])
            position = sample
        if is_on:
            synth.noteon(channel, pitch, velocity)
        else:
            synth.noteoff(channel, pitch)
    if total_samples > position:
        synth.generate_simple(total_samples - position, buffer[position * bytes_per_frame :])
    return stereo.mean(axis=1)


def assign_channels(song: Song) -> dict[int, tuple[int, bool]]:
    """MIDI channel -> (program, is_drum): drums on channel 10, one channel per distinct program otherwise.

    Tracks with the same program share a channel; past 15 distinct programs, the extra ones reuse channels
    (and so play with the program of the track that took the channel first).
    """
    channels: dict[int, tuple[int, bool]] = {}
    free = [c for c in range(16) if c != DRUM_CHANNEL]
    for track in song.tracks:
        wanted = (track.program, track.is_drum)
        if wanted in channels.values():
            continue
        if track.is_drum:
            channels.setdefault(DRUM_CHANNEL, wanted)
        elif free:
            channels[free.pop(0)] = wanted
    return channels


def track_channel(track, channels: dict[int, tuple[int, bool]]) -> int:
    wanted = (track.program, track.is_drum)
    for channel, sound in channels.items():
        if sound == wanted:
            return channel
    if track.is_drum:
        return DRUM_CHANNEL
    melodic = [c for c, (_, drum) in channels.items() if not drum]
    return melodic[track.program % len(melodic)]


def note_events(song: Song, channels, sample_rate: int) -> list[tuple[int, bool, int, int, int]]:
    """(sample, is_on, channel, pitch, velocity) for every note on and off, in playing order.

    At the same sample, note-offs come before note-ons, so a repeated note is struck again.
    """
    by_channel: dict[int, list[Note]] = {}
    for track in song.tracks:
        by_channel.setdefault(track_channel(track, channels), []).extend(track.notes)
    events = []
    for channel, notes in by_channel.items():
        for note in restrike_overlaps(notes):
            start = round(song.seconds_at(note.start) * sample_rate)
            end = max(start + 1, round(song.seconds_at(note.end) * sample_rate))
            events.append((start, True, channel, note.pitch, note.velocity))
            events.append((end, False, channel, note.pitch, 0))
    events.sort(key=lambda event: (event[0], event[1]))
    return events


def restrike_overlaps(notes: list[Note]) -> list[Note]:
    """Same-pitch notes that overlap, made playable on one MIDI channel, where a key is either down or up.

    A note struck again while it still sounds is cut where the new one starts, and the new one is held
    until the later of the two ends: the key is struck again and stays down, as on a piano. Without this,
    the first note's key-up would silence the second (a MIDI synthesizer cannot tell them apart).
    """
    result: list[Note | None] = []
    sounding: dict[int, int] = {}  # pitch -> index in result of its latest note
    for note in sorted(notes, key=note_order):
        previous = sounding.get(note.pitch)
        if previous is not None and result[previous].end > note.start:
            earlier = result[previous]
            note = replace(note, end=max(note.end, earlier.end))
            if earlier.start < note.start:
                result[previous] = replace(earlier, end=note.start)
            else:  # struck twice at the same moment: one strike
                result[previous] = None
        sounding[note.pitch] = len(result)
        result.append(note)
    return [note for note in result if note is not None]


def _select_program(synth, font: int, channel: int, program: int, is_drum: bool) -> None:
    """Choose the program (or drum kit) on `channel`; a soundfont without it plays its first one instead."""
    bank = 128 if is_drum else 0
    try:
        synth.program_select(channel, font, bank, program, is_drums=is_drum)
    except Exception:
        synth.program_select(channel, font, bank, 0, is_drums=is_drum)
