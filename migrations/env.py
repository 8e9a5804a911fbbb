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
    # A batch migration on SQLite rebuilds a table: copy, drop the old one,
    # rename. With foreign keys on, the drop deletes every child row through
    # ON DELETE CASCADE (the messages of each inquiry). SQLite only honours
    # this pragma outside a transaction, so it is set before the migrations
    # begin and checked and restored after them.
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _sqlite_foreign_keys(connection, on=False)
    try:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migrations left rows with dangling foreign keys: {broken[:5]}")
    finally:
        if sqlite:
            _sqlite_foreign_keys(connection, on=True)


def _sqlite_foreign_keys(connection, *, on: bool) -> None:
    """Set the pragma on the driver's connection, outside any transaction
    (through SQLAlchemy the statement would first open one: portal.db emits
    BEGIN itself)."""
    if connection.in_transaction():
        connection.commit()
    connection.connection.dbapi_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
