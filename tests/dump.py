"""What someone holding the database files sees: the raw bytes of the SQLite
file and its write-ahead log, or the output of ``pg_dump``."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import make_url


def raw_dump(database_url: str) -> bytes:
    """Every byte an attacker with the files (or a backup) could read."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        assert path.is_file(), f"no database file at {path}"
        parts = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-journal")]
        return b"".join(p.read_bytes() for p in parts if p.is_file())
    return pg_dump(database_url)


def pg_dump(database_url: str) -> bytes:
    """pg_dump's plain SQL of the database (skips the test without pg_dump)."""
    binary = shutil.which("pg_dump")
    if binary is None:
        pytest.skip("pg_dump is not installed")
    url = make_url(database_url).set(drivername="postgresql")
    result = subprocess.run([binary, "--no-owner", "--dbname", url.render_as_string(hide_password=False)],
                            capture_output=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout
