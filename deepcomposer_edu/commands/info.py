"""`deepcomposer info`: what is inside a MIDI file: tracks, notes, length, tempo, meter and key.

Lesson: lessons/00_welcome.ipynb (the same facts from Python: `read_midi("theme.mid")`).

    deepcomposer info theme.mid
    deepcomposer info theme.mid --json
"""

from __future__ import annotations

import pretty_midi

from ..music.keys import estimate_key, pitch_name
from ..music.midi import read_midi
from ..music.song import Song
from ._options import add_json_option, print_json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "info",
        help="show the tracks, notes, length, tempo, meter and key of a MIDI file",
        description=(
            "Show what is inside a MIDI file: its tracks (instrument, drums, notes, pitch range), its length in "
            "bars, beats and seconds, its tempo and meter changes, and its key (from the file's key signature, "
            "or estimated from the notes when the file has none)."
        ),
    )
    parser.add_argument("input", metavar="FILE.mid", help="the MIDI file to describe")
    add_json_option(parser)
    parser.set_defaults(run=run)


def describe(song: Song, path: str) -> dict:
    """The facts `info` prints, as plain JSON-ready values."""
    key, key_source = (song.key, "file") if song.key else (estimate_key(song), "estimated")
    tracks = []
    for index, track in enumerate(song.tracks, start=1):
        pitches = [note.pitch for note in track.notes]
        tracks.append({
            "index": index,
            "name": track.name,
            "program": track.program,
            "instrument": "Drums" if track.is_drum else pretty_midi.program_to_instrument_name(track.program),
            "is_drum": track.is_drum,
            "notes": len(track.notes),
            "lowest": pitch_name(min(pitches)) if pitches else None,
            "highest": pitch_name(max(pitches)) if pitches else None,
        })
    return {
        "file": path,
        "title": song.title,
        "notes": song.note_count,
        "bars": song.bar_count(),
        "beats": round(song.end_beat, 6),
        "seconds": round(song.duration_seconds, 3),
        "tempos": [{"beat": round(change.beat, 6), "bpm": change.bpm} for change in song.tempos],
        "time_signatures": [
            {"beat": round(sig.beat, 6), "numerator": sig.numerator, "denominator": sig.denominator}
            for sig in song.time_signatures
        ],
        "key": key,
        "key_source": key_source if key else None,
        "tracks": tracks,
    }


def _changes(items: list[str], limit: int = 6) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f", ... ({len(items)} in all)" if len(items) > limit else "")


def run(args) -> int:
    facts = describe(read_midi(args.input), args.input)
    if args.json:
        print_json(facts)
        return 0
    print(f"{facts['file']}" + (f": {facts['title']}" if facts["title"] else ""))
    print(f"  length  {facts['bars']} bars, {facts['beats']:g} beats, {facts['seconds']:.1f} s")
    tempos = [f"{t['bpm']:g} BPM" + (f" at beat {t['beat']:g}" if t["beat"] else "") for t in facts["tempos"]]
    print(f"  tempo   {_changes(tempos)}")
    meters = [f"{m['numerator']}/{m['denominator']}" + (f" at beat {m['beat']:g}" if m["beat"] else "")
              for m in facts["time_signatures"]]
    print(f"  meter   {_changes(meters)}")
    key = f"{facts['key']} ({'from the file' if facts['key_source'] == 'file' else 'estimated from the notes'})"
    print(f"  key     {key if facts['key'] else 'unknown'}")
    print(f"  tracks  {len(facts['tracks'])}, {facts['notes']} notes")
    rows = [("#", "name", "program", "instrument", "notes", "range")]
    for track in facts["tracks"]:
        rows.append((str(track["index"]), track["name"] or "-", "drums" if track["is_drum"] else str(track["program"]),
                     track["instrument"], str(track["notes"]), f"{track['lowest']}-{track['highest']}"))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        print("    " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0
