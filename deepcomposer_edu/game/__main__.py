"""`python -m deepcomposer_edu.game`: play the demo (arrow keys move, hold SPACE to fight), or run it headless.

Lesson: lessons/08_mood_and_adaptive_music.ipynb.

    python -m deepcomposer_edu.game                                   # a window, with sound
    python -m deepcomposer_edu.game --headless --frames 1200 --record session.mid
    python -m deepcomposer_edu.game --headless --frames 300 --script "0-100:idle,100-300:fight" --record s.mid

`--record` writes the music the session played as MIDI (never over an existing file without --overwrite)
and adds a line to the audit log. Bad options: one line on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import sys

from ..audit import log_event
from ..errors import DeepComposerError
from ..files import check_writable
from .demo import DEMO_SCRIPT, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deepcomposer_edu.game", description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, help="stop after N frames (30 a second; default: until closed)")
    parser.add_argument("--headless", action="store_true",
                        help=f"no window, no sound, time runs as fast as it can (default script: {DEMO_SCRIPT})")
    parser.add_argument("--script",
                        help="scripted input: START-END:ACTION,... (frames; actions left right up down fight idle)")
    parser.add_argument("--record", metavar="OUT.mid", help="write the session's music to this MIDI file")
    parser.add_argument("--overwrite", action="store_true", help="replace the --record file if it exists")
    parser.add_argument("--genre", default="cinematic", help="style of the music (default cinematic)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--mute", action="store_true", help="no sound")
    args = parser.parse_args(argv)
    try:
        if args.record:
            check_writable(args.record, args.overwrite)
        script = args.script or (DEMO_SCRIPT if args.headless else None)
        frames = args.frames or (1200 if args.headless else None)
        result = run(frames, script, headless=args.headless, seed=args.seed, genre=args.genre, mute=args.mute)
        print(f"played {result.frames} frames, {len(result.bars)} bars, {result.song.duration_seconds:.1f} s of music")
        if args.record:
            from ..music.midi import write_midi

            path = write_midi(result.song, args.record, overwrite=args.overwrite)
            log_event("generate", command=" ".join(["python -m deepcomposer_edu.game", *(argv or sys.argv[1:])]),
                      parameters={"frames": result.frames, "script": script, "genre": args.genre}, seed=args.seed,
                      outputs=[path])
            print(f"wrote {path}")
    except DeepComposerError as error:
        print(f"deepcomposer game: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
