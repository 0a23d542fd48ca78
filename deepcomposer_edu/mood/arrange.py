"""Writing music one bar at a time for a mood, carrying state across bar lines so changes never jump.

Lesson: lessons/08_mood_and_adaptive_music.ipynb (how a bar is built from a mood, layer by layer).

`BarWriter.write(settings, source_notes)` turns one bar of a source melody into up to five layers:

- melody: the source sampled every `melody_step` beats (fewer notes when calm, more when intense), moved into
  the mood's mode and register, each note placed within `max_leap` of the one before (`place_pitch`);
- pad: the bar's chord, held, voice-led from the previous chord (notes move as little as possible);
- pulse: the chord as a running arpeggio; bass: the chord's root (and fifth); drums: kick, snare, hi-hat.

What carries over from bar to bar is the writer's state: the key, the last melody pitch, the last chord
voicing, the last tempo and melody loudness, and which layers were playing. When the mood changes at a bar
line, the new bar is already in the new mood, but its first half glides there: the tempo ramps in quarter-beat
steps, the melody's loudness moves gradually, a layer that starts fades in over the bar and one that stops
fades out over it. So the music switches within one bar, without jumps.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..music.song import Note, Song, TempoChange, TimeSignature, Track, note_order
from .harmony import CHORDS, TONIC_CHORD, Chord, choose_chord, scale_pitch_classes, to_mode, vocabulary, voice_lead
from .mapping import LAYERS, MoodSettings, lerp
from .melody import place_pitch

KICK, SNARE, HAT, CRASH = 36, 38, 42, 49  # General MIDI drum keys
RAMP_STEP = 0.25  # beats between the tempo steps of a tempo glide


@dataclass
class Bar:
    """One written bar: its layers' notes (times relative to the bar's start) and its tempo map."""

    index: int
    start: float  # beat at which the bar begins in the stream
    length: float  # beats
    settings: MoodSettings
    chord: str
    notes: dict[str, list[Note]] = field(default_factory=dict)
    tempos: list[TempoChange] = field(default_factory=list)  # beats relative to the bar's start


@dataclass
class WriterState:
    """What a bar hands on to the next one."""

    last_pitch: int | None = None
    voicing: tuple[int, ...] | None = None
    chord: Chord | None = None
    tempo: float | None = None
    velocity: float | None = None
    layers: tuple[str, ...] = ()
    progression: tuple[str, ...] | None = None
    bar_index: int = 0
    start: float = 0.0


class BarWriter:
    """Writes bars in the key `tonic` (0..11) of a source melody in `source_mode`; `seed` fixes every choice."""

    def __init__(self, tonic: int, source_mode: str, bar_length: float, seed: int = 0):
        self.tonic, self.source_mode, self.bar_length = tonic, source_mode, bar_length
        self.rng = random.Random(seed)
        self.state = WriterState()

    def write(self, settings: MoodSettings, source_notes: list[Note]) -> Bar:
        state = self.state
        sampled = self._sample(settings, source_notes)  # [(time, pitch from the source in the mood's mode)]
        chord = self._chord(settings, sampled)
        voicing = voice_lead(chord, self.tonic, state.voicing)
        bar = Bar(state.bar_index, state.start, self.bar_length, settings, chord.name)
        bar.tempos = self._tempo_glide(settings.tempo)
        bar.notes["melody"] = self._melody(settings, sampled, chord)
        fading_out = tuple(layer for layer in state.layers if layer not in settings.layers and layer != "melody")
        for layer in (*settings.layers, *fading_out):
            if layer == "melody":
                continue
            notes = self._layer(layer, settings, chord, voicing)
            bar.notes[layer] = self._fade(notes, entering=layer not in state.layers, leaving=layer in fading_out)
        state.voicing, state.chord, state.layers = voicing, chord, settings.layers
        state.tempo, state.bar_index, state.start = settings.tempo, state.bar_index + 1, state.start + self.bar_length
        return bar

    # --- melody ---

    def _sample(self, settings: MoodSettings, source_notes: list[Note]) -> list[tuple[float, int]]:
        """The source pitch heard at every `melody_step` of the bar (rests where it is silent), in the mood's mode."""
        step, sampled, time = settings.melody_step, [], 0.0
        while time < self.bar_length - 1e-9:
            sounding = [n for n in source_notes if n.start <= time + 1e-9 < n.end]
            starting = [n for n in source_notes if time <= n.start < time + step - 1e-9]
            heard = sounding or starting
            if heard:
                pitch = heard[0].pitch
                if self.source_mode != settings.mode:
                    pitch = to_mode(pitch, self.tonic, settings.mode)
                sampled.append((time, pitch))
            time += step
        return sampled

    def _chord(self, settings: MoodSettings, sampled: list[tuple[float, int]]) -> Chord:
        state = self.state
        if settings.progressions:  # a preset allows only these chord cycles: keep to one, chosen once
            if state.progression not in settings.progressions:
                state.progression = self.rng.choice(settings.progressions)
            return CHORDS[state.progression[state.bar_index % len(state.progression)]]
        if state.chord is None:
            return CHORDS[TONIC_CHORD[settings.mode]]  # a piece opens on its home chord
        heard = [Note(pitch, time, time + settings.melody_step) for time, pitch in sampled]
        return choose_chord(heard, self.tonic, vocabulary(settings.mode, settings.tension), state.chord, self.rng)

    def _melody(self, settings: MoodSettings, sampled: list[tuple[float, int]], chord: Chord) -> list[Note]:
        state, step = self.state, settings.melody_step
        low, high = settings.melody_range or (settings.register - 9, settings.register + 9)
        scale, tones = scale_pitch_classes(self.tonic, settings.mode), chord.pitch_classes(self.tonic)
        start_velocity = settings.velocity if state.velocity is None else state.velocity
        notes = []
        for number, (time, pitch) in enumerate(sampled):
            pitch_class = pitch % 12
            if settings.tension == 0 and time == 0 and pitch_class not in tones:
                pitch_class = nearest_class(pitch_class, tones)  # consonant moods land on a chord tone
            elif step <= 0.5 and number % 2 and self.rng.random() < 0.5:
                pitch_class = neighbour(pitch_class, scale, self.rng)  # busy moods decorate repeated notes
            placed = place_pitch(pitch_class, state.last_pitch, low, high, settings.max_leap,
                                 tones if settings.tension == 0 and time == 0 else scale)
            glide = min(1.0, time / self.glide_beats())
            velocity = lerp(start_velocity, settings.velocity, glide)
            if settings.arousal > 0.6 and time % 1.0 == 0:
                velocity += 8 if time == 0 else 4  # accents on the beats
            length = step * (0.5 if settings.staccato else 1.0)
            notes.append(Note(placed, time, min(time + length, self.bar_length), clip_velocity(velocity)))
            state.last_pitch = placed
        state.velocity = settings.velocity
        return notes

    # --- the other layers ---

    def _layer(self, layer: str, settings: MoodSettings, chord: Chord, voicing: tuple[int, ...]) -> list[Note]:
        velocity = settings.velocity
        if layer == "pad":
            return [Note(p, 0.0, self.bar_length, clip_velocity(max(32, 0.6 * velocity))) for p in voicing]
        if layer == "pulse":
            step = 0.25 if settings.arousal >= 0.85 else 0.5
            tones = list(voicing) + [voicing[0] + 12]
            return [Note(tones[i % len(tones)], i * step, i * step + step / 2, clip_velocity(0.7 * velocity))
                    for i in range(round(self.bar_length / step))]
        if layer == "bass":
            root = 36 + (self.tonic + chord.root) % 12
            if settings.arousal < 0.5:
                return [Note(root, 0.0, self.bar_length, clip_velocity(0.8 * velocity))]
            step = 0.5 if settings.arousal >= 0.85 else 1.0
            beats = round(self.bar_length / step)
            fifths = step == 1.0  # on the beat: root, fifth, root, fifth; in eighths: the root throughout
            loudness = clip_velocity(0.8 * velocity)
            pitches = [root + (7 if fifths and i % 2 else 0) for i in range(beats)]
            return [Note(pitch, i * step, (i + 0.9) * step, loudness) for i, pitch in enumerate(pitches)]
        if layer == "drums":
            return self._drums(settings)
        raise ValueError(f"unknown layer {layer!r}; layers are {LAYERS}")

    def _drums(self, settings: MoodSettings) -> list[Note]:
        hat_step = 0.25 if settings.arousal >= 0.9 else 0.5
        hits = [(0.0, KICK, 100)]
        if self.bar_length >= 4:
            hits.append((self.bar_length / 2, KICK, 90))
        hits += [(float(beat), SNARE, 90) for beat in range(1, int(self.bar_length), 2)]
        hat_times = [i * hat_step for i in range(round(self.bar_length / hat_step))]
        hits += [(time, HAT, 60 if time % 1 else 75) for time in hat_times]
        if "drums" not in self.state.layers:
            hits.append((0.0, CRASH, 90))
        scale = lerp(0.8, 1.1, settings.arousal)
        return [Note(key, time, time + 0.1, clip_velocity(velocity * scale)) for time, key, velocity in hits]

    # --- smooth changes ---

    def glide_beats(self) -> float:
        """How long a change of tempo or loudness takes: half a bar, at most two beats."""
        return min(2.0, self.bar_length / 2)

    def _tempo_glide(self, target: float) -> list[TempoChange]:
        """The bar's tempo changes: none if the tempo holds, else quarter-beat steps reaching `target` by
        `glide_beats`."""
        previous = self.state.tempo
        if previous == target:
            return []
        if previous is None:
            return [TempoChange(0.0, target)]
        steps = max(1, round(self.glide_beats() / RAMP_STEP))
        return [TempoChange(i * RAMP_STEP, round(lerp(previous, target, (i + 1) / steps), 2)) for i in range(steps)]

    def _fade(self, notes: list[Note], entering: bool, leaving: bool) -> list[Note]:
        """A layer that starts fades in across the bar (40% -> 100%); one that stops fades out (80% -> 20%)."""
        if not entering and not leaving:
            return notes
        low, high = (0.8, 0.2) if leaving else (0.4, 1.0)
        return [Note(n.pitch, n.start, n.end, clip_velocity(n.velocity * lerp(low, high, n.start / self.bar_length)))
                for n in notes]


def nearest_class(pitch_class: int, classes: set[int]) -> int:
    """The pitch class in `classes` closest to `pitch_class` around the circle (ties: the lower one)."""
    return min(classes, key=lambda c: (min((c - pitch_class) % 12, (pitch_class - c) % 12), (pitch_class - c) % 12))


def neighbour(pitch_class: int, scale: set[int], rng: random.Random) -> int:
    """The scale tone just above or just below (chosen by `rng`)."""
    direction = rng.choice((1, -1))
    for distance in (1, 2, 3):
        candidate = (pitch_class + direction * distance) % 12
        if candidate in scale:
            return candidate
    return pitch_class


def clip_velocity(velocity: float) -> int:
    return max(1, min(127, round(velocity)))


def bars_to_song(bars: list[Bar], time_signature: TimeSignature, programs: dict, key: str | None = None,
                 title: str = "") -> Song:
    """The written bars laid end to end as one Song: a track per layer that played, tempo changes included."""
    by_layer: dict[str, list[Note]] = {layer: [] for layer in LAYERS}
    tempos: list[TempoChange] = []
    for bar in bars:
        for layer, notes in bar.notes.items():
            by_layer[layer] += [Note(n.pitch, n.start + bar.start, n.end + bar.start, n.velocity) for n in notes]
        tempos += [TempoChange(bar.start + change.beat, change.bpm) for change in bar.tempos]
    tracks = [Track(sorted(notes, key=note_order), program=programs[layer], name=layer, is_drum=layer == "drums")
              for layer, notes in by_layer.items() if notes]
    start = bars[0].start if bars else 0.0
    if bars and not bars[0].tempos:  # the tempo in force when this slice begins
        tempos.insert(0, TempoChange(start, bars[0].settings.tempo))
    if start:  # a slice of a longer stream: begin at beat 0
        tracks = [Track([Note(n.pitch, n.start - start, n.end - start, n.velocity) for n in t.notes], t.program,
                        t.name, t.is_drum) for t in tracks]
        tempos = [TempoChange(change.beat - start, change.bpm) for change in tempos]
    signature = TimeSignature(0.0, time_signature.numerator, time_signature.denominator)
    return Song(tracks=tracks, tempos=tempos, time_signatures=[signature], key=key, title=title)
