"""Safe writes (deepcomposer_edu/files.py): atomic, never overwriting unasked, ordinary permissions."""

import os
import stat

import pytest

from deepcomposer_edu.errors import OutputExistsError
from deepcomposer_edu.files import atomic_write_bytes, atomic_write_text


def test_refuses_to_overwrite_unless_asked(tmp_path):
    path = tmp_path / "song.mid"
    atomic_write_bytes(path, b"first")
    with pytest.raises(OutputExistsError, match="song.mid"):
        atomic_write_bytes(path, b"second")
    assert path.read_bytes() == b"first"
    atomic_write_bytes(path, b"second", overwrite=True)
    assert path.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["song.mid"]  # no temporary file left behind


def test_outputs_get_the_umask_permissions_and_private_files_stay_private(tmp_path):
    old = os.umask(0o022)
    try:
        public = atomic_write_text(tmp_path / "a.txt", "hi")
        private = atomic_write_text(tmp_path / "b.txt", "secret", mode=0o600)
    finally:
        os.umask(old)
    assert stat.S_IMODE(public.stat().st_mode) == 0o644
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
