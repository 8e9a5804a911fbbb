"""SQLite's writers take turns (portal/sqlite_turns.py): a request's write
transaction waits for its turn before it sends BEGIN IMMEDIATE, behind a
writer of the same process or of another (an flock on the file beside the
database), and gives the turn back however its transaction ends. Commands
take no turn. Real threads; the waits are watched, never timed."""

from __future__ import annotations

import fcntl
import os
import threading
import time

import pytest
from sqlalchemy import Connection, event, func, select, text

from portal import db
from portal.models import Inquiry
from portal.sqlite_turns import TurnTakingConnection
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="SQLite's write lock; PostgreSQL has row locks")

QUESTION = {"question": "Hvad kan jeg få hjælp til, når barnet er født?"}


def _turns(app):
    """The app's turns, after one write (which makes their file)."""
    assert app.test_client().post("/da/ask", data=QUESTION).status_code == 200
    with app.app_context():
        with db.engine().connect() as conn:
            dbapi = conn.connection.dbapi_connection
            assert isinstance(dbapi, TurnTakingConnection)
            return dbapi.turns


def _until(condition, what: str) -> None:
    """Wait for ``condition`` (a failure, not a timing, when it never comes)."""
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.01)


def _begins(app) -> list[str]:
    """The BEGIN IMMEDIATEs (writers) sent from now on (the list fills as they are)."""
    sent: list[str] = []
    event.listen(app.extensions["db_engine"], "before_cursor_execute",
                 lambda _c, _cur, statement, *_a: sent.append(statement) if statement == "BEGIN IMMEDIATE" else None)
    return sent


def _ask_in_thread(app, results: list) -> threading.Thread:
    def ask() -> None:
        results.append(app.test_client().post("/da/ask", data=QUESTION).status_code)
    thread = threading.Thread(target=ask)
    thread.start()
    return thread


def _questions(app) -> int:
    with app.app_context():
        count = db.session().scalar(select(func.count(Inquiry.id)))
        db.session().rollback()
        return count


def test_a_writer_waits_for_its_turn_behind_another_thread_before_it_begins(app):
    turns, begins, results = _turns(app), _begins(app), []
    with app.test_request_context("/da/ask", method="POST"):
        holder = db.session()
        holder.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: this thread has the turn
        assert begins == ["BEGIN IMMEDIATE"]
        thread = _ask_in_thread(app, results)
        _until(lambda: turns.waiting == 1, "the second writer never queued")
        assert begins == ["BEGIN IMMEDIATE"]  # it waits in the queue, not in SQLite's busy loop
        holder.commit()
        thread.join(timeout=60)
    assert results == [200]
    assert begins == ["BEGIN IMMEDIATE"] * 2
    assert _questions(app) == 2


def test_a_writer_waits_for_a_writer_of_another_process(app):
    turns, begins, results = _turns(app), _begins(app), []
    other_process = os.open(turns.path, os.O_RDWR)  # an open file of its own: another process's flock
    try:
        fcntl.flock(other_process, fcntl.LOCK_EX)
        thread = _ask_in_thread(app, results)
        _until(lambda: turns._threads.locked(), "the writer never took the process's lock")
        thread.join(timeout=0.5)
        assert thread.is_alive() and begins == [] and results == []
        fcntl.flock(other_process, fcntl.LOCK_UN)
        thread.join(timeout=60)
    finally:
        os.close(other_process)
    assert results == [200] and begins == ["BEGIN IMMEDIATE"]


@pytest.mark.parametrize("ending", ["commit", "rollback", "close", "refused form"])
def test_the_turn_is_given_back_however_the_transaction_ends(app, ending):
    turns = _turns(app)
    if ending == "refused form":
        assert app.test_client().post("/da/ask", data={"question": ""}).status_code == 200
    else:
        with app.test_request_context("/da/ask", method="POST"):
            sess = db.session()
            sess.execute(text("SELECT 1"))
            assert turns._threads.locked()
            getattr(sess, ending)()
    assert not turns._threads.locked()
    # Another writer has its turn at once.
    assert app.test_client().post("/da/ask", data=QUESTION).status_code == 200


def test_a_failed_begin_gives_the_turn_back(app, monkeypatch):
    turns = _turns(app)

    def refuse(_conn, statement, *_args, **_kwargs):
        raise RuntimeError(f"{statement}: disk I/O error")

    with app.test_request_context("/da/ask", method="POST"):
        sess = db.session()
        monkeypatch.setattr(Connection, "exec_driver_sql", refuse)
        with pytest.raises(RuntimeError, match="BEGIN IMMEDIATE"):
            sess.execute(text("SELECT 1"))
        monkeypatch.undo()
        assert not turns._threads.locked()
        sess.close()


def test_commands_take_no_turn(app):
    turns = _turns(app)
    with app.app_context():
        with app.extensions["db_sessionmaker_write"]() as command:
            command.execute(text("SELECT 1"))  # BEGIN IMMEDIATE, as portal purge's
            assert not turns._threads.locked()
            command.rollback()


def test_the_turns_file_is_private(app):
    assert os.stat(_turns(app).path).st_mode & 0o077 == 0
