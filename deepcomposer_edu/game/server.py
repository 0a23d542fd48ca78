"""A bridge for game engines: the adaptive engine behind a small HTTP API on 127.0.0.1.

Lesson: lessons/08_mood_and_adaptive_music.ipynb (any game engine that can send HTTP, Godot, Unity,
Unreal or a Python script, can score itself). Started by `deepcomposer serve` (commands/serve.py).

    GET  /health                  {"status": "ok"}
    GET  /state                   the engine's bar, mood, tempo, mode, layers, key
    GET  /events                  the game events /event understands, and what each does
    POST /mood    {"mood": 0.8, "valence": 0.3, "arousal": 0.9}     (valence, arousal optional)
    POST /event   {"event": "combat_start"}
    POST /metric  {"value": 3, "low": 0, "high": 5, "smoothing": 0.5}
    GET  /bars?count=N            the next N bars (1..64) as a MIDI file (audio/midi), in the latest mood

Every POST answers with the state. Errors are JSON `{"error": "..."}` with status 400 (a bad value), 404
(no such path), 411/413 (a body without a length, or over `MAX_BODY` bytes). The server listens on the
loopback interface only: nothing outside this computer can reach it. It uses only the standard library
(`http.server`), one thread per request, each with a timeout, all sharing one thread-safe engine.
"""

from __future__ import annotations

import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qs, urlsplit

from ..errors import DeepComposerError, InvalidArgumentError
from ..music.midi import midi_bytes
from ..music.song import Song
from .engine import TRIGGERS, AdaptiveEngine

HOST = "127.0.0.1"  # loopback only, by design: there is no option to listen elsewhere
DEFAULT_PORT = 8765
MAX_BODY = 4096  # bytes: the largest request body accepted
MAX_BARS_PER_REQUEST = 64
REQUEST_TIMEOUT_S = 10.0  # a client that stops sending mid-request is dropped after this


class MusicServer(ThreadingHTTPServer):
    """An HTTP server holding one engine; `on_bars(song, count)` is told of every batch of bars served."""

    daemon_threads = True

    def __init__(self, engine: AdaptiveEngine, port: int = DEFAULT_PORT,
                 on_bars: Callable[[Song, int], None] | None = None, verbose: bool = False):
        self.engine, self.on_bars, self.verbose = engine, on_bars, verbose
        super().__init__((HOST, port), MusicHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start_in_thread(self) -> threading.Thread:
        """Serve in a background thread (a notebook, a test, a Python game); stop with `stop()`."""
        thread = threading.Thread(target=self.serve_forever, name="deepcomposer-serve", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        """Finish the request in progress, stop serving and close the socket."""
        self.shutdown()
        self.server_close()


class RequestError(Exception):
    def __init__(self, status: HTTPStatus, message: str):
        super().__init__(message)
        self.status = status


class MusicHandler(BaseHTTPRequestHandler):
    server: MusicServer
    timeout = REQUEST_TIMEOUT_S
    protocol_version = "HTTP/1.1"  # keep-alive: a game reuses one connection
    disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart (delayed ACK)

    def do_GET(self) -> None:
        self._answer(self._get)

    def do_POST(self) -> None:
        self._answer(self._post)

    def _get(self) -> tuple[str, bytes]:
        url = urlsplit(self.path)
        engine = self.server.engine
        if url.path == "/health":
            return as_json({"status": "ok"})
        if url.path == "/state":
            return as_json(engine.state())
        if url.path == "/events":
            return as_json({name: {"how": how, "value": value} for name, (how, value) in TRIGGERS.items()})
        if url.path == "/bars":
            count = whole_number(parse_qs(url.query).get("count", ["1"])[-1], "count", 1, MAX_BARS_PER_REQUEST)
            song = engine.next_bars(count)
            if self.server.on_bars is not None:
                self.server.on_bars(song, count)
            return "audio/midi", midi_bytes(song)
        raise RequestError(HTTPStatus.NOT_FOUND, f"no such path {url.path!r}; see GET /health, /state, /events, /bars")

    def _post(self) -> tuple[str, bytes]:
        path, body, engine = urlsplit(self.path).path, self._body(), self.server.engine
        if path == "/mood":
            engine.set_mood(body.get("mood"), body.get("valence"), body.get("arousal"))
        elif path == "/event":
            engine.trigger(str(body.get("event")))
        elif path == "/metric":
            engine.follow(number(body.get("value"), "value"), number(body.get("low", 0.0), "low"),
                          number(body.get("high", 1.0), "high"), number(body.get("smoothing", 0.5), "smoothing"))
        else:
            raise RequestError(HTTPStatus.NOT_FOUND, f"no such path {path!r}; POST /mood, /event or /metric")
        return as_json(engine.state())

    def _body(self) -> dict:
        length = self.headers.get("Content-Length")
        if length is None:
            raise RequestError(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length header")
        size = whole_number(length, "Content-Length", 0, None)
        if size > MAX_BODY:
            self.close_connection = True  # the body is not read: the connection cannot be reused
            raise RequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                               f"request body of {size} bytes; the limit is {MAX_BODY}")
        try:
            body = json.loads(self.rfile.read(size) or b"{}")
        except ValueError:
            raise RequestError(HTTPStatus.BAD_REQUEST, "the request body is not valid JSON") from None
        if not isinstance(body, dict):
            raise RequestError(HTTPStatus.BAD_REQUEST, "the request body must be a JSON object")
        return body

    def _answer(self, handler: Callable[[], tuple[str, bytes]]) -> None:
        try:
            content_type, payload = handler()
            status = HTTPStatus.OK
        except RequestError as error:
            status, (content_type, payload) = error.status, as_json({"error": str(error)})
        except DeepComposerError as error:
            status, (content_type, payload) = HTTPStatus.BAD_REQUEST, as_json({"error": str(error)})
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args) -> None:
        if self.server.verbose:
            super().log_message(format, *args)


def as_json(value) -> tuple[str, bytes]:
    return "application/json", json.dumps(value).encode("utf-8")


def number(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidArgumentError(f"{name} must be a number, got {value!r}")
    return float(value)


def whole_number(text: str, name: str, low: int, high: int | None) -> int:
    try:
        value = int(text)
    except ValueError:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"{name} must be a whole number, got {text!r}") from None
    if value < low or (high is not None and value > high):
        limit = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise RequestError(HTTPStatus.BAD_REQUEST, f"{name} must be {limit}, got {value}")
    return value
