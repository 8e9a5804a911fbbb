"""The schema exists only through Alembic: models and migrations agree, and
every revision goes down and up again."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from portal.db import make_engine
from portal.models import Base
from portal.schema import alembic_config


def _for_this_database(dialect: str):
    """Alembic's comparison ignores an index's ddl_if(dialect=...): one made
    on another database only is not compared."""
    def include(obj, _name, type_, _reflected, _compare_to) -> bool:
        only_on = getattr(getattr(obj, "_ddl_if", None), "dialect", None) if type_ == "index" else None
        return only_on is None or only_on == dialect
    return include


def test_models_match_migrations(database_url):
    engine = make_engine(database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": True, "include_object": _for_this_database(engine.dialect.name)})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == [], diff


def test_downgrade_to_base_and_up_again(tmp_path):
    url = f"sqlite:///{tmp_path}/roundtrip.sqlite3"
    cfg = alembic_config(url)
    command.upgrade(cfg, "head")
    command.downgrade(cfg, "base")
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    command.upgrade(cfg, "head")
    engine = make_engine(url)
    assert {"inquiries", "messages", "contact_details", "hospitals", "users", "cases", "audit_events"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_hospitals_are_seeded_by_the_migration(db_session):
    from portal.services.inquiries import hospitals
    codes = [h.code for h in hospitals(db_session)]
    assert codes == ["rh", "hgh", "nsh", "ahh", "boh"]


def test_0006_gives_inquiries_already_there_their_due_time(tmp_path):
    """Rows from before 0006 get the due time their promise gave them, once."""
    from datetime import datetime, timezone

    from sqlalchemy import text

    url = f"sqlite:///{tmp_path}/backfill.sqlite3"
    cfg = alembic_config(url)
    command.upgrade(cfg, "0005")
    engine = make_engine(url)
    friday = datetime(2026, 11, 27, 14, 30, tzinfo=timezone.utc)  # 15:30 in Copenhagen
    with engine.begin() as conn:
        for ident, kind, priority in ((1, "anonymous_question", 1), (2, "self_referral", 1),
                                      (3, "professional_referral", 0)):
            conn.execute(text(
                "INSERT INTO inquiries (id, kind, status, label, channel, topics, language, priority, "
                "interpreter_needed, attempt_count, created_at, updated_at, version) VALUES "
                "(:id, :kind, 'new', :label, 'phone', '[]', 'da', :priority, 0, 0, :at, :at, 1)"),
                {"id": ident, "kind": kind, "label": f"Blå ugle {ident}", "priority": priority, "at": friday})
    engine.dispose()
    command.upgrade(cfg, "head")
    engine = make_engine(url)
    with engine.connect() as conn:
        due = dict(conn.execute(text("SELECT id, due_at FROM inquiries")).all())
    engine.dispose()
    # Wednesday 2 and Tuesday 1 December at 16:00 in Copenhagen (15:00 UTC).
    assert {k: str(v)[:16] for k, v in due.items()} == {1: "2026-12-02 15:00", 2: "2026-12-01 15:00",
                                                        3: "2026-12-01 15:00"}


def test_rebuilding_a_table_on_sqlite_keeps_its_child_rows(tmp_path, monkeypatch):
    """0006 rebuilds ``inquiries`` (batch mode). With foreign keys on, dropping
    the old table would delete every message through ON DELETE CASCADE."""
    from sqlalchemy import text

    from portal.crypto import generate_key
    monkeypatch.setenv("PORTAL_DATA_KEY", generate_key())  # 0010 encrypts the message

    url = f"sqlite:///{tmp_path}/children.sqlite3"
    cfg = alembic_config(url)
    command.upgrade(cfg, "0005")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO inquiries (id, kind, status, label, channel, topics, language, priority, "
            "interpreter_needed, attempt_count, created_at, updated_at, version) VALUES "
            "(1, 'anonymous_question', 'new', 'Grøn and 1', 'anonymous_web', '[]', 'da', 0, 0, 0, "
            "'2026-11-02 10:00:00', '2026-11-02 10:00:00', 1)"))
        conn.execute(text(
            "INSERT INTO messages (inquiry_id, author, body, created_at) "
            "VALUES (1, 'family', 'Hvornår kan jeg få svar?', '2026-11-02 10:00:00')"))
    engine.dispose()
    command.upgrade(cfg, "head")
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM messages")).scalar() == 1
    engine.dispose()
