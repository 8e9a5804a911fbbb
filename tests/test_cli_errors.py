"""An operator's mistake is one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PORTAL = Path(sys.executable).with_name("portal")


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run([str(PORTAL), *args], env=clean, capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parent.parent)


# A data key (base64 of 32 bytes) made for the tests only.
DATA_KEY = "dGVzdC1vbmx5LWRhdGEta2V5LTMyLWJ5dGVzLWxvbmc="
PRODUCTION = {"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": "k" * 32, "PORTAL_RECEIPT_PEPPER": "p" * 32,
              "PORTAL_DATA_KEY": DATA_KEY, "PORTAL_TRUSTED_PROXIES": "0"}


@pytest.mark.parametrize("args, env, says", [
    (["purge"], {"PORTAL_ENV": "production"}, "PORTAL_SECRET_KEY"),
    (["stats", "--json"], {"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": "k" * 32,
                           "PORTAL_RECEIPT_PEPPER": "p" * 32}, "PORTAL_DATA_KEY"),
    (["stats", "--json"], {"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": "k" * 32,
                           "PORTAL_RECEIPT_PEPPER": "p" * 32, "PORTAL_DATA_KEY": DATA_KEY},
     "PORTAL_TRUSTED_PROXIES"),
    (["stats", "--json"], {**PRODUCTION, "PORTAL_DATA_KEY": "c2hvcnQ=", "PORTAL_ALLOW_SQLITE": "1",
                           "PORTAL_DATABASE_URL": "sqlite://"}, "32 bytes"),
    (["stats", "--json"], {"PORTAL_ENV": "development",
                           "PORTAL_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=1"},
     "database cannot be reached"),
    (["db", "upgrade"], {**PRODUCTION, "PORTAL_DATABASE_URL": "sqlite:////nonexistent/portal.sqlite3"},
     "Refusing to start in production on SQLite"),
    (["stats", "--from", "someday"], {"PORTAL_ENV": "development", "PORTAL_DATABASE_URL": "sqlite://"}, "someday"),
])
def test_one_line_and_a_non_zero_exit(args, env, says):
    result = _run(*args, **env)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and says in errors[0], result.stderr


@pytest.mark.parametrize("allow", [["--allow-sqlite"], []])
def test_production_on_sqlite_when_allowed(tmp_path, allow):
    env = {**PRODUCTION, "PORTAL_DATABASE_URL": f"sqlite:///{tmp_path}/portal.sqlite3"}
    if not allow:
        env["PORTAL_ALLOW_SQLITE"] = "1"
    result = _run(*allow, "db", "upgrade", **env)
    assert result.returncode == 0, result.stderr
    assert "upgraded from revision (empty)" in result.stdout
    backup = _run(*allow, "backup", str(tmp_path / "copy.sqlite3"), **env)
    assert backup.returncode == 0, backup.stderr
    assert (tmp_path / "copy.sqlite3").is_file()
