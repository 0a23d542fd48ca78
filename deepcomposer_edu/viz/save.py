"""Saving a figure as a PNG file, atomically and without overwriting a user's file by accident."""

from __future__ import annotations

import io
import os
from pathlib import Path

from ..files import atomic_write_bytes, check_writable


def save_png(figure, path: str | os.PathLike, overwrite: bool = False, dpi: int = 120) -> Path:
    """Write `figure` (a matplotlib Figure) to `path` as PNG; raises OutputExistsError if it exists."""
    check_writable(path, overwrite)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    return atomic_write_bytes(path, buffer.getvalue(), overwrite=overwrite)
