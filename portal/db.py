"""Engine and one session per request.

Routes call ``commit()`` once after their service call; anything not
committed when the app context ends is rolled back.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and foreign keys."""
    # hide_parameters: a failing statement must not put content into the logs.
    kwargs: dict[str, Any] = {"future": True, "hide_parameters": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
        if url in {"sqlite://", "sqlite:///:memory:"}:
            # One shared in-memory database for the whole test app.
            kwargs["poolclass"] = StaticPool
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
        # Let us issue BEGIN IMMEDIATE ourselves where a read decides a write.
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=15000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock up front, so a transaction that reads
    # and then writes cannot fail half-way when another writer got there first.
    mode = conn.get_execution_options().get("sqlite_begin", "")
    conn.exec_driver_sql(f"BEGIN {mode}".strip())


def init_app(app: Flask) -> None:
    """Bind an engine and session factory to the app."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)
    # Requests that write: on SQLite their transactions begin IMMEDIATE
    # (PostgreSQL ignores the option; row locks and conditional UPDATEs do the work).
    app.extensions["db_sessionmaker_write"] = sessionmaker(
        bind=engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    return current_app.extensions["db_engine"]


def session() -> Session:
    """The session of the current app context (one per request)."""
    if "db_session" not in g:
        # POSTs write; so do staff pages, which audit every read.
        writes = has_request_context() and (request.method == "POST" or request.blueprint == "staff")
        factory = current_app.extensions["db_sessionmaker_write" if writes else "db_sessionmaker"]
        g.db_session = factory()
    return g.db_session


def commit() -> None:
    """The single commit point of a request."""
    session().commit()


def _close_session(_exc: BaseException | None) -> None:
    sess = g.pop("db_session", None)
    if sess is not None:
        sess.rollback()
        sess.close()
