"""Benchmark: reading MIDI (issue 2). Targets: read + pianoroll no slower than pretty_midi's load alone;
slowest fuzz case under 1 s.

    python bench/midi_io.py                 # 5000 fuzz cases
    python bench/midi_io.py --fuzz 50000

Prints:
1. the slowest of N mutated-file fuzz cases (tests/fixtures/fuzz.py), with the median case;
2. for a long multi-track file made deterministically here (16 tracks, 10 minutes, tempo changes, written
   by mido with running status as DAWs do) and for the longest MIDI file music21 ships, the median of 5
   runs of `read_midi` + `to_pianoroll`, beside pretty_midi's own load (`PrettyMIDI(path)`) of the same file
   timed in the same run, and their ratio (below 1.0 = faster than pretty_midi);
3. the time to refuse a hostile file: a single track packed with running-status events up to the
   event limit (bounded work: it stops at the limit instead of reading on).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import mido
import pretty_midi

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from deepcomposer_edu.errors import MidiFormatError  # noqa: E402
from deepcomposer_edu.music import midi  # noqa: E402
from deepcomposer_edu.music.midi import read_midi, song_from_bytes  # noqa: E402
from deepcomposer_edu.music.pianoroll import to_pianoroll  # noqa: E402
from fixtures.fuzz import mutate, seed_files  # noqa: E402

RUNS = 5


def slowest_fuzz_case(cases: int) -> tuple[float, float, int]:
    """(slowest seconds, median seconds, index of the slowest) over `cases` mutated files."""
    rng = random.Random(2024)
    seeds = seed_files()
    times = []
    for _ in range(cases):
        data = mutate(rng.choice(seeds), rng)
        start = time.perf_counter()
        try:
            song_from_bytes(data)
        except MidiFormatError:
            pass
        times.append(time.perf_counter() - start)
    slowest = max(range(cases), key=times.__getitem__)
    return times[slowest], statistics.median(times), slowest


def long_multitrack_file(path: Path, tracks: int = 16, minutes: float = 10.0) -> Path:
    """A deterministic long arrangement: pitched tracks and a drum track, tempo drifting every 8 bars."""
    rng = random.Random(0)
    ticks_per_beat, beats = 480, int(minutes * 120)
    midi_file = mido.MidiFile(type=1, ticks_per_beat=ticks_per_beat)
    conductor = [(0, mido.MetaMessage("time_signature", numerator=4, denominator=4))]
    conductor += [(bar * 4 * ticks_per_beat, mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(110 + bar % 30)))
                  for bar in range(0, beats // 4, 8)]
    midi_file.tracks.append(_track(conductor))
    for index in range(tracks):
        channel = 9 if index == tracks - 1 else index % 9
        events = [(0, mido.MetaMessage("track_name", name=f"part {index + 1}")),
                  (0, mido.Message("program_change", channel=channel, program=(index * 7) % 128))]
        step = [0.25, 0.5, 1.0][index % 3]  # sixteenths, eighths or quarters
        low = 36 + (index * 5) % 48
        beat = 0.0
        while beat < beats:
            start = round(beat * ticks_per_beat)
            pitch = low + rng.randrange(24)
            length = round(step * ticks_per_beat * rng.choice([0.5, 0.9, 1.0]))
            events.append((start, mido.Message("note_on", channel=channel, note=pitch, velocity=rng.randrange(40, 120))))
            events.append((start + length, mido.Message("note_on", channel=channel, note=pitch, velocity=0)))
            beat += step
        midi_file.tracks.append(_track(events))
    midi_file.save(str(path))
    return path


def _track(events) -> mido.MidiTrack:
    track, previous = mido.MidiTrack(), 0
    for tick, message in sorted(events, key=lambda event: (event[0], event[1].type == "note_on" and event[1].velocity > 0)):
        track.append(message.copy(time=tick - previous))
        previous = tick
    return track


def median_seconds(function) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compare_with_pretty_midi(path: Path) -> None:
    warnings.filterwarnings("ignore", message="Tempo, Key or Time signature")  # pretty_midi on test04.mid
    song = read_midi(path)
    ours = median_seconds(lambda: to_pianoroll(read_midi(path), steps_per_beat=4))
    theirs = median_seconds(lambda: pretty_midi.PrettyMIDI(str(path)))
    print(f"  {path.name}: {len(song.tracks)} tracks, {song.note_count:,} notes, {song.duration_seconds:.0f} s, "
          f"{path.stat().st_size / 1024:.0f} KiB")
    print(f"    read_midi + to_pianoroll   median of {RUNS}: {ours:.3f} s")
    print(f"    pretty_midi.PrettyMIDI     median of {RUNS}: {theirs:.3f} s")
    print(f"    ratio ours / pretty_midi: {ours / theirs:.2f}")


def hostile_file_seconds() -> tuple[float, str]:
    """Time to refuse one track of running-status notes, more events than the limit allows."""
    events = midi.MAX_EVENTS + 10
    body = b"\x00\x90\x3c\x40" + b"\x00\x3c\x40" * events
    data = b"MThd" + (6).to_bytes(4, "big") + bytes([0, 0, 0, 1, 1, 0xE0]) + b"MTrk" + len(body).to_bytes(4, "big") + body
    start = time.perf_counter()
    try:
        song_from_bytes(data)
        reason = "read (no limit hit!)"
    except MidiFormatError as error:
        reason = error.reason
    return time.perf_counter() - start, f"{len(data) / 2**20:.1f} MiB: {reason}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz", type=int, default=5000, help="number of fuzz cases (default 5000)")
    args = parser.parse_args()

    slowest, median, index = slowest_fuzz_case(args.fuzz)
    print(f"fuzz: {args.fuzz} mutated files, slowest case {slowest:.4f} s (case {index}), median {median * 1000:.2f} ms"
          f" (target: slowest under 1 s)")

    print("long multi-track files (target: ratio <= 1.0):")
    with tempfile.TemporaryDirectory() as folder:
        compare_with_pretty_midi(long_multitrack_file(Path(folder) / "long_16_tracks.mid"))
    import music21

    longest = max(Path(music21.__file__).parent.rglob("*.mid"), key=lambda p: p.stat().st_size)
    compare_with_pretty_midi(longest)

    seconds, what = hostile_file_seconds()
    print(f"hostile file ({what}) refused in {seconds:.2f} s")


if __name__ == "__main__":
    main()
