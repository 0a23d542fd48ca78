"""Where the package reads and writes on the user's machine.

Everything a user creates (their registry of models, the audit log, generated music) lives under one folder,
`DEEPCOMPOSER_HOME`. Lessons set it to a folder beside the notebook so a classroom run never writes
anywhere else. Without it, the user's data directory is used (`~/.local/share/deepcomposer` on Linux,
`XDG_DATA_HOME` respected).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def home() -> Path:
    """The user's DeepComposer folder (created on first use)."""
    configured = os.environ.get("DEEPCOMPOSER_HOME")
    if configured:
        folder = Path(configured).expanduser()
    else:
        data_home = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
        folder = data_home / "deepcomposer"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def smoke_mode() -> bool:
    """True when DEEPCOMPOSER_SMOKE=1: CI shrinks every training knob so notebooks stay fast."""
    return os.environ.get("DEEPCOMPOSER_SMOKE", "") not in ("", "0")
