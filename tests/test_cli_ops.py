"""Deploy and operations commands: `portal db upgrade` is safe on every
deploy (twice is a no-op; two instances at once on PostgreSQL both
succeed), and `portal backup` copies a live SQLite database."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal import db
from portal.models import Inquiry
from portal.schema import upgrade_database
from tests.conftest import PG_URL
from tests.pg import fresh_database


def _schema(path) -> list:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


def test_db_upgrade_twice_is_a_no_op(make_app, tmp_path):
    path = tmp_path / "deploy.sqlite3"
    app = make_app(DATABASE_URL=f"sqlite:///{path}")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert "upgraded from revision (empty) to " in first.output
    schema = _schema(path)
    second = runner.invoke(args=["db", "upgrade"])
    assert second.exit_code == 0, second.output
    assert "nothing to do" in second.output
    assert _schema(path) == schema


def test_upgrade_of_the_test_database_finds_nothing_to_do(database_template):
    url = PG_URL or f"sqlite:///{database_template}"
    before, after = upgrade_database(url)
    assert before == after and after is not None


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL.startswith("postgresql"), reason="needs PORTAL_TEST_DATABASE_URL (PostgreSQL)")
def test_two_simultaneous_upgrades_on_postgresql_both_succeed():
    with fresh_database(PG_URL, "portal_upgrade") as url:
        barrier = threading.Barrier(2)
        results: list[tuple] = []
        errors: list[BaseException] = []

        def deploy() -> None:
            try:
                barrier.wait(timeout=30)
                results.append(upgrade_database(url))
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=deploy) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, errors
        head = max(after for _before, after in results)
        # One migrated from nothing; the other waited, then found nothing to do.
        assert sorted(results, key=lambda r: r[0] is not None) == [(None, head), (head, head)]


def _sqlite_app_with_data(make_app, tmp_path):
    path = tmp_path / "live.sqlite3"
    upgrade_database(f"sqlite:///{path}")
    app = make_app(DATABASE_URL=f"sqlite:///{path}")
    client = app.test_client()
    for n in range(3):
        assert client.post("/da/ask", data={"question": f"Backup-spørgsmål nummer {n}"}).status_code == 200
    return app, path


def test_backup_copies_the_live_sqlite_database(make_app, tmp_path):
    app, path = _sqlite_app_with_data(make_app, tmp_path)
    target = tmp_path / "copy.sqlite3"
    # The app's connection is still open: recent rows may still be in the WAL.
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert f"to {target}" in result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not target.with_name(target.name + "-wal").exists()
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM inquiries").fetchone()[0] == 3
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    # The original goes on working.
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Inquiry)) == 3


def test_backup_never_overwrites_and_names_a_file_in_a_folder(make_app, tmp_path):
    app, _path = _sqlite_app_with_data(make_app, tmp_path)
    runner = app.test_cli_runner()
    existing = tmp_path / "earlier.sqlite3"
    existing.write_bytes(b"an earlier backup")
    refused = runner.invoke(args=["backup", str(existing)])
    assert refused.exit_code == 1 and "exists already" in refused.output
    assert existing.read_bytes() == b"an earlier backup"
    folder = tmp_path / "backups"
    folder.mkdir()
    assert runner.invoke(args=["backup", str(folder)]).exit_code == 0
    (copy,) = folder.iterdir()
    assert copy.name.startswith("portal-") and copy.suffix == ".sqlite3"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600


def test_backup_on_postgresql_prints_the_pg_dump_command_without_the_password(make_app, tmp_path):
    app = make_app(DATABASE_URL="postgresql+psycopg://portal:hemmeligt-kodeord@db.example:5432/portal")
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "portal.dump")])
    app.extensions["db_engine"].dispose()
    assert result.exit_code == 1
    assert f"pg_dump --format=custom --file={tmp_path / 'portal.dump'} 'postgresql://portal@db.example:5432/portal'" \
        in result.output
    assert "hemmeligt" not in result.output


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL.startswith("postgresql"), reason="needs PORTAL_TEST_DATABASE_URL (PostgreSQL)")
def test_two_deploys_running_portal_db_upgrade_at_once_both_succeed():
    portal = Path(sys.executable).with_name("portal")
    with fresh_database(PG_URL, "portal_upgrade") as url:
        env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"),
               "PORTAL_ENV": "development", "PORTAL_DATABASE_URL": url}
        runs = [subprocess.Popen([str(portal), "db", "upgrade"], env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True) for _ in range(2)]
        outputs = [run.communicate(timeout=120)[0] for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        assert sorted("nothing to do" in output for output in outputs) == [False, True], outputs
