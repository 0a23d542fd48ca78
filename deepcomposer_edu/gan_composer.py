"""The GAN composer: Songs in and out of the MuseGAN-style GAN (`models/gan.py`), and its quality table.

Lesson: lessons/03_gans.ipynb. `composers.MODEL_TYPES["gan"]` points here, so `create-model --model-type gan`,
`generate-music --model-name gan-chorale` and `accompany THEME.mid` all go through this file.

- **Rolls and Songs.** The model sees 8 bars x 16 steps x 48 pitches (36..83) x 4 tracks (soprano, alto,
  tenor, bass). `rolls_to_song` puts a generated roll back into MIDI pitches with an instrument per track.
- **Generating.** A piece longer than 8 bars is several windows, each from its own noise, one after another.
  Binarisation (see `models.gan.binarize`): each voice sings its most likely pitch at each step if that pitch
  is more likely on than off, because a choir voice sings one note at a time.
- **Accompanying.** The melody is cut into 8-bar windows, moved by whole octaves into the soprano's range
  (so the key is kept), each window is accompanied, and the three new voices are moved back by the same
  octaves. The output's melody track is the input's notes, unchanged, note for note.
- **Fine-tuning.** The learner's multi-voice MIDI files (one voice per track) become 8-bar windows (one every
  bar), and the shared training loop (`train.train`) continues the pretrained generator and critic on them.
- **Measuring.** `quality_table` compares generated pieces with real ones on the metrics the issue names,
  against the tolerances it sets; `export_gan_chorale` writes the shipped `gan-chorale` with that table on its card.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import numpy as np
import torch

from .errors import InvalidArgumentError
from .models.gan import Critic, GanConfig, GanTask, Generator, generate_from_noise
from .music.pianoroll import crop_pitches, from_pianoroll, pad_pitches, to_pianoroll
from .music.song import Note, Song, Track

STEPS_PER_BEAT = 4
TEMPO = 64.0  # 8 bars of 4/4 at 64 BPM: 30 seconds
VOICES = ("soprano", "alto", "tenor", "bass")
SOPRANO_CENTRE = 70  # middle of the chorale sopranos' range (MIDI A#4): where a melody is moved to
DEFAULT_PACK = "orchestral"  # the chorale style's pack (styles.py)

# The settings a learner may change with `create-model --model-type gan --setting KEY=VALUE`.
DEFAULTS = {"base_model": "gan-chorale", "max_minutes": 2.0, "max_steps": 2000, "batch_size": 16,
            "learning_rate": 0.0002, "width": 16}


# --- rolls and songs ------------------------------------------------------------------------------------


def pack_for(pack: str | None = None, style: str | None = None, default: str = DEFAULT_PACK) -> str:
    """The instrument pack to play a piece with: `pack` if given, else the `style`'s pack, else `default`."""
    from .audio.instruments import pack as find_pack
    from .styles import get_style

    if pack and style:
        raise InvalidArgumentError("give an instrument pack or a style, not both")
    if style:
        return get_style(style).pack
    return find_pack(pack or default).name


def rolls_to_song(rolls: np.ndarray, config: GanConfig, pack: str = DEFAULT_PACK, tempo: float = TEMPO,
                  names=VOICES, pitch_shift: int = 0) -> Song:
    """A binary roll (tracks, steps, n_pitches) -> a Song, one track per voice, played by `pack`."""
    from .audio.instruments import apply_instrument_pack

    full = pad_pitches(np.asarray(rolls) > 0, config.lowest_pitch + pitch_shift)  # (tracks, steps, 128)
    song = from_pianoroll(full, STEPS_PER_BEAT, names=list(names), tempo=tempo)
    return apply_instrument_pack(song, pack)


def melody_roll(notes: list[Note], steps: int, config: GanConfig, shift: int) -> torch.Tensor:
    """Notes moved by `shift` semitones -> the model's melody condition (1, 1, steps, n_pitches), 0/1."""
    moved = [replace(note, pitch=note.pitch + shift) for note in notes if 0 <= note.pitch + shift < 128]
    roll = to_pianoroll(Song(tracks=[Track(moved)]), STEPS_PER_BEAT, steps=steps)  # (1, steps, 128)
    cropped = crop_pitches(roll, config.lowest_pitch, config.lowest_pitch + config.n_pitches) > 0
    return torch.from_numpy(cropped.astype(np.float32)).unsqueeze(0)


# --- keys: the model writes in C major / A minor, the piece is then moved to a key ------------------------
#
# The chorales are in many keys. Trained on them as they are (or at random transpositions), a small GAN
# must learn twelve scales at once, and it learns none. So every training window is moved to C major or
# A minor (the same seven pitch classes), and each generated piece is moved afterwards to a key drawn
# from the keys of the training data. A melody to accompany is moved to C/Am first and its new voices back.


def best_key(pitch_class_weights: np.ndarray) -> tuple[int, bool]:
    """(tonic pitch class, is_minor) of the key profile that correlates best with 12 pitch-class weights."""
    from .music.keys import MAJOR_PROFILE, MINOR_PROFILE

    weights = np.asarray(pitch_class_weights, dtype=float)
    if not weights.any() or np.allclose(weights, weights[0]):
        return 0, False
    scores = [(np.corrcoef(weights, np.roll(profile, tonic))[0, 1], tonic, minor)
              for minor, profile in ((False, MAJOR_PROFILE), (True, MINOR_PROFILE)) for tonic in range(12)]
    _, tonic, minor = max(scores)
    return tonic, minor


def shift_to_c(tonic: int, minor: bool) -> int:
    """Semitones (0..11, up) that move a key with this tonic to C major (major) or A minor (minor)."""
    return ((9 if minor else 0) - tonic) % 12


def move_pitches(roll: np.ndarray, semitones: int) -> np.ndarray:
    """A roll (..., P) moved up by `semitones` along its last axis; notes moved past either edge are lost."""
    moved = np.zeros_like(roll)
    pitches = roll.shape[-1]
    if semitones >= 0:
        moved[..., semitones:] = roll[..., : pitches - semitones]
    else:
        moved[..., :semitones] = roll[..., -semitones:]
    return moved


class KeyNormalisedWindows(torch.utils.data.Dataset):
    """Chorale windows of one split, each moved to C major / A minor (item: (tracks, T, P) of 0/1).

    The key is estimated on the window itself (its pitch classes weighted by duration, Krumhansl's key
    profiles), so a passage that has modulated is judged in its new key. Windows are read an octave wider
    on each side than the model's range, so moving them loses no note that can be kept: the move is up by
    0..11 semitones or the same minus an octave, whichever leaves more notes in range.
    `shifts[i]` is how far window i was moved; `key_offsets()` is how often each key (0..11 semitones above
    C/Am) occurs, the distribution that generated pieces are moved to.
    """

    def __init__(self, split: str, config: GanConfig, limit: int | None = None, every_bar: bool = False):
        from .data.corpora import TICKS_PER_BEAT
        from .data.datasets import PianorollWindows, bar_ticks

        self.config = config
        self.wide = PianorollWindows("bach_chorales", split, tracks=config.n_tracks, steps=config.n_steps,
                                     lowest_pitch=config.lowest_pitch - 12, n_pitches=config.n_pitches + 24,
                                     augment=False, limit=limit)
        if every_bar:  # a window starting at every bar line with 8 bars of music after it (they overlap)
            corpus, length = self.wide.corpus, config.n_steps * TICKS_PER_BEAT // STEPS_PER_BEAT
            self.wide.windows = []
            for index in corpus.indices(split)[:limit]:
                ends = corpus.notes(int(index))["end"]
                end = int(ends.max()) if len(ends) else 0
                self.wide.windows += [(int(index), int(tick)) for tick in bar_ticks(corpus.pieces[index], end)
                                      if tick == 0 or tick + length <= end]
        self.items: list[torch.Tensor] = []  # each (tracks, T, P) of bool: a quarter of the memory of float32
        self.shifts: list[int] = []
        for index in range(len(self.wide)):
            roll, shift = self.normalise(self.wide[index].numpy())
            if roll.any():
                self.items.append(torch.from_numpy(roll > 0))
                self.shifts.append(shift)

    def normalise(self, wide: np.ndarray) -> tuple[np.ndarray, int]:
        """A wide roll (tracks, T, P + 24) starting an octave below the model's range -> (model roll, shift)."""
        low = self.config.lowest_pitch - 12  # a multiple of 12, so index % 12 is the pitch class
        weights = np.zeros(12)
        np.add.at(weights, (np.arange(wide.shape[-1]) + low) % 12, wide.sum(axis=(0, 1)))
        up = shift_to_c(*best_key(weights))
        kept = {}
        for shift in (up, up - 12):
            moved = move_pitches(wide, shift)[..., 12 : 12 + self.config.n_pitches]
            kept[shift] = (moved.sum(), moved)
        shift = max(kept, key=lambda s: (kept[s][0], -abs(s)))
        return kept[shift][1].astype(np.float32), shift

    def key_offsets(self) -> list[float]:
        """Share of windows in each key, as semitones above C major / A minor (12 numbers summing to 1)."""
        counts = np.bincount([(-shift) % 12 for shift in self.shifts], minlength=12).astype(float)
        return [round(float(c), 4) for c in counts / max(counts.sum(), 1.0)]

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> torch.Tensor:
        return self.items[index].float()


# --- the composer ---------------------------------------------------------------------------------------


def split_tensors(tensors: dict) -> tuple[dict, dict]:
    """Saved weights ("generator.x", "critic.y") -> (generator state, critic state)."""
    parts: dict[str, dict] = {"generator": {}, "critic": {}}
    for key, value in tensors.items():
        module, _, rest = key.partition(".")
        if module not in parts:
            raise InvalidArgumentError(f"unexpected tensor {key!r} in GAN weights")
        parts[module][rest] = value
    return parts["generator"], parts["critic"]


def join_tensors(generator: torch.nn.Module, critic: torch.nn.Module) -> dict[str, torch.Tensor]:
    """Generator and critic weights -> one dict to save ("generator.x", "critic.y"), floats as float32."""
    def saved(value: torch.Tensor) -> torch.Tensor:
        value = value.detach().cpu()
        return value.float() if value.is_floating_point() else value.clone()

    tensors = {f"generator.{k}": saved(v) for k, v in generator.state_dict().items()}
    tensors.update({f"critic.{k}": saved(v) for k, v in critic.state_dict().items()})
    return tensors


@dataclass
class Accompaniment:
    """An accompanied melody: the Song, and how many semitones the melody was moved for the model (the new
    voices were moved back by as many)."""

    song: Song
    melody_shift: int
    windows: int


def draw_key_offset(key_offsets: list[float] | None, random: torch.Generator) -> int:
    """Semitones (-5..6) to move a piece written in C major / A minor, drawn from `key_offsets` (the share
    of each key 0..11 semitones above C/Am in the training data); 0 for a model not trained in C/Am."""
    if not key_offsets:
        return 0
    cumulative = torch.tensor(key_offsets, dtype=torch.float64).cumsum(0)
    draw = torch.rand(1, generator=random, dtype=torch.float64) * cumulative[-1]
    offset = min(int(torch.searchsorted(cumulative, draw, right=True)), 11)
    return offset if offset <= 6 else offset - 12  # the nearer way round: Bb (10) is 2 down, not 10 up


def melody_shift(notes: list[Note], to_c: bool, centre: int = SOPRANO_CENTRE) -> int:
    """Semitones that move a melody for the model: to C major / A minor when the model writes there
    (`to_c`), else by whole octaves only (the key is kept); either way its median lands nearest `centre`."""
    from .music.keys import pitch_class_durations

    if not notes:
        return 0
    up = shift_to_c(*best_key(pitch_class_durations(Song(tracks=[Track(notes)])))) if to_c else 0
    median = float(np.median([note.pitch for note in notes])) + up
    return up + 12 * round((centre - median) / 12)


class GanComposer:
    """A loaded GAN: composes 4-voice pieces, and accompanies a melody with 3 more voices.

    Piece `seed` draws everything from `torch.Generator().manual_seed(seed)`: its windows' noise, then its
    key. Pieces are generated many at a time (one forward pass), in float64: float32 sums taken in another
    order (another batch size) differ by about 1e-6, enough to flip a note whose probability sits at the
    threshold; in float64 the batch a piece is made in does not change it, so the same seed gives the
    same MIDI, alone or among 50.
    """

    BATCH_WINDOWS = 64  # windows per forward pass: bounds the memory of a long, many-piece request

    def __init__(self, tensors: dict, settings: dict):
        self.settings = settings
        self.config = GanConfig(**settings["gan"])
        self.generator = Generator(self.config)
        generator_state, self.critic_state = split_tensors(tensors)
        self.generator.load_state_dict(generator_state)
        self.generator.double().eval()  # float64: see the class docstring
        self.tempo = float(settings.get("tempo", TEMPO))
        self.pack = settings.get("pack", DEFAULT_PACK)
        self.threshold = float(settings.get("threshold", 0.5))
        self.hold = bool(settings.get("hold", False))  # see models.gan.binarize
        self.no_unison = bool(settings.get("no_unison", False))
        self.key_offsets = settings.get("key_offsets")  # None: the model was not trained in C major / A minor

    @property
    def bar_seconds(self) -> float:
        return 4 * 60.0 / self.tempo

    @torch.no_grad()
    def _rolls(self, noise: torch.Tensor, melody: torch.Tensor | None = None) -> torch.Tensor:
        """Noise (N, Z) and melodies (N, 1, T, P) or None -> binary rolls (N, tracks, T, P), in batches."""
        generator = self.generator
        rolls = []
        for start in range(0, len(noise), self.BATCH_WINDOWS):
            part = noise[start : start + self.BATCH_WINDOWS].double()
            condition = None if melody is None else melody[start : start + self.BATCH_WINDOWS].double()
            rolls.append(generate_from_noise(generator, part, condition, self.threshold, one_note_per_track=True,
                                             hold=self.hold, no_unison=self.no_unison).float())
        return torch.cat(rolls)

    def _bars_and_windows(self, seconds: float) -> tuple[int, int]:
        if not seconds > 0:
            raise InvalidArgumentError(f"length must be a positive number of seconds, got {seconds}")
        bars = max(1, round(seconds / self.bar_seconds))
        return bars, math.ceil(bars / self.config.n_bars)

    def _piece(self, rolls: torch.Tensor, bars: int, pack: str | None, title: str, shift: int = 0) -> Song:
        """Windows (W, tracks, T, P) played one after another, cut to `bars` bars, moved by `shift` -> a Song."""
        piece = rolls.permute(1, 0, 2, 3).reshape(self.config.n_tracks, -1, self.config.n_pitches)
        piece = piece[:, : bars * self.config.steps_per_bar].numpy()  # (tracks, bars * 16, P)
        song = rolls_to_song(piece, self.config, pack or self.pack, self.tempo, pitch_shift=shift)
        return replace(song, title=title)

    def generate(self, seconds: float, seed: int, temperature: float = 1.0, pack: str | None = None) -> Song:
        """A piece of about `seconds` (a whole number of bars): 8-bar windows from noise, one after another."""
        return self.generate_batch(seconds, [seed], temperature, pack)[0]

    def generate_batch(self, seconds: float, seeds: list[int], temperature: float = 1.0,
                       pack: str | None = None) -> list[Song]:
        """One piece per seed, all in one forward pass; piece i is exactly `generate(seconds, seeds[i])`."""
        if not temperature > 0:
            raise InvalidArgumentError(f"temperature must be positive, got {temperature}")
        bars, windows = self._bars_and_windows(seconds)
        noises, shifts = [], []
        for seed in seeds:
            random = torch.Generator().manual_seed(seed)
            noises.append(torch.randn(windows, self.config.latent_size, generator=random) * temperature)
            shifts.append(draw_key_offset(self.key_offsets, random))
        rolls = self._rolls(torch.cat(noises))  # (len(seeds) * windows, tracks, T, P)
        return [self._piece(rolls[i * windows : (i + 1) * windows], bars, pack, f"gan chorale, seed {seed}", shift)
                for i, (seed, shift) in enumerate(zip(seeds, shifts))]

    def generate_many(self, count: int, seconds: float, seed: int, pack: str | None = None) -> list[Song]:
        """`count` pieces with seeds `seed`, `seed + 1`, ... (as `generate-music --count` numbers them)."""
        return self.generate_batch(seconds, list(range(seed, seed + count)), pack=pack)

    def accompany(self, theme: Song, seed: int, pack: str | None = None) -> Accompaniment:
        """Alto, tenor and bass for the theme's melody (its top line when it has several tracks)."""
        from .audio.instruments import apply_instrument_pack
        from .music.ops import skyline

        pitched = [track for track in theme.tracks if not track.is_drum and track.notes]
        if not pitched:
            raise InvalidArgumentError(f"{theme.title or 'the theme'}: no notes to accompany")
        melody = pitched[0] if len(pitched) == 1 else skyline(theme).tracks[0]
        shift = melody_shift(melody.notes, to_c=bool(self.key_offsets))
        window_steps = self.config.n_steps
        steps = max(1, math.ceil(round(theme.end_beat * STEPS_PER_BEAT, 6)))
        windows = math.ceil(steps / window_steps)
        condition = melody_roll(melody.notes, windows * window_steps, self.config, shift)  # (1, 1, W*T, P)
        condition = condition.reshape(1, windows, window_steps, -1).permute(1, 0, 2, 3)  # (W, 1, T, P)
        noise = torch.randn(windows, self.config.latent_size, generator=torch.Generator().manual_seed(seed))
        rolls = self._rolls(noise, condition)  # (W, tracks, T, P)
        piece = rolls.permute(1, 0, 2, 3).reshape(self.config.n_tracks, -1, self.config.n_pitches)[:, :steps]
        others = [t for t in range(self.config.n_tracks) if t != self.config.melody_track]
        voices = rolls_to_song(piece[others].numpy(), self.config, DEFAULT_PACK, self.tempo,
                               names=[VOICES[t] for t in others], pitch_shift=-shift)
        tracks = [replace(melody, name="melody"), *voices.tracks]  # the melody's own notes, untouched
        song = apply_instrument_pack(replace(theme, tracks=tracks), pack or self.pack)  # changes programs only
        return Accompaniment(song, shift, windows)


# --- training and fine-tuning ---------------------------------------------------------------------------


def song_key_shift(song: Song) -> int:
    """Semitones (0..11, up) that move a song's estimated key to C major / A minor."""
    from .music.keys import pitch_class_durations

    return shift_to_c(*best_key(pitch_class_durations(song)))


def song_key_offsets(songs: list[Song]) -> list[float]:
    """Share of the songs in each key, as semitones above C major / A minor (12 numbers summing to 1)."""
    counts = np.bincount([(-song_key_shift(song)) % 12 for song in songs], minlength=12).astype(float)
    return [round(float(c), 4) for c in counts / max(counts.sum(), 1.0)]


def song_windows(songs: list[Song], config: GanConfig, hop_bars: int = 1, to_c: bool = False) -> torch.Tensor:
    """Multi-voice songs -> 8-bar training windows (N, tracks, T, P) of 0/1, one starting every `hop_bars`.

    Tracks are voices, highest first (soprano); voices beyond `n_tracks` join the lowest. With `to_c`, each
    song is first moved to C major / A minor (for a model that writes there). Each song is then moved by
    whole octaves so that most of its notes fit the model's pitch window; notes still outside are left out.
    """
    low, high = config.lowest_pitch, config.lowest_pitch + config.n_pitches
    windows = []
    for song in songs:
        tracks = [t for t in song.tracks if not t.is_drum and t.notes]
        if not tracks:
            continue
        tracks.sort(key=lambda t: -float(np.mean([n.pitch for n in t.notes])))
        up = song_key_shift(song) if to_c else 0
        pitches = np.array([n.pitch for t in tracks for n in t.notes]) + up
        fits = {12 * k: int(((pitches + 12 * k >= low) & (pitches + 12 * k < high)).sum()) for k in range(-4, 5)}
        shift = up + max(fits, key=lambda octaves: (fits[octaves], -abs(octaves)))  # most notes in; the smallest move
        roll = to_pianoroll(Song(tracks=[Track([replace(n, pitch=n.pitch + shift) for n in t.notes
                                                if 0 <= n.pitch + shift < 128]) for t in tracks]), STEPS_PER_BEAT)
        voices = np.zeros((config.n_tracks, roll.shape[1], config.n_pitches), dtype=np.float32)
        for index, track_roll in enumerate(crop_pitches(roll, low, high) > 0):
            voice = voices[min(index, config.n_tracks - 1)]  # a view: extra voices join the lowest
            np.maximum(voice, track_roll, out=voice)
        for start in range(0, max(voices.shape[1] - config.steps_per_bar, 1), hop_bars * config.steps_per_bar):
            window = np.zeros((config.n_tracks, config.n_steps, config.n_pitches), dtype=np.float32)
            part = voices[:, start : start + config.n_steps]
            window[:, : part.shape[1]] = part
            if window.any():
                windows.append(window)
    if not windows:
        raise InvalidArgumentError("the training songs give no 8-bar window with notes")
    return torch.from_numpy(np.stack(windows))


def train_gan(songs: list[Song], settings: dict, seed: int, progress: bool = True):
    """Fine-tune `settings["base_model"]` (from scratch when it is "none") on `songs`; returns `composers.Trained`."""
    from torch.utils.data import DataLoader

    from .composers import Trained
    from .registry import Registry
    from .train import TrainingConfig, train

    began = time.perf_counter()
    torch.manual_seed(seed)
    base = settings["base_model"]
    if base and base != "none":
        card, tensors = Registry().load(base)
        if card.card.type != "gan":
            raise InvalidArgumentError(f"base model {base!r} is a {card.card.type} model, not a gan")
        config = GanConfig(**{**card.card.settings["gan"], "learning_rate": float(settings["learning_rate"])})
        generator_state, critic_state = split_tensors(tensors)
        generator, critic = Generator(config), Critic(config)
        generator.load_state_dict(generator_state)
        critic.load_state_dict(critic_state)
        kept = ("tempo", "pack", "threshold", "hold", "no_unison")  # how it plays and decodes, as the base does
        inherited = {k: card.card.settings[k] for k in kept if k in card.card.settings}
        if card.card.settings.get("key_offsets"):  # the base writes in C/Am: so will this one, in the learner's keys
            inherited["key_offsets"] = song_key_offsets(songs)
    else:
        config = GanConfig(width=int(settings["width"]), learning_rate=float(settings["learning_rate"]))
        generator, critic, inherited = Generator(config), Critic(config), {}
    windows = song_windows(songs, config, to_c="key_offsets" in inherited)  # (N, tracks, T, P)
    batches = DataLoader(windows, batch_size=min(int(settings["batch_size"]), len(windows)), shuffle=True,
                         generator=torch.Generator().manual_seed(seed))
    task = GanTask(config, generator, critic)
    budget = TrainingConfig(max_steps=int(settings["max_steps"]), max_minutes=float(settings["max_minutes"]), seed=seed,
                            log_every=10, progress=progress)
    result = train(task, batches, budget)
    full = {**settings, "gan": config.to_dict(), "tempo": TEMPO, "pack": DEFAULT_PACK, "threshold": 0.5, **inherited}
    last = {name: round(values[-1], 4) for name, values in result.history.items() if values}
    metrics = {"windows": len(windows), "steps": result.steps, "stopped_because": result.stopped_because,
               "final_losses": last, "training_seconds": round(time.perf_counter() - began, 1)}
    return Trained(join_tensors(task.generator, task.critic), full, metrics)


# --- the quality table ----------------------------------------------------------------------------------

# Metric -> largest allowed |generated mean - data mean| (issue 9). The pitch-in-scale rate is measured in
# each piece's best-fitting major/minor key (`scale_consistency`): chorales are in many keys, not all in C.
TOLERANCES = {"empty_bar_rate": 0.05, "scale_consistency": 0.05, "qualified_note_rate": 0.05,
              "pitch_classes_per_bar": 0.5, "polyphony": 0.3, "tonal_distance": 0.2}
MIN_OVERLAP = 0.7


def reference_songs(split: str = "test", config: GanConfig | None = None, limit: int | None = None) -> list[Song]:
    """The chorale windows of one split, through the same roll -> Song path as generated pieces."""
    from .data.datasets import PianorollWindows

    config = config or GanConfig()
    windows = PianorollWindows("bach_chorales", split, tracks=config.n_tracks, steps=config.n_steps,
                               lowest_pitch=config.lowest_pitch, n_pitches=config.n_pitches, augment=False)
    count = len(windows) if limit is None else min(limit, len(windows))
    return [rolls_to_song(windows[i].numpy(), config) for i in range(count)]


def metric_values(songs: list[Song]) -> list[dict[str, float]]:
    """The target metrics of each song: one {metric: value} per song (compute a reference set's once)."""
    from .metrics import compute_metrics

    return [compute_metrics(song, list(TOLERANCES)) for song in songs]


def quality_table(generated: list[Song], reference: list[Song] | None = None, originality_index=None,
                  reference_values: list[dict] | None = None) -> dict:
    """Each target metric's data mean, generated mean, difference, overlapping area and whether both targets
    are met; plus how many generated pieces the originality check flags (when an index is given).
    `reference_values` (from `metric_values`) stands for `reference` when measuring many sets against one."""
    from .metrics.compare import compare_metric_values

    reference_values = reference_values if reference_values is not None else metric_values(reference)
    comparisons = compare_metric_values(metric_values(generated), reference_values, list(TOLERANCES))
    rows = []
    for name, tolerance in TOLERANCES.items():
        c = comparisons[name]
        difference = c.generated_mean - c.reference_mean
        overlap = c.overlapping_area
        rows.append({"metric": name, "data": round(c.reference_mean, 4), "generated": round(c.generated_mean, 4),
                     "difference": round(difference, 4), "tolerance": tolerance, "overlapping_area": round(overlap, 3),
                     "met": bool(abs(difference) <= tolerance and overlap >= MIN_OVERLAP)})
    table = {"rows": rows, "generated_pieces": len(generated), "reference_pieces": len(reference_values)}
    if originality_index is not None:
        flagged = [song.title for song in generated if originality_index.check(song).likely_copy]
        table["originality_flagged"] = len(flagged)
    return table


def format_table(table: dict) -> str:
    """The quality table as Markdown."""
    lines = ["| metric | held-out data | generated | difference | allowed | overlapping area | met |",
             "|---|---|---|---|---|---|---|"]
    for row in table["rows"]:
        lines.append(f"| {row['metric']} | {row['data']:.3f} | {row['generated']:.3f} | {row['difference']:+.3f} | "
                     f"±{row['tolerance']} | {row['overlapping_area']:.2f} | {'yes' if row['met'] else 'no'} |")
    if "originality_flagged" in table:
        flagged, pieces = table["originality_flagged"], table["generated_pieces"]
        lines.append(f"\nOriginality: {flagged} of {pieces} pieces flagged as copies of a Bach chorale.")
    return "\n".join(lines)


def corpus_index():
    """An originality index of every Bach chorale (all splits): a sample must copy none of them."""
    from .data import corpus_songs
    from .metrics.originality import OriginalityIndex

    songs, names = corpus_songs("bach_chorales")
    return OriginalityIndex(songs, names=names, progress=False)


THRESHOLDS = (0.5, 0.4, 0.3, 0.2)  # binarisation thresholds the export tries on the valid split
# ... and decodings (models.gan.binarize): (hold, no_unison). Every one sings one note per voice.
DECODINGS = {"rest when unsure": (False, False), "hold when unsure": (True, False),
             "hold when unsure, no unisons": (True, True)}


def closeness_score(table: dict) -> float:
    """How far a quality table is from its targets: each |difference| in tolerances, plus missing overlap x 10."""
    return sum(abs(r["difference"]) / r["tolerance"] + max(0.0, MIN_OVERLAP - r["overlapping_area"]) * 10
               if not math.isnan(r["difference"]) else 100.0 for r in table["rows"])


VALID_SEEDS, TEST_SEEDS = 10_000, 20_000  # the export's pieces: seeds 10000.. choose on valid, 20000.. are measured


def export_gan_chorale(config: GanConfig, snapshots: dict[int, dict], seed: int, last: int, command: str,
                       critic_state: dict | None = None, pieces: int = 100, training: dict | None = None,
                       folder=None, key_offsets: list[float] | None = None):
    """Pick the snapshot and threshold closest to the *valid* chorales, measure them on the *test* chorales
    (which no choice saw) with other seeds, and write `gan-chorale` with that table on its card into `folder`
    (default: the package's shipped models). `key_offsets`: the training data's keys (pieces are moved to them)."""
    from .data import corpus_info
    from .registry import LOCK_FILE, SHIPPED_DIR, ModelCard, Registry

    valid = metric_values(reference_songs("valid", config))
    scores = {}
    for step in sorted(snapshots)[-last:]:
        composer = composer_from_states(config, snapshots[step], critic_state, key_offsets)
        for threshold in THRESHOLDS:
            for decoding, (composer.hold, composer.no_unison) in DECODINGS.items():
                composer.threshold = threshold
                songs = composer.generate_many(pieces, 30.0, seed=VALID_SEEDS)
                score = scores[(step, threshold, decoding)] = closeness_score(quality_table(songs, reference_values=valid))
                print(f"snapshot {step}, threshold {threshold}, {decoding}: score {score:.3f}", flush=True)
    chosen, threshold, decoding = min(scores, key=scores.get)
    composer = composer_from_states(config, snapshots[chosen], critic_state, key_offsets)
    composer.threshold = threshold
    composer.hold, composer.no_unison = DECODINGS[decoding]
    generated = composer.generate_many(pieces, 30.0, seed=TEST_SEEDS)
    table = quality_table(generated, reference_songs("test", config), corpus_index())
    print(f"chosen: step {chosen}, threshold {threshold}, {decoding}\n{format_table(table)}", flush=True)
    critic = Critic(config)
    if critic_state is not None:
        critic.load_state_dict(critic_state)
    card = ModelCard(
        name="gan-chorale", type="gan", seed=seed, command=command,
        description="MuseGAN-style GAN (WGAN-GP) writing 8 bars of 4-voice chorale (soprano, alto, tenor, bass) "
                    "or accompanying a melody; trained on the Bach chorales' train split"
                    + (", moved to C major / A minor (pieces are then moved to the chorales' keys)" if key_offsets else ""),
        data={"source": "corpus bach_chorales, train split", "sha256": corpus_info("bach_chorales")["sha256"],
              "augmentation": "none: 8-bar windows starting at every bar line, each moved to C major / A minor"
                              if key_offsets else "random transposition by up to 5 semitones"},
        settings={"gan": config.to_dict(), "tempo": TEMPO, "pack": DEFAULT_PACK, "threshold": threshold,
                  "hold": composer.hold, "no_unison": composer.no_unison,
                  **({"key_offsets": key_offsets} if key_offsets else {})},
        metrics={"training": training or {}, "chosen_step": chosen, "chosen_threshold": threshold,
                 "chosen_decoding": decoding, "quality_on_test": table,
                 "scores_on_valid": {f"step {k[0]}, threshold {k[1]}, {k[2]}": round(v, 3) for k, v in scores.items()}},
    )
    folder = SHIPPED_DIR if folder is None else folder
    model = Registry(folder, shipped=None).save(card, join_tensors(composer.generator, critic), overwrite=True)
    (model.path.parent / LOCK_FILE).unlink(missing_ok=True)  # a registry lock has no place in the package
    return model


def composer_from_states(config: GanConfig, generator_state: dict, critic_state: dict | None = None,
                         key_offsets: list[float] | None = None) -> GanComposer:
    """A composer from a generator's state (and a critic's, to keep), writing in the keys `key_offsets` when
    the generator was trained in C major / A minor."""
    tensors = {f"generator.{k}": v for k, v in generator_state.items()}
    tensors.update({f"critic.{k}": v for k, v in (critic_state or {}).items()})
    return GanComposer(tensors, {"gan": config.to_dict(), "tempo": TEMPO, "pack": DEFAULT_PACK, "key_offsets": key_offsets})


# --- accompaniment as a service call (audit-logged) -----------------------------------------------------


def accompany(theme: Song, *, model_name: str | None = None, seed: int = 0, pack: str | None = None,
              style: str | None = None, registry=None, output=None, overwrite: bool = False,
              command: str | None = None, theme_record: dict | None = None) -> tuple[Accompaniment, dict]:
    """Accompany `theme` with a GAN model (default gan-chorale), optionally write it, and log it in the audit log.

    Returns the accompaniment and a summary (path, model, seed, bars, octave shift).
    """
    from .audit import log_event, sha256_of
    from .client import output_paths, write_song
    from .registry import Registry, default_model_name

    registry = registry if isinstance(registry, Registry) else Registry(registry)
    chosen_pack = pack_for(pack, style, default=None) if (pack or style) else None
    path, output_format = (None, None)
    if output is not None:
        (path,), output_format = output_paths(output, 1)
        from .files import check_writable

        check_writable(path, overwrite)
    name = model_name or default_model_name("accompany", registry)
    model, tensors = registry.load(name)
    if model.card.type != "gan":
        raise InvalidArgumentError(f"model {name!r} is a {model.card.type} model; accompaniment needs a gan model")
    result = GanComposer(tensors, model.card.settings).accompany(theme, seed, chosen_pack)
    if path is not None:
        path = write_song(result.song, path, output_format, overwrite=overwrite)
    parameters = {"task": "accompany", "pack": chosen_pack or model.card.settings.get("pack", DEFAULT_PACK),
                  "style": style, "melody_shift": result.melody_shift, "windows": result.windows}
    command = command or f"python: deepcomposer_edu.gan_composer.accompany(model_name={name!r}, seed={seed!r})"
    log_event("generate", command=command, model=name, parameters=parameters, seed=seed,
              inputs=[theme_record or sha256_of(theme), sha256_of(model.weights_path)],
              outputs=[path if path is not None else result.song])
    summary = {"path": None if path is None else str(path), "model": name, "seed": seed,
               "bars": len(result.song.bar_starts()), **parameters}
    return result, summary


def accompany_file(theme_path, output, **options) -> dict:
    """`accompany` for a MIDI file on disk: reads it, accompanies it, writes `output`; returns the summary."""
    from .audit import sha256_of
    from .music.midi import read_midi

    theme = read_midi(theme_path)
    _, summary = accompany(theme, output=output, theme_record=sha256_of(theme_path), **options)
    return summary
