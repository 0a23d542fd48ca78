"""`deepcomposer serve`: the adaptive music engine for game engines, over HTTP on 127.0.0.1 only.

Lesson: lessons/08_mood_and_adaptive_music.ipynb. The API is in `deepcomposer_edu/game/server.py`.

    deepcomposer serve --port 8765 --genre cinematic
    curl -X POST localhost:8765/event -d '{"event": "combat_start"}'
    curl 'localhost:8765/bars?count=2' -o next.mid

Ctrl-C (or SIGTERM) finishes the request in progress, closes the socket and exits with code 0.
"""

from __future__ import annotations

import signal
import sys

from ..audit import log_event, sha256_of
from ..errors import InvalidArgumentError
from ._options import add_seed_option


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "serve", help="serve adaptive game music over HTTP on 127.0.0.1",
        description="Run the adaptive music engine behind a small HTTP API on 127.0.0.1 (this computer only): "
                    "POST /mood, /event, /metric; GET /bars?count=N returns the next bars as MIDI. "
                    "See docs/mood.md.",
    )
    parser.add_argument("--port", type=int, default=8765,
                        help="TCP port on 127.0.0.1 (default 8765; 0 picks a free one)")
    parser.add_argument("--base", metavar="MELODY.mid", help="the melody to adapt (default: the example theme)")
    parser.add_argument("--genre", default="cinematic", metavar="STYLE",
                        help="style for instruments and tempo (default cinematic)")
    parser.add_argument("--mood", type=float, default=0.2, help="the mood to start in, 0..1 (default 0.2)")
    parser.add_argument("--verbose", action="store_true", help="print one line per request on stderr")
    add_seed_option(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..game.engine import AdaptiveEngine
    from ..game.server import MusicServer
    from ..music.midi import read_midi

    if not 0 <= args.port <= 65535:
        raise InvalidArgumentError(f"--port must be 0..65535, got {args.port}")
    engine = AdaptiveEngine(read_midi(args.base) if args.base else None, genre=args.genre, seed=args.seed,
                            mood=args.mood)
    inputs = [sha256_of(args.base)] if args.base else []

    def log_bars(song, count):  # every batch of bars served is a generation: it goes in the audit log
        log_event("generate", command=args.command_line, parameters={"served_bars": count, "genre": args.genre},
                  seed=args.seed, inputs=inputs, outputs=[song])

    try:
        server = MusicServer(engine, args.port, on_bars=log_bars, verbose=args.verbose)
    except OSError as error:
        raise InvalidArgumentError(f"cannot listen on 127.0.0.1:{args.port}: {error.strerror or error}") from None
    signal.signal(signal.SIGTERM, stop_on_signal)
    print(f"serving adaptive music on {server.url} (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    print("stopped", file=sys.stderr)
    return 0


def stop_on_signal(signum, frame) -> None:
    """SIGTERM stops the server the way Ctrl-C does."""
    raise KeyboardInterrupt
