"""How the statistics read the cases and inquiries tables
(portal/services/stats.py, response_times.py): the column a period filters
on, chosen so that SQLite reads a long period from the table and a short one
through the index, and the multi-valued
fields (JSON lists of codes): a case counts once per code it names, n is the
cases naming any known code, both lists in one GROUP BY statement."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Date, Engine, Select, Text, cast, func, select, type_coerce
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.pool import SingletonThreadPool, StaticPool
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from portal.db import has_written
from portal.models import Case, Inquiry
from portal.models.codes import ContactReason, OnwardReferral
from portal.sqlite_turns import TAKES_TURN

# A long period on SQLite is read from the table. From this many cases on, its
# wide aggregate is read in parts by case id, side by side on connections of
# their own (one per CPU, at most MAX_PARTS): SQLite runs one statement on one
# core, and a million cases are 1.3 s on one and 0.7 s on two.
PARALLEL_FROM = 100_000
MAX_PARTS = 4
# One statistic read in parts at a time in a process: its parts take at most
# MAX_PARTS connections from the pool beside the sessions, and a second one
# meanwhile reads on its own session (it never waits for the pool behind
# sessions that wait for it).
_PARTED = threading.Lock()


def case_scan(db: Session, date_from: date,
              date_to: date) -> tuple[ColumnElement[Any] | InstrumentedAttribute[Any], list[tuple[int, int]]]:
    """The column the period filters on, and the case id ranges [low, high)
    its wide aggregate is read in (none: one statement on the session).

    SQLite's planner has no histogram and takes the (opened_on, hospital_id)
    index for any range: for a period holding most of the cases that is a
    lookup by rowid per case, several times slower than reading the table.
    When the period covers at least a quarter of the days between the first
    and the last case opened, the term is written ``+opened_on``, which no
    index serves, and the table is read in parts (``parts``). PostgreSQL's
    planner weighs this itself, and reads in parallel by itself."""
    if db.get_bind().dialect.name != "sqlite":
        return Case.opened_on, []
    # Scalar subqueries: each is one step down an index.
    first, last, low, high = db.execute(select(*(select(bound).scalar_subquery() for bound in (
        func.min(Case.opened_on), func.max(Case.opened_on), func.min(Case.id), func.max(Case.id))))).one()
    if first is None:
        return Case.opened_on, []
    covered = (min(last, date_to) - max(first, date_from)).days + 1
    if 4 * covered < (last - first).days + 1:
        return Case.opened_on, []
    return UnaryExpression(Case.opened_on.expression, operator=custom_op("+"), type_=Date), parts(db, low, high)


def parts(db: Session, low: int, high: int) -> list[tuple[int, int]]:
    """The ids [low, high] in equal ranges, one per CPU, when there are enough
    cases to gain from it (by the span of their ids), the session is bound
    to an engine with connections of its own to give (not the one shared
    connection of an in-memory database) and has written nothing they could
    not see (none otherwise)."""
    count = min(cpus(), MAX_PARTS)
    bind = db.get_bind()
    if (count < 2 or high - low + 1 < PARALLEL_FROM or not isinstance(bind, Engine)
            or isinstance(bind.pool, StaticPool | SingletonThreadPool) or has_written(db)):
        return []
    step = -(-(high - low + 1) // count)
    return [(start, min(start + step, high + 1)) for start in range(low, high + 1, step)]


def cpus() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def aggregate(db: Session, query: Select[Any], id_ranges: Sequence[tuple[int, int]]) -> Callable[[], list[int]]:
    """Start ``query`` (one row of counts and sums over the cases) and return
    what waits for its row, each value an int (NULL is 0): with no
    ``id_ranges`` (or while another statistic in the process is read in
    parts) one statement on the session, when the row is asked for; else
    one per range, each on a connection of its own in a thread, added up
    column by column.

    Each case is in one range and read whole there, so every figure still
    counts a case once, with its fields as one version of it; a part's own
    read transaction may see a change committed a moment after the session's."""
    bind = db.get_bind()
    if not id_ranges or not isinstance(bind, Engine) or not _PARTED.acquire(blocking=False):
        return lambda: [int(value or 0) for value in db.execute(query).one()]
    try:
        # The plain engine: a part's BEGIN takes no write lock, and waits for no writer's turn.
        reader = bind.execution_options(sqlite_begin="", **{TAKES_TURN: False})
        workers = ThreadPoolExecutor(max_workers=len(id_ranges), thread_name_prefix="stats-part")
        started = [workers.submit(_part, reader, query.where(Case.id >= low, Case.id < high))
                   for low, high in id_ranges]
        workers.shutdown(wait=False)
    except BaseException:
        _PARTED.release()
        raise
    # Let go once every part has ended, whether or not anyone collects them.
    remaining, counting = [len(started)], threading.Lock()

    def ended(_future: Future[tuple[Any, ...]]) -> None:
        with counting:
            remaining[0] -= 1
            last = remaining[0] == 0
        if last:
            _PARTED.release()
    for part in started:
        part.add_done_callback(ended)

    def summed() -> list[int]:
        rows = [part.result() for part in started]
        return [sum(int(value or 0) for value in column) for column in zip(*rows, strict=True)]
    return summed


def _part(engine: Engine, query: Select[Any]) -> tuple[Any, ...]:
    with engine.connect() as conn:
        return tuple(conn.execute(query).one())


def created_at(db: Session, low: datetime, high: datetime) -> ColumnElement[Any] | InstrumentedAttribute[Any]:
    """The column the inquiries of a period [low, high) filter on, by the same
    rule as ``case_scan``: on SQLite ``+created_at`` (the table, read in
    order) when the period covers at least a quarter of the time between the
    first and the last inquiry, the index otherwise: 100,000 inquiries are
    0.13 s from the table, 0.4 s through the index."""
    if db.get_bind().dialect.name != "sqlite":
        return Inquiry.created_at
    first, last = db.execute(select(select(func.min(Inquiry.created_at)).scalar_subquery(),
                                    select(func.max(Inquiry.created_at)).scalar_subquery())).one()
    if first is None or last <= first:
        return Inquiry.created_at
    if 4 * (min(last, high) - max(first, low)) < last - first:
        return Inquiry.created_at
    return UnaryExpression(Inquiry.created_at.expression, operator=custom_op("+"), type_=Inquiry.created_at.type)


# The multi-valued figures: (result key, JSON list column, codes).
LISTS = (("reasons", Case.contact_reasons, ContactReason), ("onward_referrals", Case.onward_referrals, OnwardReferral))


def _as_text(db: Session, column: InstrumentedAttribute[Any]) -> ColumnElement[str]:
    """A JSON column as its stored text: as it is on SQLite (JSON is text there),
    cast on PostgreSQL (``json`` has no equality, so no GROUP BY)."""
    if db.get_bind().dialect.name == "postgresql":
        return cast(column, Text)
    return type_coerce(column, Text)


def _codes(text: str | None, known: frozenset[str]) -> set[str]:
    """The known codes a stored list names, each once (a blank list, JSON null or
    anything but a list names none)."""
    value = json.loads(text) if text else None
    if not isinstance(value, list):
        return set()
    return {code for code in value if isinstance(code, str) and code in known}


def list_figures(db: Session, where: list[ColumnElement[bool]]) -> dict[str, Any]:
    """Both multi-valued figures from one GROUP BY over the two lists as stored:
    the period's cases hold a few thousand different pairs of lists, so each
    pair is read (json.loads) once, here, and weighed by its cases. Per code
    the cases naming it (a code named twice in one list counts once), n the
    cases naming any known code, mentions the sum of the counts. Unlike
    taking every element in SQL (json_each, a row per element and a count of
    distinct cases per code) this is one walk, in order, of an index over the
    two lists (SQLite, ix_cases_code_lists: no sort) or one hash aggregate
    (PostgreSQL)."""
    columns = [_as_text(db, column) for _key, column, _codes_ in LISTS]
    rows = db.execute(select(*columns, func.count()).where(*where).group_by(*columns)).all()
    result: dict[str, Any] = {}
    for place, (key, _column, codes) in enumerate(LISTS):
        known = frozenset(code.value for code in codes)
        counts = dict.fromkeys((code.value for code in codes), 0)
        n = 0
        weights: dict[str | None, int] = {}
        for row in rows:  # the pairs, summed per list of this figure
            weights[row[place]] = weights.get(row[place], 0) + int(row[-1])
        for text, cases in weights.items():
            named = _codes(text, known)
            for code in named:
                counts[code] += cases
            n += cases if named else 0
        result[key] = {"n": n, "counts": counts, "mentions": sum(counts.values())}
    return result
