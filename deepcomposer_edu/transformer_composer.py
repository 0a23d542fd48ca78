"""The transformer composer: songs in, tokens through a Music Transformer, songs out.

Lesson: lessons/04_transformers.ipynb (training, sampling, continuing a theme) and
lessons/06_transfer_learning.ipynb (fine-tuning a pretrained model on your own files).

`models/transformer.py` knows only token ids; this module is the bridge between it and music:

- **Two vocabularies.** "chorale": the JSB chorale encoding of `music/tokens.py` (S, A, T, B pitch at every
  sixteenth note) plus `<bos>` and `<pad>`. "folk": REMI tokens of a melody, after three *conditioning*
  tokens that say what to compose, `<bos> Style_irish Key_G_major Tempo_180 Program_0 Bar Meter_6/8 ...`
  (the tempo, program and meter are REMI's own). Changing a conditioning token changes the music.
- **Data.** Each song becomes one token sequence; training reads random windows of it, transposed by a
  random shift (the key token moves with the notes) so a small corpus teaches every key.
- **Training** goes through the shared loop (`train.py`) as a `TransformerTask`, on a GPU when present,
  and over several processes (torch.distributed / torchrun) through `wrap_for_distributed`.
- **Measuring**: `corpus_nll` gives the negative log-likelihood per token in nats on a corpus split.
- **Composing**: `TransformerComposer` samples a piece of a given length that ends musically (`ending.py`)
  or continues a theme, and `train_transformer` / `load_transformer` plug into `composers.MODEL_TYPES`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch.nn import functional as F

from .errors import InvalidArgumentError
from .models.transformer import MusicTransformer, TransformerConfig
from .music import tokens as remi
from .music.keys import PITCH_CLASS_NAMES, estimate_key, parse_key
from .music.song import Song

CHORALE_BOS, CHORALE_PAD = remi.CHORALE_REST + 1, remi.CHORALE_REST + 2
KEY_TOKENS = [f"Key_{name}_{mode}" for mode in ("major", "minor") for name in PITCH_CLASS_NAMES]


# --- vocabularies ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """The token names a model reads and writes; id i is `names[i]`."""

    kind: str  # "chorale" or "folk"
    names: tuple[str, ...]

    @classmethod
    def chorale(cls) -> "Vocabulary":
        return cls("chorale", (*remi.CHORALE_VOCABULARY, "<bos>", "<pad>"))

    @classmethod
    def folk(cls, styles: list[str]) -> "Vocabulary":
        return cls("folk", (*remi.REMI_VOCABULARY, *(f"Style_{s}" for s in styles), *KEY_TOKENS))

    @classmethod
    def from_settings(cls, settings: dict) -> "Vocabulary":
        return cls.chorale() if settings["vocabulary"] == "chorale" else cls.folk(list(settings["styles"]))

    def __len__(self) -> int:
        return len(self.names)

    @property
    def ids(self) -> dict[str, int]:
        return {name: index for index, name in enumerate(self.names)}

    @property
    def bos(self) -> int:
        return CHORALE_BOS if self.kind == "chorale" else remi.BOS

    @property
    def pad(self) -> int:
        return CHORALE_PAD if self.kind == "chorale" else remi.PAD

    @property
    def styles(self) -> list[str]:
        return [name[len("Style_"):] for name in self.names if name.startswith("Style_")]


def key_token(key: str) -> str:
    """'F# minor' -> 'Key_F#_minor' (the spelling of `PITCH_CLASS_NAMES`: 'Gb major' -> 'Key_F#_major')."""
    pitch_class, minor = parse_key(key)
    return f"Key_{PITCH_CLASS_NAMES[pitch_class]}_{'minor' if minor else 'major'}"


def key_of(song: Song) -> str:
    """The song's written major or minor key, else the one `estimate_key` hears (also for a written mode
    such as 'A dorian', which has no key token), else C major."""
    for key in (song.key, estimate_key(song)):
        try:
            if key:
                parse_key(key)
                return key
        except InvalidArgumentError:
            continue
    return "C major"


def melody_song(song: Song) -> Song:
    """The song's top line as a one-track song (what the folk model reads), keeping tempo, meter and key."""
    from .music.ops import skyline

    return skyline(song) if len(song.tracks) != 1 else song


def encode_song(song: Song, vocabulary: Vocabulary, style: str | None = None) -> list[int]:
    """A song as the model's token ids: conditioning tokens, then REMI (folk) or the chorale encoding."""
    if vocabulary.kind == "chorale":
        return [CHORALE_BOS, *remi.encode_chorale(song)]
    ids = vocabulary.ids
    header = [remi.BOS]
    if style is not None:
        if f"Style_{style}" not in ids:
            raise InvalidArgumentError(f"this model knows no style {style!r}; it knows {', '.join(vocabulary.styles)}")
        header.append(ids[f"Style_{style}"])
    header.append(ids[key_token(key_of(song))])
    return header + remi.encode_remi(melody_song(song))[1:]


def decode_tokens(token_ids: list[int], vocabulary: Vocabulary, tempo: float = 80.0,
                  time_signature: tuple[int, int] = (4, 4)) -> Song:
    """The Song of a token sequence; the conditioning tokens set its key."""
    if vocabulary.kind == "chorale":
        body = [t for t in token_ids if t <= remi.CHORALE_REST]
        return remi.decode_chorale(body, tempo=tempo, time_signature=time_signature)
    key = None
    for token in token_ids[:4]:
        name = vocabulary.names[token]
        if name.startswith("Key_"):
            tonic, mode = name[4:].split("_")
            key = f"{tonic} {mode}"
    song = remi.decode_remi([t for t in token_ids if t < len(remi.REMI_VOCABULARY)])
    song.key = key
    if song.tracks:
        song.tracks[0].name = "melody"
    return song


def transpose_sequence(sequence: np.ndarray, semitones: int, vocabulary: Vocabulary) -> np.ndarray | None:
    """The same tokens `semitones` higher (pitches and key token); None if a pitch would leave 0..127."""
    if semitones == 0:
        return sequence
    if vocabulary.kind == "chorale":
        low, high = 0, 127
    else:
        low, high = remi.REMI_IDS["Pitch_0"], remi.REMI_IDS["Pitch_127"]
    pitched = (sequence >= low) & (sequence <= high)
    if pitched.any() and not (low <= sequence[pitched].min() + semitones and sequence[pitched].max() + semitones <= high):
        return None
    moved = sequence.copy()
    moved[pitched] += semitones
    if vocabulary.kind == "folk":
        first_key = len(vocabulary) - len(KEY_TOKENS)
        keys = moved >= first_key
        offset = moved[keys] - first_key  # mode * 12 + pitch class
        moved[keys] = first_key + (offset // 12) * 12 + (offset % 12 + semitones) % 12
    return moved


# --- data -------------------------------------------------------------------------------------------------


class RandomWindows(torch.utils.data.IterableDataset):
    """Endless batches of random windows (B, length + 1) of the sequences, each transposed at random.

    A window starts anywhere in a sequence (the start of a piece, with its conditioning tokens, is picked
    as often as any other place), or at a multiple of `align` (the model's phase period, so that a window's
    first token has phase 0); short pieces are padded. Sequences are picked in proportion to their
    length, so every token is equally likely to be trained on. With torch.distributed running, each
    process draws from its own random stream (seeded by its rank), so the processes see different windows.
    """

    def __init__(self, sequences: list[list[int]], vocabulary: Vocabulary, length: int, batch_size: int,
                 max_shift: int = 5, seed: int = 0, align: int = 1):
        self.sequences = [np.asarray(s, dtype=np.int64) for s in sequences if len(s) >= 2]
        if not self.sequences:
            raise InvalidArgumentError("no training sequence of two tokens or more: nothing to learn")
        self.vocabulary, self.length, self.batch_size, self.max_shift = vocabulary, length, batch_size, max_shift
        starts = np.array([max(len(s) - length, 1) for s in self.sequences], dtype=np.float64)
        self.weights = starts / starts.sum()
        self.seed, self.align = seed, max(align, 1)

    def window(self, rng: np.random.Generator) -> np.ndarray:
        sequence = self.sequences[rng.choice(len(self.sequences), p=self.weights)]
        start = int(rng.integers(0, max(len(sequence) - self.length, 1))) // self.align * self.align
        window = sequence[start:start + self.length + 1]
        for _ in range(4):  # a shift that keeps every pitch in range, usually found at once
            moved = transpose_sequence(window, int(rng.integers(-self.max_shift, self.max_shift + 1)), self.vocabulary)
            if moved is not None:
                window = moved
                break
        padded = np.full(self.length + 1, self.vocabulary.pad, dtype=np.int64)
        padded[:len(window)] = window
        return padded

    def __iter__(self):
        rank = torch.distributed.get_rank() if torch.distributed.is_available() and torch.distributed.is_initialized() else 0
        rng = np.random.default_rng([self.seed, rank])
        while True:
            yield torch.from_numpy(np.stack([self.window(rng) for _ in range(self.batch_size)]))  # (B, length + 1)


# --- training -------------------------------------------------------------------------------------------


class TransformerTask:
    """One next-token-prediction update per batch, for `train.train`: AdamW, warm-up then cosine decay.

    The learning rate is worked out from the optimizer's own step count, so a resumed run (whose optimizer
    state comes back from the checkpoint) continues the same schedule. With a time budget (`seconds`), the
    decay follows whichever is further along, the steps or the clock: on a busy machine that takes fewer
    steps than planned, the rate still comes down by the end of the budget.
    """

    def __init__(self, model: MusicTransformer, pad: int, learning_rate: float = 1e-3, total_steps: int = 1000,
                 warmup: int = 100, weight_decay: float = 0.01, clip: float = 1.0, seconds: float | None = None):
        import time

        self.clock, self.seconds, self.began = time.monotonic, seconds, time.monotonic()
        self.model = model
        self.network = model  # what the batch goes through: the model, or its DistributedDataParallel wrapper
        self.pad, self.peak, self.total, self.warmup, self.clip = pad, learning_rate, total_steps, warmup, clip
        self.modules = {"model": model}
        self.optimizers = {"adamw": torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=weight_decay,
                                                      betas=(0.9, 0.98))}

    def learning_rate(self, step: int) -> float:
        if step < self.warmup:
            return self.peak * (step + 1) / self.warmup
        progress = (step - self.warmup) / max(self.total - self.warmup, 1)
        if self.seconds:
            progress = max(progress, (self.clock() - self.began) / self.seconds)
        progress = min(progress, 1.0)
        return self.peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))

    def _steps_taken(self) -> int:
        state = self.optimizers["adamw"].state
        first = next(iter(state.values()), None)
        return int(first["step"]) if first else 0

    def step(self, batch: torch.Tensor) -> dict[str, float]:
        optimizer = self.optimizers["adamw"]
        for group in optimizer.param_groups:
            group["lr"] = self.learning_rate(self._steps_taken())
        logits, _ = self.network(batch[:, :-1])  # (B, T, V)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1), ignore_index=self.pad)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.clip)
        optimizer.step()
        return {"loss": loss.item()}

    def wrap_for_distributed(self) -> None:
        """Average gradients over all processes (DistributedDataParallel); the weights stay `self.model`'s."""
        from torch.nn.parallel import DistributedDataParallel

        device = next(self.model.parameters()).device
        self.network = DistributedDataParallel(self.model, device_ids=[device.index] if device.type == "cuda" else None)


# --- measuring --------------------------------------------------------------------------------------------


def nll_windows(length: int, context: int, stride: int) -> list[tuple[int, int]]:
    """(start, first) of the windows that score a sequence of `length` tokens: window ids[start:start +
    context + 1] predicts its tokens from `first` on. The first window scores its every token; each next one
    moves `stride` tokens on and scores only those, each seen after at least context - stride tokens."""
    windows, scored_until = [(0, 1)], context + 1  # tokens before `scored_until` are scored
    while scored_until < length:
        end = min(scored_until + stride, length)
        windows.append((end - 1 - context, scored_until))
        scored_until = end
    return windows


@torch.no_grad()
def sequence_nll(model: MusicTransformer, sequence: list[int], pad: int | None = None,
                 stride: int | None = None) -> tuple[float, int]:
    """(total NLL in nats, tokens scored) of predicting sequence[1:] from what precedes each token.

    A sequence longer than the model's context is read in sliding windows (`nll_windows`), so every token
    is scored once and, but for the first context of a piece, with at least context - stride tokens before
    it (stride: a quarter of the context by default).
    """
    model.eval()
    device = next(model.parameters()).device
    context = model.config.context
    stride = stride or max(context // 4, 1)
    ids = torch.tensor(sequence, dtype=torch.long, device=device)
    windows = nll_windows(len(ids), context, stride)
    total, count = 0.0, 0
    for batch_from in range(0, len(windows), 16):
        batch = windows[batch_from:batch_from + 16]
        starts = torch.tensor([start for start, _ in batch], device=device)
        span = min(context + 1, len(ids))
        rows = torch.stack([ids[start:start + span] for start, _ in batch])  # (W, T + 1)
        logits, _ = model(rows[:, :-1], start=starts)  # (W, T, V)
        losses = F.cross_entropy(logits.transpose(1, 2), rows[:, 1:], reduction="none")  # (W, T)
        for row, (start, first) in enumerate(batch):
            keep, targets = losses[row, first - start - 1:], rows[row, 1:][first - start - 1:]
            if pad is not None:
                keep = keep[targets != pad]
            total += float(keep.sum())
            count += int(keep.numel())
    return total, count


def corpus_nll(model: MusicTransformer, sequences: list[list[int]], pad: int | None = None,
               progress: bool = False) -> float:
    """Mean NLL per token in nats over all sequences (each token weighs the same)."""
    from tqdm.auto import tqdm

    total, count = 0.0, 0
    for sequence in tqdm(sequences, desc="scoring", unit="piece", disable=not progress, leave=False):
        nll, n = sequence_nll(model, sequence, pad)
        total, count = total + nll, count + n
    return total / max(count, 1)


def corpus_sequences(corpus: str, split: str, vocabulary: Vocabulary, limit: int | None = None) -> list[list[int]]:
    """Every piece of a corpus split as token ids (pieces the encoding cannot hold are left out)."""
    from .data import load_corpus
    from .styles import get_style

    loaded = load_corpus(corpus)
    sequences = []
    for index in loaded.indices(split)[:limit]:
        piece = loaded.pieces[int(index)]
        style = get_style(piece["style"]).name if vocabulary.kind == "folk" else None
        try:
            sequences.append(encode_song(loaded.song(int(index)), vocabulary, style))
        except InvalidArgumentError:
            continue
    return sequences


# --- building and saving models --------------------------------------------------------------------------


def build_model(settings: dict) -> MusicTransformer:
    """A fresh model of the shape the settings say (vocabulary size included)."""
    config = TransformerConfig(vocab_size=len(Vocabulary.from_settings(settings)), context=settings["context"],
                               n_layers=settings["layers"], n_heads=settings["heads"], width=settings["width"],
                               dropout=settings["dropout"], period=settings.get("period", 0))
    return MusicTransformer(config)


def model_tensors(model: MusicTransformer) -> dict[str, torch.Tensor]:
    """The weights to save; the tied output layer is the embedding, saved once."""
    return {name: tensor.detach().cpu().contiguous() for name, tensor in model.state_dict().items()
            if name != "head.weight"}


def load_weights(model: MusicTransformer, tensors: dict[str, torch.Tensor]) -> MusicTransformer:
    state = dict(tensors)
    state["head.weight"] = state["embed.weight"]
    model.load_state_dict(state)
    return model.eval()


def fit(model: MusicTransformer, sequences: list[list[int]], vocabulary: Vocabulary, *, steps: int,
        minutes: float | None, seed: int, batch_size: int = 16, learning_rate: float = 1e-3, warmup: int = 100,
        checkpoint: str | None = None, progress: bool = True, device: str = "auto"):
    """Train `model` on random windows of `sequences` through the shared loop; returns the loop's result."""
    from .train import TrainingConfig, train

    torch.manual_seed(seed)
    windows = RandomWindows(sequences, vocabulary, model.config.context, batch_size, seed=seed,
                            align=model.config.period or 1)
    task = TransformerTask(model, vocabulary.pad, learning_rate=learning_rate, total_steps=steps,
                           warmup=min(warmup, max(steps // 10, 1)), seconds=minutes * 60 if minutes else None)
    config = TrainingConfig(max_steps=steps, max_minutes=minutes, seed=seed, log_every=max(min(steps // 20, 50), 1),
                            checkpoint_path=checkpoint, checkpoint_every=200, progress=progress, device=device)
    result = train(task, windows, config)
    model.cpu()
    return result



# --- composing ------------------------------------------------------------------------------------------

SCALES = {False: {0, 2, 4, 5, 7, 9, 11}, True: {0, 2, 3, 5, 7, 8, 10, 11}}  # major; minor with its raised 7th


def scale_of(key: str) -> set[int]:
    """The pitch classes of `key`'s scale ('A minor' -> A B C D E F G and G#)."""
    tonic, minor = parse_key(key)
    return {(tonic + step) % 12 for step in SCALES[minor]}


class TransformerComposer:
    """A loaded transformer that composes pieces of a given length, or continues a theme.

    Every piece ends musically (see `ending.py`). The same seed and settings give the same Song.
    """

    def __init__(self, tensors: dict, settings: dict):
        self.settings = settings
        self.vocabulary = Vocabulary.from_settings(settings)
        self.model = load_weights(build_model(settings), tensors)
        self.last_tokens: list[int] = []  # the tokens of the last piece composed

    # The MODEL_TYPES interface: `deepcomposer generate-music` calls this.
    def generate(self, seconds: float, seed: int, temperature: float = 1.0, *, bars: int | None = None,
                 style: str | None = None, key: str | None = None, tempo: float | None = None,
                 top_k: int | None = None, top_p: float | None = 0.95) -> Song:
        """A new piece within a bar of `seconds` (or of `bars` bars, plus up to `GRACE_BARS` to end well)."""
        from .music.song import TempoChange, TimeSignature
        from .styles import get_style

        _check_sampling(seconds if bars is None else bars, temperature)
        style = self._style(style)
        typical = get_style(style) if style and style != self.settings.get("style") else None  # another style
        tempo = float(tempo or (typical.tempo if typical else self.settings["tempo"]))
        meter = tuple(typical.meter if typical else self.settings["time_signature"])
        bar_beats = meter[0] * 4 / meter[1]
        window = _window(seconds, bars, bar_beats * 60.0 / tempo)
        key = key or self.settings.get("key") or "C major"
        if self.vocabulary.kind == "chorale":
            return self._chorale(window, seed, temperature, top_k, top_p, key, tempo, meter, prompt=None)
        ids = self.vocabulary.ids
        prompt = [remi.BOS] + ([ids[f"Style_{style}"]] if style else []) + [ids[key_token(key)]]
        prompt += [ids[_tempo_token(tempo)], ids["Program_0"], ids["Bar"],
                   ids[remi._meter_token(*meter, round(bar_beats * remi.STEPS_PER_BEAT), remi.STEPS_PER_BEAT)]]
        song, _ = self._melody(prompt, window, seed, temperature, top_k, top_p, key, scale=None)
        song.tempos = [TempoChange(0.0, tempo)]
        song.time_signatures = [TimeSignature(0.0, *meter)]
        song.title = f"transformer melody, seed {seed}"
        return song

    def continue_theme(self, theme: Song, seconds: float, seed: int, temperature: float = 1.0, *,
                       bars: int | None = None, style: str | None = None, stay_in_key: bool = True,
                       top_k: int | None = None, top_p: float | None = 0.95) -> Song:
        """The theme, unchanged, followed by about `seconds` (or `bars` bars) of music in its key and meter
        (the new part is as long as `generate` would make it).

        The continuation starts on the bar line after the theme's last note and goes into the theme's
        first pitched track. With `stay_in_key`, only the notes of the theme's scale may be written.
        """
        from dataclasses import replace

        from .music.ops import end_of_last_bar

        if not theme.note_count:
            raise InvalidArgumentError("the theme has no notes: there is nothing to continue")
        _check_sampling(seconds if bars is None else bars, temperature)
        key = key_of(theme)
        meter = theme.time_signature_at(theme.end_beat)
        window = _window(seconds, bars, meter.bar_length * 60.0 / theme.tempo)
        if self.vocabulary.kind == "chorale":
            if len(theme.tracks) != 4:
                raise InvalidArgumentError(f"the chorale model continues four-voice themes; this one has {len(theme.tracks)} tracks")
            prompt = [CHORALE_BOS, *remi.encode_chorale(theme)]
            return self._chorale(window, seed, temperature, top_k, top_p, key, theme.tempo,
                                 (meter.numerator, meter.denominator), prompt=prompt, theme=theme)
        prompt = encode_song(theme, self.vocabulary, self._style(style))[:-1] + [remi.REMI_IDS["Bar"]]  # no <eos>
        start = end_of_last_bar(theme)
        continuation, began = self._melody(prompt, window, seed, temperature, top_k, top_p, key,
                                           scale=scale_of(key) if stay_in_key else None)
        new_notes = [note for note in continuation.notes if note.start >= began - 1e-6]
        shift = start - began  # the decoded timeline is the quantised theme's; bar lines agree, offsets may not
        new_notes = [replace(note, start=note.start + shift, end=note.end + shift) for note in new_notes]
        tracks = [replace(track, notes=list(track.notes)) for track in theme.tracks]
        melody = next(index for index, track in enumerate(tracks) if not track.is_drum)
        tracks[melody].notes = sorted(tracks[melody].notes + new_notes, key=lambda n: (n.start, n.pitch))
        return replace(theme, tracks=tracks, title=f"{theme.title or 'theme'}, continued (seed {seed})".strip())

    def _style(self, style: str | None) -> str | None:
        from .styles import get_style

        if self.vocabulary.kind == "chorale" or not self.vocabulary.styles:
            return None
        name = get_style(style).name if style else self.settings.get("style") or None
        if name is not None and name not in self.vocabulary.styles:
            raise InvalidArgumentError(f"this model knows the styles {', '.join(self.vocabulary.styles)}, not {name!r}")
        return name

    def _melody(self, prompt: list[int], window: tuple[int, int], seed: int, temperature: float, top_k, top_p,
                key: str, scale: set[int] | None) -> tuple[Song, float]:
        """Sample REMI tokens after `prompt` until a musical ending; (song, beat where sampling began)."""
        from .ending import RemiMelodyEnding, hold_to
        from .sample import sample_tokens

        song_so_far = remi.decode_remi(prompt)
        meter = song_so_far.time_signatures[-1]
        bar_steps = round(meter.bar_length * remi.STEPS_PER_BEAT)
        began_bars = prompt.count(remi.REMI_IDS["Bar"]) - 1  # bars complete before the first new one
        ending = RemiMelodyEnding(len(self.vocabulary), key, bar_steps, began_bars + window[0], began_bars + window[1],
                                  scale=scale)
        ending.read(prompt)
        limit = (window[1] + 1) * (5 * bar_steps + 1)  # at most 5 tokens per step, and a Bar: never reached
        out = sample_tokens(self.model, prompt, limit, seed=seed, temperature=temperature, top_k=top_k,
                            top_p=top_p, allowed=ending.allowed, stop=ending.stop)
        self.last_tokens = out  # for inspection (lesson 04 prints them; bench/transformer.py counts them)
        finished = ending.bars - 1 if out[-1] == remi.REMI_IDS["Bar"] else ending.bars
        song = decode_tokens(out, self.vocabulary)
        song.key = key
        longest_bar = max(signature.bar_length for signature in song.time_signatures)
        bar_starts = song.bar_starts(until_beat=(finished + 1) * longest_bar)
        first_new = bar_starts[began_bars] if began_bars < len(bar_starts) else began_bars * meter.bar_length
        end = bar_starts[finished] if finished < len(bar_starts) else finished * meter.bar_length
        return hold_to(song, end), first_new

    def _chorale(self, window: tuple[int, int], seed: int, temperature: float, top_k, top_p, key: str | None, tempo: float,
                 meter: tuple[int, int], prompt: list[int] | None, theme: Song | None = None) -> Song:
        from dataclasses import replace

        from .ending import ChoraleEnding, hold_to
        from .sample import sample_tokens

        bar_steps = round(meter[0] * 4 / meter[1] * remi.STEPS_PER_BEAT)
        prompt = prompt or [CHORALE_BOS]
        # A theme longer than the context is read from its last whole bars (whole beats too, so each token's
        # phase, counted from <bos>, is the one it had in the theme).
        unit = math.lcm(bar_steps, max(self.model.config.period // 4, 1))
        dropped = max(math.ceil((len(prompt) - self.model.config.context) / (4 * unit)), 0) * unit  # steps
        prompt = [CHORALE_BOS, *prompt[1 + 4 * dropped:]]
        pitches = torch.zeros(len(self.vocabulary), dtype=torch.bool)
        pitches[: remi.CHORALE_REST + 1] = True
        prompt_steps = (len(prompt) - 1) // 4
        start = prompt_steps + -prompt_steps % bar_steps  # the first bar line at or after the prompt's end
        first, last = start + window[0] * bar_steps, start + window[1] * bar_steps
        ending = ChoraleEnding(len(self.vocabulary), key if theme is not None else None, bar_steps, first, last,
                               allowed_tokens=pitches)
        limit = 4 * (last - prompt_steps)
        out = sample_tokens(self.model, prompt, limit, seed=seed, temperature=temperature, top_k=top_k, top_p=top_p,
                            allowed=ending.allowed, stop=ending.stop)
        self.last_tokens = out
        steps = ChoraleEnding.steps(out)
        new = remi.decode_chorale(out[len(prompt):len(prompt) + 4 * (steps - prompt_steps)], tempo=tempo,
                                  time_signature=meter)
        end_beat = (steps - prompt_steps) / remi.STEPS_PER_BEAT
        new = hold_to(new, end_beat)
        offset = (dropped + prompt_steps) / remi.STEPS_PER_BEAT
        if theme is None:
            new.key = ending.key
            new.title = f"transformer chorale, seed {seed}"
            return new
        tracks = [replace(track, notes=list(track.notes) + [replace(n, start=n.start + offset, end=n.end + offset)
                                                             for n in part.notes])
                  for track, part in zip(theme.tracks, new.tracks)]
        return replace(theme, tracks=tracks, title=f"{theme.title or 'theme'}, continued (seed {seed})".strip())


def _window(seconds: float, bars: int | None, bar_seconds: float) -> tuple[int, int]:
    """(fewest, most) new bars: within one bar of `seconds`, or `bars` plus up to `GRACE_BARS`."""
    from .ending import GRACE_BARS, bar_window

    if bars is not None:
        if bars < 1:
            raise InvalidArgumentError(f"bars must be 1 or more, got {bars}")
        return bars, bars + GRACE_BARS
    return bar_window(seconds, bar_seconds)


def _check_sampling(length: float, temperature: float) -> None:
    if not length > 0:
        raise InvalidArgumentError(f"length must be positive, got {length}")
    if not temperature > 0:
        raise InvalidArgumentError(f"temperature must be positive, got {temperature}")


def _tempo_token(bpm: float) -> str:
    low, high = remi.TEMPO_RANGE
    return f"Tempo_{min(max(round(bpm / remi.TEMPO_STEP) * remi.TEMPO_STEP, low), high)}"




# --- the model type: create-model --model-type transformer [--base-model NAME] ---------------------------

TRANSFORMER_DEFAULTS = {
    "base_model": "",  # a model to fine-tune (e.g. transformer-folk); empty: train from scratch
    "max_minutes": 2.0,  # time budget
    "max_steps": 400,  # at most this many updates (the learning rate schedule spans them)
    "batch_size": 8,
    "learning_rate": 0.0,  # 0: 5e-4 when fine-tuning, 2e-3 from scratch
    "style": "",  # a style token of the base model to train under (empty: none, the default for your files)
    "layers": 3, "heads": 4, "width": 128, "context": 256,  # the shape, from scratch only
}


def train_transformer(songs: list[Song], settings: dict, seed: int):
    """Train (or, with `base_model`, fine-tune) a melody transformer on `songs`; returns `composers.Trained`.

    From scratch the model has the folk vocabulary without style tokens; fine-tuned, it keeps its base
    model's vocabulary and shape, and starts from its weights. Either way it learns the songs' melodies.
    """
    from .composers import Trained
    from .paths import smoke_mode

    base_settings, model = _starting_point(settings, seed)
    vocabulary = Vocabulary.from_settings(base_settings)
    style = settings["style"] or None
    if style and f"Style_{style}" not in vocabulary.ids:
        raise InvalidArgumentError(f"style {style!r} is not one the model knows ({', '.join(vocabulary.styles) or 'none'})")
    sequences = []
    for song in songs:
        try:
            sequences.append(encode_song(song, vocabulary, style))
        except InvalidArgumentError:
            continue  # a song REMI cannot hold (a bar over 32 beats)
    steps, minutes = (min(settings["max_steps"], 5), 0.1) if smoke_mode() else (settings["max_steps"], settings["max_minutes"])
    rate = settings["learning_rate"] or (5e-4 if settings["base_model"] else 2e-3)
    result = fit(model, sequences, vocabulary, steps=steps, minutes=minutes, seed=seed,
                 batch_size=settings["batch_size"], learning_rate=rate, warmup=20 if settings["base_model"] else 100)
    meters = [(s.time_signature.numerator, s.time_signature.denominator) for s in songs]
    full = {**base_settings, "base_model": settings["base_model"], "style": style or "",
            "tempo": round(float(np.median([s.tempo for s in songs])), 2),
            "time_signature": list(max(set(meters), key=meters.count)), "key": _most_common_key(songs)}
    metrics = {"songs": len(sequences), "tokens": sum(len(s) for s in sequences), "steps": result.steps,
               "stopped_because": result.stopped_because, "training_seconds": round(result.seconds, 1),
               "final_loss": round(result.history["loss"][-1], 4) if result.history.get("loss") else None}
    return Trained(model_tensors(model), full, metrics)


def _starting_point(settings: dict, seed: int) -> tuple[dict, MusicTransformer]:
    """(shape and vocabulary settings, model): the base model's, loaded, or a fresh one's."""
    if settings["base_model"]:
        from .registry import Registry

        base, tensors = Registry().load(settings["base_model"])
        if base.card.type != "transformer":
            raise InvalidArgumentError(f"base model {base.name!r} is a {base.card.type} model, not a transformer")
        shape = {key: base.card.settings[key] for key in ("vocabulary", "styles", "context", "layers", "heads", "width",
                                                          "dropout")}
        shape["period"] = base.card.settings.get("period", 0)
        return shape, load_weights(build_model(shape), tensors).train()
    shape = {"vocabulary": "folk", "styles": [], "dropout": 0.1,
             **{key: settings[key] for key in ("context", "layers", "heads", "width")}}
    torch.manual_seed(seed)
    return shape, build_model(shape)


def _most_common_key(songs: list[Song]) -> str:
    keys = [key_token(key_of(song))[4:].replace("_", " ") for song in songs]
    return max(set(keys), key=keys.count) if keys else "C major"
