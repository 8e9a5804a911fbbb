"""The schema exists only through Alembic: models and migrations agree, and
every revision goes down and up again."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from portal.cli import alembic_config
from portal.db import make_engine
from portal.models import Base


def test_models_match_migrations(database_url):
    engine = make_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
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
