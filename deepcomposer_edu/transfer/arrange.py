"""Arranging a transferred melody in its style: the right accompaniment texture, instruments and harmony.

Lesson: lessons/07_style_transfer.ipynb (a style is more than a melody: how each style accompanies it).

Style transfer changes the melody line only (`transfer/melody.py`); a jig still needs its 6/8 lilt and a
chorale its four voices before it *sounds* like one. `arrange(melody, style)` keeps the melody note for
note (only its instrument changes to the style's pack, `styles.py`) and writes an accompaniment under it,
in the melody's own meter and tempo. Each style gets the texture it is known by:

- **chorale**: four voices. The melody is the soprano; alto, tenor and bass come from the shipped
  gan-chorale (`GanComposer.accompany`), trained on Bach's chorales. Without the model (or torch), or if
  it fails, voice-led block chords, one per beat: Bach changes harmony on almost every beat.
- **renaissance**: the same four voices (Palestrina wrote for four to six voices, not melody and
  accompaniment); the fallback holds half-note chords, as polyphony moves more slowly than a chorale.
- **irish, fiddle, scottish**: a dance texture, as a guitar or piano backs a session tune: the bass on each
  main beat and the chord on the off-beat. In 6/8 and 9/8 the main beats are dotted quarters and the chord
  falls on their last eighth, a long-short "boom-chick" that is the jig's lilt; in 2/4 and 4/4 (reels,
  hornpipes) the chord falls on the second half of each beat.
- **chinese_folk**: a drone (tonic and fifth, held a bar at a time) under a light plucked note on each
  beat, like a zither or pipa: Han folk songs are pentatonic melodies, sparsely harmonised.
- **german_folk, european_folk**: "oom-pah": bass on the strong beats, short chords on the others
  (oom-pah-pah in 3/4), the village-band and accordion accompaniment of a Volkslied.
- **classical**: an Alberti bass, the chord broken lower-upper-middle-upper in eighths, the left hand of
  Mozart's and Haydn's keyboard writing.

Harmony: the melody is cut into stretches (one bar, or half a bar when a bar has four main beats, as in
4/4 and 4/2; the chorale fallback: each beat), and each stretch gets the chord that fits its melody notes
best (`mood.harmony.choose_chord`), voiced so that its notes move least from the last chord
(`mood.harmony.voice_lead`). The chords to choose from are the major and minor triads of the harmony
table whose notes lie in the key's scale (a minor key's scale includes its raised seventh, so V can
cadence); for a mode such as A dorian these are its own chords (D major is there, A minor's F major is
not). The main chords (I, IV, V, vi; in minor i, iv, V, VI, III, VII) are tried first, and the others
(ii, iii, the modes' own chords) only where no main chord holds half of the stretch's melody. The key is
`key` when given ("A dorian", "F# minor"), else estimated from the notes (`music.keys.estimate_key`).

Registers: bass 36-55, chords 48-67, and every accompaniment note *below* the melody: lower than the
lowest melody note sounding at any moment of it (a note that would reach the melody is moved down by
octaves, and left out below MIDI 24; gan-chorale's bass, which now and then leaps up, is folded into the
bass register first). The accompaniment stops where the melody ends. Everything is
decided by `seed` (ties between chords, the GAN's noise), so the same seed gives the same MIDI bytes.
"""

from __future__ import annotations

import bisect
import functools
import random
import warnings
from dataclasses import dataclass, replace

from ..audio.instruments import instrument
from ..audio.instruments import pack as find_pack
from ..errors import InvalidArgumentError
from ..mood.harmony import CHORDS, MAJOR, MINOR, SCALES, Chord, choose_chord, vocabulary, voice_lead
from ..music.keys import estimate_key, parse_key
from ..music.song import Note, Song, TimeSignature, Track, note_order
from ..styles import get_style

BASS_LOW, BASS_HIGH = 36, 55  # the bass's register (C2..G3)
CHORD_HIGH = 67  # chords sit in 48..67 (C3..G4): voice_lead voices them from 48, notes above 67 drop an octave
LOWEST = 24  # a note pushed below C1 to stay under the melody is left out
EPSILON = 1e-6

TEXTURES = {"chorale": "chorale", "renaissance": "renaissance", "irish": "dance", "fiddle": "dance",
            "scottish": "dance", "chinese_folk": "drone", "german_folk": "oompah", "european_folk": "oompah",
            "classical": "alberti"}
VELOCITY = {"bass": 72, "chords": 54, "alberti": 56, "drone": 48, "pluck": 60, "alto": 64, "tenor": 64}

# A mode is the major scale begun on one of its degrees: dorian on the 2nd, mixolydian on the 5th, ...
MODES = ("ionian", "dorian", "phrygian", "lydian", "mixolydian", "aeolian", "locrian")


# --- the key ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """A tonic (pitch class 0..11) and the scale above it (semitones, 0 first)."""

    tonic: int
    scale: tuple[int, ...]

    @property
    def parent(self) -> str:
        """'minor' for a scale with a minor third (minor, dorian, phrygian, aeolian, locrian), else 'major'."""
        return "minor" if 3 in self.scale else "major"


def mode_scale(mode: str) -> tuple[int, ...]:
    major = SCALES["major"]
    first = major[MODES.index(mode)]
    return tuple(sorted((step - first) % 12 for step in major))


def read_key(name: str) -> Key:
    """'A dorian' / 'F# minor' / 'Bb' -> Key; a minor key's scale has both sevenths (natural and leading tone)."""
    tonic_word, _, mode = name.strip().partition(" ")
    mode = mode.strip().lower()
    if mode in MODES:
        return Key(parse_key(tonic_word)[0], mode_scale(mode))
    try:
        tonic, minor = parse_key(name)
    except InvalidArgumentError:
        raise InvalidArgumentError(f"unknown key {name!r}: expected 'C major', 'F# minor' or a mode such as "
                                   f"'A dorian' ({', '.join(MODES)})") from None
    return Key(tonic, SCALES["minor"] + (11,) if minor else SCALES["major"])


def key_chords(key: Key) -> tuple[list[Chord], list[Chord]]:
    """(main chords, all chords) of the key: all are the harmony table's major and minor triads whose notes
    lie in the key's scale; the main ones are those of the parent's plainest vocabulary (I, IV, V, vi; in
    minor i, iv, VI, III, VII) and the dominant V, as far as the scale has them."""
    scale, found, seen = set(key.scale), [], set()
    for chord in CHORDS.values():
        notes = frozenset(chord.pitch_classes(0))
        if chord.intervals in (MAJOR, MINOR) and notes <= scale and notes not in seen:
            seen.add(notes)  # "VI" and "bVI" are the same chord
            found.append(chord)
    plainest = {frozenset(chord.pitch_classes(0)) for chord in [*vocabulary(key.parent, 0), CHORDS["V"]]}
    main = [chord for chord in found if frozenset(chord.pitch_classes(0)) in plainest]
    return (main, found) if main else (found, found)


def covers_most(chord: Chord, notes: list[Note], tonic: int) -> bool:
    """Do the chord's tones sound for at least half of the notes' total duration?"""
    tones = chord.pitch_classes(tonic)
    return 2 * sum(note.duration for note in notes if note.pitch % 12 in tones) >= sum(n.duration for n in notes)


# --- bars, beats and the melody above --------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    start: float
    end: float
    beat: float  # the main beat in quarter notes: 1.0 in 4/4, a dotted quarter (1.5) in 6/8, 2.0 in 4/2
    compound: bool  # main beats of three eighths (6/8, 9/8, 12/8)

    @property
    def beats(self) -> list[float]:
        count = int((self.end - self.start - EPSILON) // self.beat) + 1  # a bar of 5/8 ends on a half beat
        return [self.start + i * self.beat for i in range(count)]


def main_beat(signature: TimeSignature) -> tuple[float, bool]:
    """(main beat in quarter notes, compound?): 3/4 -> (1.0, False), 6/8 -> (1.5, True), 4/2 -> (2.0, False)."""
    note_value = 4.0 / signature.denominator
    if signature.denominator >= 8 and signature.numerator % 3 == 0:
        return 3 * note_value, True
    return note_value, False


def bars_of(song: Song) -> list[Bar]:
    lines = song.bar_lines()
    return [Bar(start, end, *main_beat(song.time_signature_at(start))) for start, end in zip(lines, lines[1:])]


class MelodyAbove:
    """The melody's notes, asked: which is the lowest pitch sounding between two beats?"""

    def __init__(self, notes: list[Note]):
        self.notes = sorted(notes, key=note_order)
        self.starts = [note.start for note in self.notes]
        self.longest = max(note.duration for note in self.notes)

    def sounding(self, start: float, end: float) -> list[Note]:
        last = bisect.bisect_left(self.starts, end - EPSILON)
        first = bisect.bisect_left(self.starts, start - self.longest)
        return [note for note in self.notes[first:last] if note.end > start + EPSILON]

    def lowest(self, start: float, end: float) -> int | None:
        return min((note.pitch for note in self.sounding(start, end)), default=None)

    def place_below(self, pitch: int, start: float, end: float) -> int | None:
        """`pitch` moved down by octaves until it is under every melody note sounding from start to end."""
        ceiling = self.lowest(start, end)
        while ceiling is not None and pitch >= ceiling:
            pitch -= 12
        return pitch if pitch >= LOWEST else None


# --- harmony ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Harmony:
    """The chord of one stretch: its notes in the chord register, and its root in the bass register."""

    start: float
    end: float
    chord: Chord
    voicing: tuple[int, ...]
    bass: int | None  # None: no room under a very low melody


def stretches(bars: list[Bar], rhythm: str) -> list[tuple[float, float]]:
    """Where the chords change: each "bar" (halved when it has four main beats), "beat", or "half" note."""
    found = []
    for bar in bars:
        if rhythm == "beat":
            cuts = bar.beats
        elif rhythm == "half":
            cuts = [bar.start + 2.0 * i for i in range(int((bar.end - bar.start) / 2.0 - EPSILON) + 1)]
        else:
            beats = bar.beats
            cuts = [bar.start, beats[2]] if len(beats) == 4 else [bar.start]
        found += list(zip(cuts, cuts[1:] + [bar.end]))
    return found


def harmonise(above: MelodyAbove, spans: list[tuple[float, float]], key: Key, rng: random.Random) -> list[Harmony]:
    (main, chords), harmonies = key_chords(key), []
    chord, voiced = None, None
    for start, end in spans:
        heard = [replace(note, start=max(note.start, start), end=min(note.end, end))
                 for note in above.sounding(start, end)]
        if heard or chord is None:  # a stretch where the melody rests keeps the chord before it
            previous, chord = chord, choose_chord(heard, key.tonic, main, chord, rng)
            if not covers_most(chord, heard, key.tonic):  # e.g. A dorian's D major, a iii or a ii
                chord = choose_chord(heard, key.tonic, chords, previous, rng)
            voiced = voice_lead(chord, key.tonic, voiced)
        voicing = [pitch - 12 if pitch > CHORD_HIGH else pitch for pitch in voiced]
        placed = [above.place_below(pitch, start, end) for pitch in voicing]
        bass = above.place_below(BASS_LOW + (key.tonic + chord.root - BASS_LOW) % 12, start, end)
        harmonies.append(Harmony(start, end, chord, tuple(sorted(p for p in placed if p is not None)), bass))
    return harmonies


class HarmonyAt:
    def __init__(self, harmonies: list[Harmony]):
        self.harmonies, self.starts = harmonies, [harmony.start for harmony in harmonies]

    def __call__(self, beat: float) -> Harmony:
        return self.harmonies[max(0, bisect.bisect_right(self.starts, beat + EPSILON) - 1)]


def fifth_above(bass: int | None) -> int | None:
    return None if bass is None else bass + 7 if bass + 7 <= BASS_HIGH else bass - 5


# --- textures: each returns {part name: notes} ---------------------------------------------------------


def dance(bars: list[Bar], harmony: HarmonyAt, key: Key) -> dict[str, list[Note]]:
    """Bass on each main beat (root, then fifth), the chord on its off-beat: the last third of a compound beat."""
    parts = {"bass": [], "chords": []}
    for bar in bars:
        for number, beat in enumerate(bar.beats):
            chord = harmony(beat)
            off = beat + bar.beat * (2 / 3 if bar.compound else 1 / 2)
            bass = chord.bass if number % 2 == 0 else fifth_above(chord.bass)
            parts["bass"] += notes_of([bass], beat, off, "bass")
            parts["chords"] += notes_of(harmony(off).voicing, off, beat + bar.beat, "chords")
    return parts


def oompah(bars: list[Bar], harmony: HarmonyAt, key: Key) -> dict[str, list[Note]]:
    """Bass on the strong beats (every other beat; the first of three in triple time), short chords between."""
    parts = {"bass": [], "chords": []}
    strong_count = 0
    for bar in bars:
        beats = bar.beats
        group = 2 if len(beats) % 2 == 0 else 3 if len(beats) % 3 == 0 else len(beats)
        for number, beat in enumerate(beats):
            chord = harmony(beat)
            if number % group == 0:
                bass = chord.bass if strong_count % 2 == 0 else fifth_above(chord.bass)
                parts["bass"] += notes_of([bass], beat, beat + bar.beat, "bass")
                strong_count += 1
            else:
                parts["chords"] += notes_of(chord.voicing, beat, beat + bar.beat / 2, "chords")
    return parts


def alberti(bars: list[Bar], harmony: HarmonyAt, key: Key) -> dict[str, list[Note]]:
    """The chord broken in eighths: lowest, highest, middle, highest, and again."""
    notes = []
    for bar in bars:
        eighth = bar.start
        while eighth < bar.end - EPSILON:
            voicing = harmony(eighth).voicing
            if voicing:
                order = (voicing[0], voicing[-1], voicing[len(voicing) // 2], voicing[-1])
                step = round((eighth - bar.start) / 0.5)
                notes += notes_of([order[step % 4]], eighth, min(eighth + 0.5, bar.end), "alberti")
            eighth += 0.5
    return {"alberti": notes}


def drone(bars: list[Bar], harmony: HarmonyAt, key: Key) -> dict[str, list[Note]]:
    """Tonic and fifth held through each bar, and one plucked chord tone on each beat (low, middle, high, middle)."""
    tonic = BASS_LOW + (key.tonic - BASS_LOW) % 12
    parts = {"drone": [], "pluck": []}
    for bar in bars:
        parts["drone"] += notes_of([tonic, tonic + 7], bar.start, bar.end, "drone")
        for number, beat in enumerate(bar.beats):
            voicing = harmony(beat).voicing
            if voicing:
                pattern = (voicing[0], voicing[len(voicing) // 2], voicing[-1], voicing[len(voicing) // 2])
                parts["pluck"] += notes_of([pattern[number % 4]], beat, beat + bar.beat / 2, "pluck")
    return parts


def block_chords(bars: list[Bar], harmony: HarmonyAt, key: Key) -> dict[str, list[Note]]:
    """Three lower voices, one chord per stretch: the root in the bass, the chord's other two notes above it."""
    parts = {"alto": [], "tenor": [], "bass": []}
    for chord in harmony.harmonies:
        root = (key.tonic + chord.chord.root) % 12
        upper = [pitch for pitch in chord.voicing if pitch % 12 != root][-2:] or list(chord.voicing[-2:])
        parts["tenor"] += notes_of(upper[:1], chord.start, chord.end, "tenor")
        parts["alto"] += notes_of(upper[1:], chord.start, chord.end, "alto")
        parts["bass"] += notes_of([chord.bass], chord.start, chord.end, "bass")
    return {name: parts[name] for name in ("alto", "tenor", "bass")}


def notes_of(pitches, start: float, end: float, part: str) -> list[Note]:
    return [Note(pitch, start, end, VELOCITY[part]) for pitch in pitches if pitch is not None]


WRITERS = {"dance": (dance, "bar"), "oompah": (oompah, "bar"), "alberti": (alberti, "bar"), "drone": (drone, "bar"),
           "chorale": (block_chords, "beat"), "renaissance": (block_chords, "half")}
# Which instrument of the style's pack plays each part: the pack's bass, or its first or second harmony preset.
PART_PRESETS = {"bass": ("bass", 0), "chords": ("harmony", 0), "alberti": ("harmony", 0), "pluck": ("harmony", 0),
                "drone": ("harmony", 1), "alto": ("harmony", 0), "tenor": ("harmony", 1)}


# --- the four-voice texture from gan-chorale ------------------------------------------------------------


@functools.cache
def gan_chorale():
    """The shipped gan-chorale, loaded once (a few seconds: torch and the weights)."""
    from ..gan_composer import GanComposer
    from ..registry import Registry

    model, tensors = Registry().load("gan-chorale")
    return GanComposer(tensors, model.card.settings)


def gan_voices(melody: Song, seed: int) -> dict[str, list[Note]] | None:
    """Alto, tenor and bass from gan-chorale; None (and a warning) if the model or torch is missing or fails."""
    try:
        accompanied = gan_chorale().accompany(melody, seed).song
    except Exception as error:  # noqa: BLE001 - whatever went wrong, the fallback texture still works
        warnings.warn(f"gan-chorale could not accompany the melody ({error}); using voice-led chords instead",
                      RuntimeWarning, stacklevel=3)
        return None
    return {track.name: list(track.notes) for track in accompanied.tracks[1:]}


# --- arranging -------------------------------------------------------------------------------------------


def arrange(melody: Song, style: str, seed: int = 0, key: str | None = None) -> Song:
    """The melody (unchanged but for its instrument) over the style's accompaniment, in its meter and tempo."""
    chosen_style, tracks = get_style(style), [t for t in melody.tracks if not t.is_drum and t.notes]
    if len(tracks) != 1:
        raise InvalidArgumentError(f"{melody.title or 'the melody'}: arrange needs one track of melody notes, "
                                   f"got {len(tracks)} (pick or merge one track first)")
    line = Song(tracks=tracks, tempos=melody.tempos, time_signatures=melody.time_signatures)
    home = read_key(key or estimate_key(line) or "C major")
    texture = TEXTURES[chosen_style.name]
    above, bars = MelodyAbove(tracks[0].notes), bars_of(line)
    parts = gan_voices(line, seed) if texture in ("chorale", "renaissance") else None
    if parts is None:
        writer, rhythm = WRITERS[texture]
        harmonies = harmonise(above, stretches(bars, rhythm), home, random.Random(seed))
        parts = writer(bars, HarmonyAt(harmonies), home)
    band = find_pack(chosen_style.pack)
    melody_track = replace(tracks[0], program=instrument(band.melody).program, name=tracks[0].name or "melody")
    accompaniment = []
    for name, notes in parts.items():
        role, number = PART_PRESETS[name]
        preset = band.bass if role == "bass" else band.harmony[number % len(band.harmony)]
        if name == "bass":  # gan-chorale's bass now and then leaps up into the tenor's range
            notes = [replace(note, pitch=note.pitch - 12 * ((note.pitch - BASS_HIGH + 11) // 12))
                     if note.pitch > BASS_HIGH else note for note in notes]
        kept = sorted(below_melody(notes, above, line.end_beat), key=note_order)
        accompaniment.append(Track(kept, program=instrument(preset).program, name=name))
    return Song(tracks=[melody_track, *accompaniment], tempos=list(melody.tempos),
                time_signatures=list(melody.time_signatures), key=melody.key, title=melody.title)


def below_melody(notes: list[Note], above: MelodyAbove, end: float) -> list[Note]:
    """Notes cut at the melody's end, each moved down by octaves under the melody (or left out)."""
    kept = []
    for note in notes:
        note = replace(note, end=min(note.end, end))
        pitch = above.place_below(note.pitch, note.start, note.end) if note.end > note.start + EPSILON else None
        if pitch is not None:
            kept.append(replace(note, pitch=pitch))
    return kept
