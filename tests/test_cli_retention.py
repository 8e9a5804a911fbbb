"""``portal purge [--dry-run]`` end to end, with the clock fixed by
patching ``retention.utcnow`` (as tests/test_notify.py does): the counts
printed, the dry run, the one audit event, `portal stats --json` before and
after; and SQLite's secure_delete."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, make_url, select, text

from portal import db
from portal.db import _sqlite_pragmas
from portal.models import AuditEvent, CaseNote, Message
from portal.services import retention
from tests.conftest import PG_URL
from tests.evaluation_data import ROWS
from tests.factories import make_inquiry
from tests.retention_factories import make_answered_threads, make_evaluated_cases

NOW = datetime(2027, 8, 1, 10, 0, tzinfo=timezone.utc)
STATS = ["stats", "--json", "--from", "2025-04-01", "--to", "2025-06-30"]


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(retention, "utcnow", lambda: NOW)
    return NOW


def _run(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _events(app) -> list[dict]:
    with app.app_context():
        return [e.details for e in db.session().scalars(select(AuditEvent).where(AuditEvent.action == "retention.purge"))]


def _count(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


def test_dry_run_then_run_then_nothing(app, frozen):
    with app.app_context():
        make_evaluated_cases(db.session())
        make_answered_threads(db.session())
        db.commit()
    figures = _run(app, *STATS)
    assert json.loads(figures)["response_times"]["anonymous_question"]["n"] == 2  # one came on 31 March
    dry = _run(app, "purge", "--dry-run")
    assert dry.startswith("Dry run: nothing was changed.")
    assert "     4  closed cases anonymised" in dry
    assert "     5  anonymous question threads deleted" in dry
    assert _events(app) == [] and _count(app, CaseNote) == 10
    assert _run(app, *STATS) == figures
    done = _run(app, "purge")
    assert done.splitlines() == dry.splitlines()[1:]
    assert _count(app, CaseNote) == 6 and _count(app, Message) == 0
    [event] = _events(app)
    assert event["cases"] == 4 and set(event) == set(retention.KINDS)
    assert _run(app, *STATS) == figures
    again = _run(app, "purge")
    assert all(line.split()[0] == "0" for line in again.splitlines())
    assert len(_events(app)) == 1


def test_a_negative_setting_is_one_line(make_app):
    app = make_app(THREAD_RETENTION_DAYS=-1)
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 1 and "retention settings must be 0 or more" in result.output


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's secure_delete")
def test_sqlite_connections_delete_securely(app, tmp_path):
    with app.app_context():
        assert db.session().execute(text("PRAGMA secure_delete")).scalar() == 1
    # Whatever the library's compiled-in default (Debian's is on), the portal sets it.
    raw = sqlite3.connect(tmp_path / "raw.sqlite3")
    raw.execute("PRAGMA secure_delete=OFF")
    _sqlite_pragmas(raw, None)
    assert raw.execute("PRAGMA secure_delete").fetchone()[0] == 1
    raw.close()


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's file")
def test_a_purged_thread_leaves_no_trace_in_the_database_file(app, frozen):
    marker = "Hemmelig-markør-4711 om min søster"
    with app.app_context():
        make_inquiry(db.session(), text=marker, now=datetime(2025, 1, 2, tzinfo=timezone.utc))
        db.commit()
        # The text is stored encrypted: what must vanish is the stored value itself.
        stored = db.session().execute(text("SELECT body FROM messages")).scalar_one()
        db.commit()
        db.session().execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    assert marker not in stored
    marker = stored
    path = Path(make_url(app.config["DATABASE_URL"]).database)
    assert marker.encode() in path.read_bytes()
    assert "     1  anonymous question threads deleted" in _run(app, "purge")
    assert _count(app, Message) == 0
    with app.app_context():
        db.session().execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    for file in path.parent.glob(path.name + "*"):
        assert marker.encode() not in file.read_bytes(), file


def test_an_anonymised_case_and_its_inquiry_still_open_for_a_lead(app, staff_client, frozen):
    client, _lead = staff_client("lead")
    with app.app_context():
        made = make_evaluated_cases(db.session(), [row for row in ROWS if row["external_id"] == "E01"])
        case_id, inquiry_id = made[0].id, made[0].inquiry_id
        db.commit()
    assert "     1  closed cases anonymised" in _run(app, "purge")
    for url in (f"/staff/cases/{case_id}", f"/staff/inquiries/{inquiry_id}", "/staff/cases", "/staff/"):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/staff/cases/{case_id}").get_data(as_text=True)
    assert "Talte om boligstøtte" not in page and "12345678" not in page and "Ingen svar" not in page
