"""Writing files safely: atomically, and never over a user's file unless asked.

Every feature that writes (MIDI, audio, reports, checkpoints) goes through `atomic_write_bytes`, so that a
crash or Ctrl-C in the middle of a write leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputExistsError


def atomic_write_bytes(path: str | os.PathLike, data: bytes, overwrite: bool = False, mode: int | None = None) -> Path:
    """Write `data` to `path` in one step: a temporary file beside it, flushed, then renamed over it.

    Raises `OutputExistsError` if `path` exists and `overwrite` is false. `mode` sets the file permissions
    (e.g. 0o600 for files only the owner may read).
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise OutputExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        # mkstemp makes owner-only files; an ordinary output gets the permissions any new file would get.
        os.chmod(tmp_name, mode if mode is not None else 0o666 & ~_current_umask())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path


def _current_umask() -> int:
    """The process's umask (reading it means setting it, so it is put straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | os.PathLike, text: str, overwrite: bool = False, mode: int | None = None) -> Path:
    """`atomic_write_bytes` for text, encoded as UTF-8."""
    return atomic_write_bytes(path, text.encode("utf-8"), overwrite=overwrite, mode=mode)


def check_writable(path: str | os.PathLike, overwrite: bool) -> Path:
    """Fail early (before any slow work) if writing `path` would overwrite a file without permission."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise OutputExistsError(path)
    return path
