"""The schema: Alembic's migrations run against a database URL, by
`portal db upgrade`, the test fixtures and the benchmark alike."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["database_url"] = url
    return cfg


# pg_advisory_lock key of the migrations ("portal" in ASCII): one upgrade at a time.
MIGRATION_LOCK = 0x706F7274616C


def upgrade_database(url: str, revision: str = "head") -> tuple[str | None, str | None]:
    """Run the Alembic migrations against ``url``; return the revisions
    before and after. Safe on every deploy: at the newest revision it does
    nothing, and on PostgreSQL an advisory lock makes a second instance's
    simultaneous upgrade wait for the first and then find nothing to do."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import text

    from portal.db import make_engine
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            locked = conn.dialect.name == "postgresql"
            if locked:
                conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            try:
                before = MigrationContext.configure(conn).get_current_revision()
                conn.commit()  # a session lock: it outlives the transaction
                cfg = alembic_config(url)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                conn.commit()
                after = MigrationContext.configure(conn).get_current_revision()
                conn.commit()
            finally:
                if locked:
                    conn.rollback()
                    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
                    conn.commit()
    finally:
        engine.dispose()
    return before, after
