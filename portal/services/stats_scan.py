"""How the statistics read the cases table (portal/services/stats.py):
the column the period filters on, chosen so that SQLite reads a long period
from the table and a short one through the index, and the multi-valued
fields (JSON lists of codes): a case counts once per code it names, n is the
cases naming any known code, both lists in one statement."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, String, case, exists, func, literal, or_, select, true, union_all
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from portal.models import Case
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


def json_elements(db: Session, column: InstrumentedAttribute[Any]) -> Any:
    """The elements of a JSON list column as a table with ``value`` and ``key``
    (its place in the list: from 0 on SQLite, from 1 on PostgreSQL), per dialect."""
    if db.get_bind().dialect.name == "postgresql":
        # A blank list is stored as JSON null, and PostgreSQL refuses to
        # take the elements of a scalar: only arrays go in.
        arrays_only = case((func.json_typeof(column) == "array", column))
        return func.json_array_elements_text(arrays_only).table_valued("value", with_ordinality="key").render_derived()
    return func.json_each(column).table_valued("value", "key")


# The multi-valued figures: (result key, JSON list column, codes).
LISTS = (("reasons", Case.contact_reasons, ContactReason), ("onward_referrals", Case.onward_referrals, OnwardReferral))


def _first_known(db: Session, column: InstrumentedAttribute[Any], element: Any,
                 known: list[str]) -> ColumnElement[bool]:
    """``element`` is the first of its list, or no known code is before it (the
    subquery runs only for elements after the first: most lists hold one or two)."""
    start = 1 if db.get_bind().dialect.name == "postgresql" else 0
    before = json_elements(db, column)
    return or_(element.c.key == start, ~exists(select(literal(1)).select_from(before).where(
        before.c.key < element.c.key, before.c.value.in_(known))))


def list_figures(db: Session, where: list[ColumnElement[bool]]) -> dict[str, Any]:
    """Each multi-valued figure in one scan of the elements of its lists, both in one
    statement: per code the cases naming it, and the cases naming any code (an
    element counts there where no known code is before it in its list: n is the
    sum of those over the codes)."""
    arms = []
    for key, column, codes in LISTS:
        element = json_elements(db, column)
        known = [code.value for code in codes]
        first_known = _first_known(db, column, element, known)
        arms.append(select(literal(key, String).label("figure"), element.c.value.label("code"),
                           func.count(Case.id.distinct()).label("cases"),
                           func.count().filter(first_known).label("firsts"))
                    .select_from(Case).join(element, true()).where(*where, element.c.value.in_(known))
                    .group_by(element.c.value))
    found = {(row.figure, row.code): (int(row.cases), int(row.firsts)) for row in db.execute(union_all(*arms))}
    result: dict[str, Any] = {}
    for key, _column, codes in LISTS:
        counts = {code.value: found.get((key, code.value), (0, 0))[0] for code in codes}
        n = sum(found.get((key, code.value), (0, 0))[1] for code in codes)
        result[key] = {"n": n, "counts": counts, "mentions": sum(counts.values())}
    return result
