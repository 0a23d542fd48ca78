"""Checkers for lesson 01, record a melody (lessons/01_record_a_melody.ipynb).

1.1 `quantize_timed_notes(events, tempo, steps_per_beat)`: played (pitch, start_ms, end_ms) to beats on a grid.
1.2 `ode_to_joy()`: the opening of Beethoven's "Ode to Joy" in the package's text notation.

Expected values are worked out by hand in the comments, not computed with the package's own functions.
"""

from __future__ import annotations

import math

from ..errors import DeepComposerError
from ..music.notation import parse_notes
from .framework import Wrong, exercise

# --- 1.1 ------------------------------------------------------------------------------------------------

# (events, tempo, steps_per_beat, expected), worked by hand; no time sits exactly half way between steps.
QUANTIZE_CASES = [
    # 120 BPM: 500 ms a beat; sixteenths (0.25 beats). 20 ms = 0.04 beats -> 0; 480 ms = 0.96 -> 1.0
    ([(60, 20, 480), (62, 510, 990), (64, 1010, 1980)], 120, 4, [(60, 0.0, 1.0), (62, 1.0, 2.0), (64, 2.0, 4.0)]),
    # 120 BPM: 620..1100 ms = 1.24..2.2 beats -> 1.25..2.25
    ([(67, 620, 1100)], 120, 4, [(67, 1.25, 2.25)]),
    # 90 BPM: 666.7 ms a beat. 1000 ms = 1.5 beats exactly; 1400 ms = 2.1 -> 2.0 on eighths (0.5 beats)
    ([(65, 1000, 1400)], 90, 2, [(65, 1.5, 2.0)]),
    # 120 BPM: 1000..1020 ms = 2.0..2.04 -> both snap to 2.0: the note keeps one step, 2.0..2.25
    ([(72, 1000, 1020)], 120, 4, [(72, 2.0, 2.25)]),
]


def _same(answer, expected) -> bool:
    return len(answer) == len(expected) and all(
        a[0] == e[0] and math.isclose(a[1], e[1], abs_tol=1e-6) and math.isclose(a[2], e[2], abs_tol=1e-6)
        for a, e in zip(answer, expected)
    )


@exercise("1.1")
def check_quantize_timed_notes(quantize_timed_notes):
    for events, tempo, steps, expected in QUANTIZE_CASES:
        answer = quantize_timed_notes(list(events), tempo, steps)
        if answer is None:
            raise Wrong("your function returned None", hint="end it with `return` and the list of triples")
        answer = [tuple(item) for item in answer]
        if len(answer) != len(expected):
            raise Wrong(f"{len(events)} events gave {len(answer)} notes", hint="return one (pitch, start, end) per event")
        if _same(answer, expected):
            continue
        said = f"at {tempo:g} BPM on a grid of {steps} steps per beat, {events} gave {answer}; expected {expected}"
        in_seconds = [(p, start * 60 / tempo, end * 60 / tempo) for p, start, end in expected]  # e.g. half at 120
        if tempo != 60 and _same(answer, in_seconds):
            hint = "those are seconds: a beat lasts 60000 / tempo milliseconds, so beats = ms * tempo / 60000"
        elif any(end == start for _, start, end in answer):
            hint = "a note must keep at least one step: if its end snaps onto its start, end = start + 1 / steps_per_beat"
        elif all(a[1] <= e[1] and a[2] <= e[2] for a, e in zip(answer, expected)):
            hint = "round to the NEAREST step: int() and // always round down (0.96 beats should become 1.0)"
        else:
            hint = "a step lasts 1 / steps_per_beat beats: start = round(beats * steps_per_beat) / steps_per_beat"
        raise Wrong(said, hint=hint)
    return "played milliseconds become beats on the grid, and no note vanishes."


# --- 1.2 ------------------------------------------------------------------------------------------------

# Ode to Joy, the first four bars in C major (E E F G | G F E D | C C D E | E. D D-):
# twelve quarter notes, then a dotted quarter (1.5 beats), an eighth (0.5) and a half note (2).
ODE_PITCHES = ["E4", "E4", "F4", "G4", "G4", "F4", "E4", "D4", "C4", "C4", "D4", "E4", "E4", "D4", "D4"]
ODE_MIDI = [64, 64, 65, 67, 67, 65, 64, 62, 60, 60, 62, 64, 64, 62, 62]
ODE_BEATS = [1.0] * 12 + [1.5, 0.5, 2.0]
LENGTH_NAMES = {4.0: "/1", 3.0: "/2.", 2.0: "/2", 1.5: "/4.", 1.0: "/4", 0.75: "/8.", 0.5: "/8", 0.25: "/16"}


@exercise("1.2")
def check_ode_to_joy(ode_to_joy):
    text = ode_to_joy()
    if not isinstance(text, str):
        raise Wrong(f"ode_to_joy() returned {type(text).__name__}, not a string", hint='return the notes as one string: "E4 E4 F4 ..."')
    try:
        song = parse_notes(text)
    except DeepComposerError as error:
        raise Wrong(f"the text does not parse: {error}", hint="see the notation above: a note is like E4, D4/8 or E4/4.") from None
    notes = song.notes
    beat = 0.0
    for index, (note, pitch, beats) in enumerate(zip(notes, ODE_MIDI, ODE_BEATS), start=1):
        name = ODE_PITCHES[index - 1]
        if not math.isclose(note.start, beat):
            raise Wrong(f"note {index} ({name}) should start on beat {beat:g}; yours starts on beat {note.start:g}",
                        hint="the tune has no rests: a rest (r) adds time too")
        beat += beats
        if note.pitch != pitch:
            octave = " (right letter, wrong octave: C4 is middle C)" if (note.pitch - pitch) % 12 == 0 else ""
            raise Wrong(f"note {index} should be {name} (MIDI {pitch}); yours is MIDI {note.pitch}{octave}",
                        hint="the tune goes E E F G | G F E D | C C D E | E. D D, all around middle C (C4)")
        if not math.isclose(note.duration, beats):
            raise Wrong(f"note {index} ({name}) should last {beats:g} beats ({LENGTH_NAMES[beats]}); yours lasts {note.duration:g}",
                        hint="no length means a quarter note; a dot adds half: E4/4. lasts 1.5 beats, D4/8 half a beat")
    if len(notes) != len(ODE_MIDI):
        raise Wrong(f"the opening has {len(ODE_MIDI)} notes; yours has {len(notes)}",
                    hint="four bars: E E F G | G F E D | C C D E | E. D D (the last D a half note)")
    return "fifteen notes, four bars: Beethoven would recognise it."
