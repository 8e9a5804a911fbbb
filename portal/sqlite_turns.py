"""Writers on SQLite wait for their turn in a queue, not in SQLite's busy loop.

SQLite has one write lock per database. A transaction that finds it taken
(BEGIN IMMEDIATE) is retried by SQLite's busy handler, which sleeps 1, 2,
5, 10 ... up to 100 ms between tries and is not woken when the lock is let
go: with twenty request threads writing at once, the lock stood free while
the waiters slept, and a family's question could wait more than a second for
its turn (`make bench`: p99 1.35 s at 162 questions/s).

So a request's write transaction first takes its turn: a lock shared by the
process's threads, then an ``flock`` on a file beside the database, shared
by the processes (the kernel wakes the next waiter the moment the holder
lets go). The turn is given back right after COMMIT or ROLLBACK, or when the
connection closes (``TurnTakingConnection``, the driver's connection class
for the portal's SQLite files).

It only orders the writers: SQLite's own lock still guards the data. A
thread that has not had its process's turn within the busy timeout waits no
longer; the transaction then meets SQLite's busy handler as before. The
``flock`` between processes has no timeout of its own: it is held by one
request's transaction at a time, which is short. Commands (``portal
purge``, ``portal rotate-key``) take no turn: their long transactions meet
the busy timeout, so a request never queues behind them for longer than it
would have waited for SQLite. A request's transaction is short and bounded
by gunicorn's timeout (a stopped worker's file is closed, which lets go of
its ``flock``).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from typing import Any

# The execution option of a session whose transactions take a turn.
TAKES_TURN = "sqlite_takes_turn"


class WriterTurns:
    """The turns of one database file's writers, across threads and processes."""

    def __init__(self, database: str, *, timeout: float) -> None:
        self.path = database + "-writers"
        self.timeout = timeout
        self._threads = threading.Lock()
        self._fd: int | None = None
        self._pid: int | None = None
        self._counting = threading.Lock()
        self.waiting = 0  # threads waiting for the process's lock (the tests watch it)

    def _file(self) -> int:
        # A file opened before a fork is one open file, and one flock, in
        # both processes: each process opens its own.
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def take(self) -> bool:
        """Wait for the turn; False when it was not had within the timeout."""
        self._count(1)
        try:
            if not self._threads.acquire(timeout=self.timeout):
                return False
        finally:
            self._count(-1)
        try:
            fcntl.flock(self._file(), fcntl.LOCK_EX)
        except OSError:
            self._threads.release()
            return False
        return True

    def _count(self, change: int) -> None:
        with self._counting:
            self.waiting += change

    def give_back(self) -> None:
        try:
            fcntl.flock(self._file(), fcntl.LOCK_UN)
        finally:
            self._threads.release()


class TurnTakingConnection(sqlite3.Connection):
    """sqlite3's connection, giving its writer's turn back after COMMIT,
    ROLLBACK or close."""

    turns: WriterTurns | None = None
    _holding = False

    def take_turn(self) -> None:
        if self.turns is not None and not self._holding:
            self._holding = self.turns.take()

    def give_back_turn(self) -> None:
        if self._holding:
            self._holding = False
            self.turns.give_back()  # type: ignore[union-attr]

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.give_back_turn()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.give_back_turn()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.give_back_turn()


def begin_in_turn(conn: Any, begin: str) -> None:
    """Run ``begin`` (BEGIN IMMEDIATE) on a SQLAlchemy connection, first
    taking the writer's turn when its execution options ask for one."""
    dbapi = conn.connection.dbapi_connection if conn.get_execution_options().get(TAKES_TURN) else None
    if isinstance(dbapi, TurnTakingConnection):
        dbapi.take_turn()
        try:
            conn.exec_driver_sql(begin)
        except BaseException:
            dbapi.give_back_turn()
            raise
        return
    conn.exec_driver_sql(begin)
