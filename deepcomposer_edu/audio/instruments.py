"""The instrument library: named presets mapped to General MIDI programs, grouped in packs.

Lesson: lessons/00_welcome.ipynb (same theme, five orchestrations) and lessons/07_style_transfer.ipynb
(a style names a pack: a jig gets the "world" pack, a chorale the "orchestral" one).

A *preset* is a friendly name for a GM program ("cello" is program 42) or, on a drum track, a GM drum kit.
A *pack* says which presets play which role in a song: the melody (highest part), the harmony (middle
parts), the bass (lowest part) and the drums. `apply_instrument_pack(song, "orchestral")` re-orchestrates
a song by giving each track the program of its role. The pack names are the vocabulary `styles.py` uses.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace

from ..errors import InvalidArgumentError
from ..music.song import Song, Track


@dataclass(frozen=True)
class Preset:
    """A named instrument: GM `program` (0..127; for a drum kit, the kit number) in `pack`."""

    name: str
    program: int
    pack: str
    is_drum: bool = False


def _presets(pack: str, entries: dict[str, int], is_drum: bool = False) -> list[Preset]:
    return [Preset(name, program, pack, is_drum) for name, program in entries.items()]


PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in [
        *_presets("orchestral", {
            "violin": 40, "viola": 41, "cello": 42, "contrabass": 43, "tremolo strings": 44,
            "pizzicato strings": 45, "harp": 46, "timpani": 47, "string ensemble": 48, "slow strings": 49,
            "choir": 52, "orchestra hit": 55, "trumpet": 56, "trombone": 57, "tuba": 58, "french horn": 60,
            "brass section": 61, "oboe": 68, "english horn": 69, "bassoon": 70, "clarinet": 71,
            "piccolo": 72, "flute": 73, "celesta": 8, "glockenspiel": 9,
        }),
        *_presets("band", {
            "grand piano": 0, "bright piano": 1, "honky-tonk piano": 3, "electric piano": 4, "harpsichord": 6,
            "clavinet": 7, "drawbar organ": 16, "rock organ": 18, "church organ": 19, "accordion": 21,
            "harmonica": 22, "nylon guitar": 24, "steel guitar": 25, "jazz guitar": 26, "clean guitar": 27,
            "muted guitar": 28, "overdriven guitar": 29, "distortion guitar": 30, "acoustic bass": 32,
            "electric bass": 33, "picked bass": 34, "fretless bass": 35, "slap bass": 36, "soprano sax": 64,
            "alto sax": 65, "tenor sax": 66, "baritone sax": 67,
        }),
        *_presets("synth", {
            "synth bass": 38, "synth bass 2": 39, "square lead": 80, "saw lead": 81, "calliope lead": 82,
            "chiff lead": 83, "charang": 84, "voice lead": 85, "fifths lead": 86, "bass and lead": 87,
            "new age pad": 88, "warm pad": 89, "polysynth": 90, "choir pad": 91, "bowed pad": 92,
            "metallic pad": 93, "halo pad": 94, "sweep pad": 95, "rain": 96, "soundtrack": 97, "crystal": 98,
            "atmosphere": 99, "brightness": 100, "goblins": 101, "echoes": 102, "sci-fi": 103,
        }),
        *_presets("world", {
            "sitar": 104, "banjo": 105, "shamisen": 106, "koto": 107, "kalimba": 108, "bagpipe": 109,
            "fiddle": 110, "shanai": 111, "shakuhachi": 77, "pan flute": 75, "ocarina": 79, "recorder": 74,
            "whistle": 78, "steel drums": 114, "dulcimer": 15, "tango accordion": 23,
        }),
        *_presets("percussion", {
            "vibraphone": 11, "marimba": 12, "xylophone": 13, "tubular bells": 14, "music box": 10,
            "tinkle bell": 112, "agogo": 113, "woodblock": 115, "taiko drum": 116, "melodic tom": 117,
            "synth drum": 118, "reverse cymbal": 119,
        }),
        *_presets("percussion", {
            "standard kit": 0, "room kit": 8, "power kit": 16, "electronic kit": 24, "808 kit": 25,
            "jazz kit": 32, "brush kit": 40, "orchestra kit": 48,
        }, is_drum=True),
    ]
}

ROLES = ("melody", "harmony", "bass", "drums")


@dataclass(frozen=True)
class Pack:
    """Which presets play each role. Several harmony tracks take the harmony presets in turn."""

    name: str
    description: str
    melody: str
    harmony: tuple[str, ...]
    bass: str
    drums: str


PACKS: dict[str, Pack] = {
    pack.name: pack
    for pack in [
        Pack("orchestral", "strings, woodwinds and brass of a symphony orchestra",
             melody="violin", harmony=("string ensemble", "french horn", "clarinet"), bass="cello", drums="orchestra kit"),
        Pack("band", "a rock/pop/jazz band: piano, guitars, sax, electric bass and a drum kit",
             melody="alto sax", harmony=("grand piano", "clean guitar", "drawbar organ"), bass="electric bass",
             drums="standard kit"),
        Pack("synth", "electronic: saw lead, pads, synth bass and a drum machine",
             melody="saw lead", harmony=("warm pad", "polysynth"), bass="synth bass", drums="808 kit"),
        Pack("world", "instruments from around the world: shakuhachi, koto, sitar, steel drums",
             melody="shakuhachi", harmony=("koto", "sitar", "steel drums"), bass="acoustic bass", drums="room kit"),
        Pack("percussion", "tuned percussion: marimba, vibraphone, bells, timpani and drums",
             melody="marimba", harmony=("vibraphone", "tubular bells"), bass="timpani", drums="standard kit"),
        Pack("piano", "everything on the grand piano (the sound of most MIDI files)",
             melody="grand piano", harmony=("grand piano",), bass="grand piano", drums="standard kit"),
    ]
}


def instrument(name: str) -> Preset:
    """The preset called `name` (case and spaces/hyphens forgiving); a clear error suggests close names."""
    key = " ".join(name.lower().replace("_", " ").split())
    if key in PRESETS:
        return PRESETS[key]
    close = difflib.get_close_matches(key, PRESETS, n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else "; see audio.instruments.PRESETS"
    raise InvalidArgumentError(f"unknown instrument {name!r}{hint}")


def pack(name: str) -> Pack:
    """The pack called `name`, with a clear error (listing the packs) on an unknown one."""
    key = name.lower().strip()
    if key not in PACKS:
        raise InvalidArgumentError(f"unknown instrument pack {name!r}; choose one of: {', '.join(PACKS)}")
    return PACKS[key]


def presets_in(pack_name: str) -> list[Preset]:
    """Every preset filed under pack `pack_name` (the library's catalogue, not a pack's roles)."""
    pack(pack_name)
    return [preset for preset in PRESETS.values() if preset.pack == pack_name]


def track_roles(song: Song) -> list[str]:
    """The role of each track: drums; else melody for the highest part, bass for the lowest, harmony between.

    A track named like its role ("Bass", "lead melody", "chords", ...) keeps that role. With one
    pitched track, it is the melody.
    """
    by_name = {"melody": "melody", "lead": "melody", "bass": "bass", "chord": "harmony", "harmony": "harmony",
               "accomp": "harmony", "pad": "harmony"}
    roles: list[str | None] = []
    for track in song.tracks:
        named = next((role for word, role in by_name.items() if word in track.name.lower()), None)
        roles.append("drums" if track.is_drum else named)
    pitched = [i for i, track in enumerate(song.tracks) if not track.is_drum and roles[i] is None and track.notes]
    pitched.sort(key=lambda i: mean_pitch(song.tracks[i]))
    taken = set(roles)
    if pitched and "melody" not in taken:
        roles[pitched.pop()] = "melody"
    if pitched and "bass" not in taken:
        roles[pitched.pop(0)] = "bass"
    return [role or "harmony" for role in roles]


def mean_pitch(track: Track) -> float:
    return sum(note.pitch for note in track.notes) / len(track.notes) if track.notes else 0.0


def apply_instrument_pack(song: Song, pack_name: str) -> Song:
    """A copy of `song` where each track plays its role's instrument from pack `pack_name`."""
    chosen = pack(pack_name)
    tracks = []
    harmony_count = 0
    for track, role in zip(song.tracks, track_roles(song)):
        if role == "harmony":
            name = chosen.harmony[harmony_count % len(chosen.harmony)]
            harmony_count += 1
        else:
            name = getattr(chosen, role)
        tracks.append(replace(track, program=PRESETS[name].program))
    return replace(song, tracks=tracks)
