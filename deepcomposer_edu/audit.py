"""The audit log: one JSON line for every model created and every piece generated or transferred.

Lesson: lessons/09_cost.ipynb (what was run, by whom, with which model: the record a studio keeps).

The log is `DEEPCOMPOSER_HOME/audit.jsonl`. Each line is one event:

    {"time": "2025-07-01T12:00:00.123Z", "user": "ada", "command": "deepcomposer generate-music ...",
     "action": "generate", "model": "markov-folk", "parameters": {...}, "seed": 0,
     "inputs": [{"path": "...", "sha256": "..."}], "outputs": [{"path": "song.mid", "sha256": "..."}]}

The hashes let anyone check later that a file is exactly the one a model produced. Every generating
feature calls the one function `log_event`; `deepcomposer audit` reads the log back and filters it.

Many processes may write at once (a class of learners sharing a folder, a game engine calling the CLI):
each line is written with a single `write` on a file opened with O_APPEND, under an exclusive `flock`, so
lines never interleave.
"""

from __future__ import annotations

import fcntl
import getpass
import hashlib
import json
import os
import shlex
from datetime import datetime, timezone
from pathlib import Path

from . import paths
from .errors import DeepComposerError, InvalidArgumentError

AUDIT_FILE = "audit.jsonl"
ACTIONS = ("create", "generate", "transfer")


class AuditLogError(DeepComposerError):
    """A line of the audit log that is not valid JSON (the file was edited or damaged)."""


def audit_path() -> Path:
    """Where the audit log lives: `DEEPCOMPOSER_HOME/audit.jsonl`."""
    return paths.home() / AUDIT_FILE


def sha256_of(item) -> dict:
    """A record of one input or output: `{"path", "sha256"}` for a file or folder, `{"sha256"}` for bytes.

    A folder's hash covers every file in it (relative names and contents, in name order), so a training
    folder can be recorded in one line. A Song (or a list of Songs) is hashed as the MIDI bytes it would be
    written as.
    """
    from .music import Song

    if isinstance(item, dict):  # a record made earlier by this function (hash a big input once, log it often)
        return dict(item)
    if isinstance(item, (bytes, bytearray)):
        return {"sha256": hashlib.sha256(item).hexdigest()}
    if isinstance(item, Song):
        from .music.midi import midi_bytes

        return {"sha256": hashlib.sha256(midi_bytes(item)).hexdigest()}
    if isinstance(item, (list, tuple)) and all(isinstance(song, Song) for song in item):
        digest = hashlib.sha256()
        for song in item:
            digest.update(bytes.fromhex(sha256_of(song)["sha256"]))
        return {"songs": len(item), "sha256": digest.hexdigest()}
    path = Path(item)
    if path.is_dir():
        digest = hashlib.sha256()
        files = sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            digest.update(file.relative_to(path).as_posix().encode() + b"\0" + _file_digest(file) + b"\0")
        return {"path": str(path), "files": len(files), "sha256": digest.hexdigest()}
    return {"path": str(path), "sha256": _file_digest(path).hex()}


def _file_digest(path: Path) -> bytes:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.digest()


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return str(os.getuid())


def log_event(action: str, *, command, model=None, parameters=None, seed=None, inputs=(), outputs=()) -> dict:
    """Append one event to the audit log and return it.

    `action`: "create", "generate" or "transfer". `command`: the command line (a string, or a list of
    arguments) or the Python call that asked for it. `inputs`/`outputs`: files, folders, bytes or Songs,
    recorded with their sha256.
    """
    if action not in ACTIONS:
        raise InvalidArgumentError(f"unknown audit action {action!r}; actions are {', '.join(ACTIONS)}")
    event = {
        "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "user": _user(),
        "command": command if isinstance(command, str) else shlex.join(str(part) for part in command),
        "action": action,
        "model": model,
        "parameters": parameters or {},
        "seed": seed,
        "inputs": [sha256_of(item) for item in inputs],
        "outputs": [sha256_of(item) for item in outputs],
    }
    line = (json.dumps(event, default=str, sort_keys=False) + "\n").encode("utf-8")
    handle = os.open(audit_path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        written = os.write(handle, line)
        while written < len(line):  # a regular file takes it all at once; this only guards a full disk
            written += os.write(handle, line[written:])
        os.fsync(handle)
    finally:
        os.close(handle)  # releases the lock
    return event


def _parse_since(since: str) -> datetime:
    try:
        moment = datetime.fromisoformat(since.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidArgumentError(f"--since {since!r}: expected a date like 2025-07-01 or 2025-07-01T12:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def read_events(action: str | None = None, model: str | None = None, since: str | None = None,
                limit: int | None = None) -> list[dict]:
    """Events from the log, oldest first, filtered; `limit` keeps the most recent ones; `since` is UTC."""
    if limit is not None and limit < 0:
        raise InvalidArgumentError(f"limit must be 0 or more, got {limit}")
    start = _parse_since(since) if since else None
    path = audit_path()
    if not path.exists():
        return []
    events = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                event = json.loads(line)
            except ValueError:
                raise AuditLogError(f"{path}, line {number}: not valid JSON (the log was edited or damaged)") from None
            if action and event.get("action") != action:
                continue
            if model and event.get("model") != model:
                continue
            if start and _parse_since(event["time"]) < start:
                continue
            events.append(event)
    return events if limit is None else events[len(events) - limit :]
