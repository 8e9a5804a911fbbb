"""How the statistics read the cases and inquiries tables
(portal/services/stats.py, response_times.py): the column a period filters
on, chosen so that SQLite reads a long period from the table and a short one
through the index, and the multi-valued
fields (JSON lists of codes): a case counts once per code it names, n is the
cases naming any known code, both lists in one GROUP BY statement."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Date, Text, cast, func, select, type_coerce
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from portal.models import Case, Inquiry
from portal.models.codes import ContactReason, OnwardReferral


def opened_on(db: Session, date_from: date, date_to: date) -> ColumnElement[Any] | InstrumentedAttribute[Any]:
    """The column the period filters on. SQLite's planner has no histogram and
    takes the (opened_on, hospital_id) index for any range: for a period
    holding most of the cases that is a lookup by rowid per case, several
    times slower than reading the table. When the period covers at least a
    quarter of the days between the first and the last case opened, the term
    is written ``+opened_on``, which no index serves. PostgreSQL's planner
    weighs this itself."""
    if db.get_bind().dialect.name != "sqlite":
        return Case.opened_on
    # Two scalar subqueries: each is one step down the index.
    first, last = db.execute(select(select(func.min(Case.opened_on)).scalar_subquery(),
                                    select(func.max(Case.opened_on)).scalar_subquery())).one()
    if first is None:
        return Case.opened_on
    covered = (min(last, date_to) - max(first, date_from)).days + 1
    if 4 * covered < (last - first).days + 1:
        return Case.opened_on
    return UnaryExpression(Case.opened_on.expression, operator=custom_op("+"), type_=Date)


def created_at(db: Session, low: datetime, high: datetime) -> ColumnElement[Any] | InstrumentedAttribute[Any]:
    """The column the inquiries of a period [low, high) filter on, by the same
    rule as ``opened_on``: on SQLite ``+created_at`` (the table, read in
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
