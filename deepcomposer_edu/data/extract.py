"""Turn one music21 score into a plain piece record: voices, notes in ticks, key, meter, tempo.

Lesson: lessons/02_music_as_data.ipynb (what the build keeps of each score, and what it loses).

Only the build (`build.py`) calls this, once per tune; the learner never waits for music21. A piece record
is plain JSON-able data, so it can be cached on disk and assembled into the shipped column arrays.

Choices (also in datasets/README.md):
- Times are integer ticks, `TICKS_PER_BEAT` = 24 per quarter note: exact for sixteenths, eighth- and
  sixteenth-note triplets and thirty-seconds; anything finer is rounded (counted in `off_grid`).
- A pickup (anacrusis) bar is kept as a partial bar: every note is shifted right by the missing part of
  the bar, so bar lines fall on whole bars from beat 0 and the piece starts with a short rest.
- Tied notes become one note. Grace notes (no duration) are dropped. Chord symbols of ABC tunes
  ("Am" above the staff) are not notes and are dropped. Repeats are not expanded.
"""

from __future__ import annotations

import re

TICKS_PER_BEAT = 24
DEFAULT_VELOCITY = 80


def key_name(tonic: str, mode: str) -> str:
    """music21's 'B-' and 'minor' -> the Song convention 'Bb minor'."""
    return f"{tonic.replace('-', 'b')} {mode}"


def abc_fields(text: str) -> dict[str, str]:
    """The first value of a few informative ABC header fields: R (rhythm), O (origin), B (book), N (note)."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        match = re.match(r"^([ROBN]):\s*(.*?)\s*$", line)
        if match and match.group(1) not in fields and match.group(2):
            fields[match.group(1)] = match.group(2).rstrip("]")
    names = {"R": "rhythm", "O": "origin", "B": "book", "N": "note"}
    return {names[letter]: value for letter, value in fields.items()}


def bar_lengths(parts) -> list[float]:
    """Length in beats of every bar as written (the longest of the parts' bars with that index)."""
    from music21 import stream

    lengths: list[float] = []
    for part in parts:
        for index, measure in enumerate(part.getElementsByClass(stream.Measure)):
            length = float(measure.duration.quarterLength)
            if index < len(lengths):
                lengths[index] = max(lengths[index], length)
            else:
                lengths.append(length)
    return lengths


def written_meters(part) -> list:
    """The time signature written in each bar of `part` (None where the bar writes none)."""
    from music21 import stream

    return [measure.timeSignature for measure in part.getElementsByClass(stream.Measure)]


def signature_for(length: float, denominator: int) -> tuple[int, int]:
    """A time signature whose bar lasts `length` beats, preferring `denominator`: 3.5 beats -> 7/8."""
    for candidate in (denominator, 4, 8, 16, 32, 64):
        numerator = length * candidate / 4
        if numerator >= 1 and abs(numerator - round(numerator)) < 1e-6:
            return round(numerator), candidate
    return max(1, round(length * 16)), 64


def meter_map(parts) -> tuple[list[float], list[list[int]]]:
    """(beat at which each bar starts, [[tick, numerator, denominator], ...]): Song bars = written bars.

    The first bar, if short, is a pickup: notes are shifted right to complete it. Later bars whose length
    differs from the meter in force (the short bars around repeats in ABC tunes) get their own signature.
    Every part is laid on the same bar starts, so a part with an underfull bar (a missing rest in the
    source) does not drift against the others.
    """
    lengths = bar_lengths(parts)
    meters = written_meters(parts[0])
    opening = next((meter for meter in meters if meter is not None), None)
    if opening is None:  # music21 makes no bars of some very short ABC tunes
        opening = next(iter(parts[0].recurse().getElementsByClass("TimeSignature")), None)
    numerator, denominator = (opening.numerator, opening.denominator) if opening is not None else (4, 4)
    if not lengths:
        return [], [[0, numerator, denominator]]
    nominal = numerator * 4 / denominator
    pickup = nominal - lengths[0] if 0 < lengths[0] < nominal else 0.0
    changes = [[0, numerator, denominator]]
    starts = [pickup]
    for length in lengths[:-1]:
        starts.append(starts[-1] + length)
    beat = pickup + lengths[0]
    for index in range(1, len(lengths) - 1):  # the last bar may be short: nothing follows it
        meter = meters[index] if index < len(meters) else None
        if meter is not None:
            denominator = meter.denominator
        if meter is not None and abs(meter.barDuration.quarterLength - lengths[index]) < 1e-6:
            signature = (meter.numerator, meter.denominator)
        else:
            signature = signature_for(lengths[index], denominator)
        if list(signature) != changes[-1][1:]:
            changes.append([round(beat * TICKS_PER_BEAT), *signature])
        beat += lengths[index]
    return starts, changes


def placed_notes(part, bar_starts: list[float]):
    """(beat, note or chord) for every note of `part`, each bar laid at its start in `bar_starts`."""
    from music21 import stream

    measures = list(part.getElementsByClass(stream.Measure))
    if not measures or len(measures) > len(bar_starts):
        shift = bar_starts[0] if bar_starts else 0.0
        return [(float(element.offset) + shift, element) for element in part.flatten().notes]
    return [
        (bar_starts[index] + float(element.offset), element)
        for index, measure in enumerate(measures)
        for element in measure.flatten().notes
    ]


def part_notes(part, voice: int, bar_starts: list[float], counts: dict[str, int]) -> list[list[int]]:
    """[pitch, start, end, velocity, voice] rows (ticks) for one part, ties merged, grace notes dropped."""
    from music21 import harmony

    rows: list[list[int]] = []
    open_ties: dict[int, int] = {}  # pitch -> row index of the note a tie continues
    for beat, element in placed_notes(part, bar_starts):
        if isinstance(element, harmony.Harmony):
            continue
        length = float(element.duration.quarterLength)
        if element.duration.isGrace or length <= 0:
            counts["grace_dropped"] += len(element.pitches)
            continue
        exact_start = beat * TICKS_PER_BEAT
        exact_end = exact_start + length * TICKS_PER_BEAT
        start, end = round(exact_start), round(exact_end)
        if abs(exact_start - start) > 1e-6 or abs(exact_end - end) > 1e-6:
            counts["off_grid"] += 1
        end = max(end, start + 1)
        velocity = int(element.volume.velocity or DEFAULT_VELOCITY)  # few sources write one
        for pitch in element.pitches:
            midi = int(pitch.midi)
            tie = pitch.tie if hasattr(pitch, "tie") and pitch.tie is not None else element.tie
            if tie is not None and tie.type in ("continue", "stop") and midi in open_ties:
                row = rows[open_ties[midi]]
                if row[2] == start:
                    row[2] = end
                    if tie.type == "stop":
                        del open_ties[midi]
                    continue
            rows.append([midi, start, end, velocity, voice])
            if tie is not None and tie.type == "start":
                open_ties[midi] = len(rows) - 1
    return rows


def estimated_key(score) -> str:
    """music21's key estimate (Krumhansl-Schmuckler), for scores that write only a key signature."""
    found = score.analyze("key")
    return key_name(found.tonic.name, found.mode)


def satb_parts(parts) -> list:
    """The soprano, alto, tenor and bass parts of a chorale, dropping instrumental doublings (horns...)."""
    voices = ("soprano", "alto", "tenor", "bass")
    named = {}
    for part in parts:
        name = (part.partName or "").strip().lower()
        if name in voices and name not in named:
            named[name] = part
    if len(named) == 4:
        return [named[voice] for voice in voices]
    if len(parts) == 4:
        return parts
    raise ValueError(f"not a four-voice chorale ({len(parts)} parts)")


def piece_from_score(
    score, source_id: str, default_program: int, extra: dict | None = None, four_voices: bool = False
) -> dict:
    """The piece record of a parsed music21 score (see the module docstring for what is kept)."""
    from music21 import key as m21key
    from music21 import tempo

    parts = list(score.parts) or [score]
    if four_voices:
        parts = satb_parts(parts)
    bar_starts, signatures = meter_map(parts)
    counts = {"grace_dropped": 0, "off_grid": 0}
    notes: list[list[int]] = []
    voices: list[dict] = []
    for part in parts:
        rows = part_notes(part, len(voices), bar_starts, counts)
        if not rows:
            continue
        instrument = part.getInstrument(returnDefault=False)
        program = instrument.midiProgram if instrument is not None and instrument.midiProgram is not None else None
        name = part.partName or (instrument.instrumentName if instrument is not None else None)
        voices.append({"name": name or f"Voice {len(voices) + 1}", "program": program if program else default_program})
        notes.extend(rows)
    if not notes:
        raise ValueError("no notes")

    flat = parts[0].flatten()
    written_key = next(iter(flat.getElementsByClass(m21key.Key)), None)
    if written_key is not None:
        key, key_source = key_name(written_key.tonic.name, written_key.mode), "written"
    else:
        key, key_source = estimated_key(score), "estimated"
    mark = next(iter(score.flatten().getElementsByClass(tempo.MetronomeMark)), None)
    bpm = mark.getQuarterBPM() if mark is not None else None

    metadata = score.metadata
    return {
        "id": source_id,
        "title": (metadata.title if metadata is not None and metadata.title else "") or "",
        "composer": (metadata.composer if metadata is not None and metadata.composer else "") or "",
        "key": key,
        "key_source": key_source,
        "meter": "{}/{}".format(*signatures[0][1:]),
        "time_signatures": signatures,
        "tempo": round(float(bpm), 2) if bpm else None,
        "pickup": round(bar_starts[0] * TICKS_PER_BEAT) if bar_starts else 0,
        "voices": voices,
        "notes": notes,
        **counts,
        **(extra or {}),
    }
