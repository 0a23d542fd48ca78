"""`deepcomposer serve`: a real HTTP client over loopback sends events and mood and gets bars as MIDI;
bad requests get clear JSON errors; the server listens on 127.0.0.1 only and shuts down cleanly."""

import http.client
import json
import os
import signal
import subprocess
import sys

import pytest

from deepcomposer_edu.game import AdaptiveEngine
from deepcomposer_edu.game.server import MAX_BODY, MusicServer
from deepcomposer_edu.music import song_from_bytes
from deepcomposer_edu.styles import get_style

CINEMATIC = get_style("cinematic").tempo  # the engine's default genre


@pytest.fixture
def server():
    running = MusicServer(AdaptiveEngine(mood=0.1, seed=0), port=0)
    running.start_in_thread()
    yield running
    running.stop()


def request(server, method, path, body=None, raw=None, headers=None):
    connection = http.client.HTTPConnection(*server.server_address[:2], timeout=10)
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    connection.request(method, path, body=data, headers=headers or {})
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, response.getheader("Content-Type"), payload


def test_listens_on_loopback_only(server):
    assert server.server_address[0] == "127.0.0.1"
    assert request(server, "GET", "/health")[2] == b'{"status": "ok"}'


def test_events_and_mood_change_the_bars_served(server):
    status, kind, payload = request(server, "GET", "/bars?count=2")
    calm = song_from_bytes(payload)
    assert (status, kind) == (200, "audio/midi") and calm.bar_count() == 2
    assert calm.tempo == pytest.approx(CINEMATIC * (0.5 + 0.75 * 0.1), abs=0.01) and "drums" not in [t.name for t in calm.tracks]
    status, _, payload = request(server, "POST", "/event", {"event": "combat_start"})
    assert status == 200 and json.loads(payload)["mood"] == 0.9
    intense = song_from_bytes(request(server, "GET", "/bars?count=1")[2])
    assert intense.tempos[-1].bpm == pytest.approx(CINEMATIC * (0.5 + 0.75 * 0.9), abs=0.01) and "drums" in [t.name for t in intense.tracks]
    state = json.loads(request(server, "POST", "/mood", {"mood": 0.2, "valence": 0.1})[2])
    assert state["mood"] == 0.2 and state["mode"] == "minor" and state["bar"] == 3
    state = json.loads(request(server, "POST", "/metric", {"value": 8, "low": 0, "high": 10, "smoothing": 0})[2])
    assert state["mood"] == 0.8


@pytest.mark.parametrize("method, path, body, status, words", [
    ("POST", "/mood", {"mood": 2}, 400, "mood must be a number from 0 to 1"),
    ("POST", "/event", {"event": "explode"}, 400, "unknown game event"),
    ("POST", "/metric", {"value": "high"}, 400, "value must be a number"),
    ("GET", "/bars?count=0", None, 400, "count must be from 1 to 64"),
    ("GET", "/bars?count=x", None, 400, "count must be a whole number"),
    ("GET", "/nowhere", None, 404, "no such path"),
    ("POST", "/mood", b"{not json", 400, "not valid JSON"),
    ("POST", "/mood", b"[1, 2]", 400, "JSON object"),
])
def test_bad_requests_get_json_errors(server, method, path, body, status, words):
    raw = body if isinstance(body, bytes) else None
    got, kind, payload = request(server, method, path, body=None if raw else body, raw=raw)
    assert (got, kind) == (status, "application/json") and words in json.loads(payload)["error"]


def test_request_bodies_are_bounded(server):
    status, _, payload = request(server, "POST", "/mood", raw=b"{" + b" " * MAX_BODY + b"}")
    assert status == 413 and str(MAX_BODY) in json.loads(payload)["error"]
    assert request(server, "GET", "/health")[0] == 200  # still serving


def test_serve_command_over_loopback_and_clean_shutdown(tmp_path):
    env = {**os.environ, "DEEPCOMPOSER_HOME": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "deepcomposer_edu.cli", "serve", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = process.stdout.readline()
        assert line.startswith("serving adaptive music on http://127.0.0.1:")
        port = int(line.split("127.0.0.1:")[1].split()[0])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/bars?count=4")
        song = song_from_bytes(connection.getresponse().read())
        connection.close()
        assert song.bar_count() == 4
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert "stopped" in process.stderr.read()
    finally:
        process.kill() if process.poll() is None else None
    events = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert events[-1]["parameters"]["served_bars"] == 4 and events[-1]["command"] == "deepcomposer serve --port 0"


def test_serve_command_refuses_a_busy_port(server, tmp_path):
    run = subprocess.run([sys.executable, "-m", "deepcomposer_edu.cli", "serve", "--port", str(server.server_address[1])],
                         capture_output=True, text=True, timeout=60, env={**os.environ, "DEEPCOMPOSER_HOME": str(tmp_path)})
    assert run.returncode == 2 and "cannot listen on 127.0.0.1" in run.stderr and run.stderr.count("\n") == 1
