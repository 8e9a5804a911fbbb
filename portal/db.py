"""Engine, one session per request, and the request's unit of work.

A request's work commits once, when its handler has returned a response
below 400, and is rolled back otherwise (an error page, a form shown again
with errors, an exception). Handlers never commit. A handler that catches a
``ServiceError`` rolls the failed action back through ``rollback()`` (the
helpers that put an error on a form or flash it do so).

``record_apart()`` queues a row that must be kept whatever happens to the
request's own work: the audit event of a staff view. It is written in its
own short transaction after the request's work has been committed or rolled
back, so its first statement is a write (no SQLite snapshot to upgrade) and
a failing action never takes the record of the view with it.

Which requests write is declared, not guessed: every POST, and a GET route
decorated with ``@writes``. On SQLite their transactions begin IMMEDIATE,
so a transaction that reads and then writes cannot fail half-way when
another writer got there first, and they wait for their turn in a queue
(portal/sqlite_turns.py); PostgreSQL ignores the option and relies on row
locks and conditional UPDATEs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, request
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from portal.sqlite_turns import TAKES_TURN, TurnTakingConnection, WriterTurns, begin_in_turn

_WRITES_FLAG = "portal_db_writes"
# How long a SQLite writer waits for the write lock before "database is locked".
BUSY_TIMEOUT_SECONDS = 15


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and foreign keys."""
    # hide_parameters: a failing statement must not put content into the logs.
    kwargs: dict[str, Any] = {"future": True, "hide_parameters": True}
    turns = None
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_SECONDS}
        database = make_url(url).database
        if url in {"sqlite://", "sqlite:///:memory:"}:
            # One shared in-memory database for the whole test app.
            kwargs["poolclass"] = StaticPool
        elif database:
            turns = WriterTurns(database, timeout=BUSY_TIMEOUT_SECONDS)
            kwargs["connect_args"]["factory"] = TurnTakingConnection
    else:
        kwargs["pool_pre_ping"] = True
    _private_sqlite_file(url)
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
        if turns is not None:
            event.listen(engine, "connect", lambda dbapi_connection, _record: setattr(dbapi_connection, "turns", turns))
        # Let us issue BEGIN IMMEDIATE ourselves where a read decides a write.
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _private_sqlite_file(url: str) -> None:
    """Create the SQLite file readable by its owner only (SQLite gives the
    WAL and shared-memory files the same mode). A missing folder is left
    missing: a wrong path must fail, not make a database somewhere new."""
    database = make_url(url).database if url.startswith("sqlite") else None
    if not database or database == ":memory:" or not Path(database).parent.is_dir():
        return
    path = Path(database)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    # Deleted rows (a purged thread, erased contact details) are overwritten
    # with zeros in the file, not left in free pages until they are reused.
    cur.execute("PRAGMA secure_delete=ON")
    cur.close()


_CHANGES_AT_BEGIN = "portal_changes_at_begin"


def _sqlite_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "")
    begin_in_turn(conn, f"BEGIN {mode}".strip())
    conn.info[_CHANGES_AT_BEGIN] = conn.connection.dbapi_connection.total_changes


def has_written(sess: Session) -> bool:
    """Whether the session's transaction has changed a row that other
    connections cannot see yet (SQLite: rows changed since its BEGIN; on
    PostgreSQL always True, as nothing here counts its changes)."""
    if not sess.in_transaction():
        return False
    conn = sess.connection()
    if conn.dialect.name != "sqlite":
        return True
    changes = getattr(conn.connection.dbapi_connection, "total_changes", None)
    return changes is None or changes != conn.info.get(_CHANGES_AT_BEGIN, -1)


def init_app(app: Flask) -> None:
    """Bind an engine and session factories; install the unit of work."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)
    writer = engine.execution_options(sqlite_begin="IMMEDIATE")
    # Commands write with this one; a request's writes take their turn (portal/sqlite_turns.py).
    app.extensions["db_sessionmaker_write"] = sessionmaker(bind=writer, expire_on_commit=False)
    app.extensions["db_sessionmaker_request_write"] = sessionmaker(
        bind=writer.execution_options(**{TAKES_TURN: True}), expire_on_commit=False)
    app.after_request(_finish_unit_of_work)
    app.teardown_appcontext(_close_session)


def writes(view: Callable) -> Callable:
    """Declare that a GET route writes (POSTs always do)."""
    setattr(view, _WRITES_FLAG, True)
    return view


def engine() -> Engine:
    return current_app.extensions["db_engine"]


def _request_writes() -> bool:
    if not has_request_context():
        return False
    if request.method == "POST":
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, _WRITES_FLAG, False))


def session() -> Session:
    """The session of the current app context (one per request)."""
    if "db_session" not in g:
        factory = current_app.extensions["db_sessionmaker_request_write" if _request_writes() else "db_sessionmaker"]
        g.db_session = factory()
    return g.db_session


@contextmanager
def reading() -> Iterator[Session]:
    """A session for what a request that writes only reads to show (a
    form's list of choices), in a short read transaction of its own before
    the request's own begins: on SQLite that one is BEGIN IMMEDIATE, which
    takes the database's one write lock, and every statement run while it
    is held keeps every other writer waiting. A request that does not
    write reads with its own session."""
    if "db_session" in g or not _request_writes():
        yield session()
        return
    sess = current_app.extensions["db_sessionmaker"]()
    try:
        yield sess
    finally:
        sess.close()


def commit() -> None:
    """Commit outside a request (commands, tests). Handlers never call it."""
    session().commit()


def rollback() -> None:
    """Discard the request's work so far (a service refused the action)."""
    sess = g.get("db_session")
    if sess is not None:
        sess.rollback()
    g.pop("db_after_commit", None)


def record_apart(make_row: Callable[[], object]) -> None:
    """Queue a row that is written in its own transaction at the end of the
    request, whatever happens to the request's own work."""
    g.setdefault("db_apart", []).append(make_row)


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the request's work is committed (never when it
    is rolled back): a notice by e-mail about what was just stored."""
    g.setdefault("db_after_commit", []).append(callback)


def _run_after_commit() -> None:
    for callback in g.pop("db_after_commit", []):
        try:
            callback()
        except Exception:  # the stored work stands; a failed notice is logged
            current_app.logger.exception("an after-commit notice failed")


def _write_apart(sess: Session) -> None:
    rows = g.pop("db_apart", [])
    if rows:
        sess.add_all(make_row() for make_row in rows)
        sess.commit()


def _finish_unit_of_work(response: Response) -> Response:
    """Commit the request's work if the response is not an error, else roll
    it back; then write what was recorded apart."""
    sess = g.get("db_session")
    if sess is None:
        return response
    try:
        if response.status_code < 400:
            sess.commit()
        else:
            sess.rollback()
            g.pop("db_after_commit", None)
    except Exception:
        sess.rollback()
        g.pop("db_after_commit", None)
        raise
    finally:
        try:
            _write_apart(sess)
        except Exception:  # the request's outcome stands; the error is logged
            sess.rollback()
            current_app.logger.exception("could not write the request's audit records")
    _run_after_commit()
    return response


def _close_session(_exc: BaseException | None) -> None:
    sess = g.pop("db_session", None)
    if sess is None:
        return
    try:
        sess.rollback()
        if g.get("db_apart"):  # the request failed before a response was made
            _write_apart(sess)
    finally:
        sess.close()
