"""Alembic environment. The URL comes from the caller (portal db upgrade,
the tests) or from PORTAL_DATABASE_URL; batch mode keeps SQLite column
changes possible."""

from __future__ import annotations

import os

from alembic import context

from portal.config import Config
from portal.db import make_engine
from portal.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return (config.attributes.get("database_url")
            or os.environ.get("PORTAL_DATABASE_URL")
            or Config.DATABASE_URL)


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
