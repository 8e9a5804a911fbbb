"""How the statistics read the cases table (portal/services/stats.py):
the column the period filters on, chosen so that SQLite reads a long period
from the table and a short one through the index, and the multi-valued
fields (JSON lists of codes): a case counts once per code it names, n is the
cases naming any known code (a column of the wide scan), and the per-code
counts of both lists come from one statement."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Date, String, case, exists, func, literal, select, true, union_all
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
    """The elements of a JSON list column as a table with a ``value`` column, per dialect."""
    if db.get_bind().dialect.name == "postgresql":
        # A blank list is stored as JSON null, and PostgreSQL refuses to
        # take the elements of a scalar: only arrays go in.
        arrays_only = case((func.json_typeof(column) == "array", column))
        return func.json_array_elements_text(arrays_only).table_valued("value")
    return func.json_each(column).table_valued("value")


# The multi-valued figures: (result key, JSON list column, codes).
LISTS = (("reasons", Case.contact_reasons, ContactReason), ("onward_referrals", Case.onward_referrals, OnwardReferral))


def any_code(db: Session, column: InstrumentedAttribute[Any], codes: type[StrEnum]) -> ColumnElement[bool]:
    """The case's list names at least one code (a column of the wide scan: the list figure's n)."""
    element = json_elements(db, column)
    return exists(select(literal(1)).select_from(element).where(element.c.value.in_([code.value for code in codes])))


def list_figures(db: Session, where: list[ColumnElement[bool]]) -> dict[str, Any]:
    """Per code of each multi-valued figure the cases naming it, in one statement
    (a GROUP BY per list; n, the cases naming any code, comes from the wide scan)."""
    arms = []
    for key, column, codes in LISTS:
        element = json_elements(db, column)
        known = element.c.value.in_([code.value for code in codes])
        arms.append(select(literal(key, String).label("figure"), element.c.value.label("code"),
                           func.count(Case.id.distinct()).label("cases"))
                    .select_from(Case).join(element, true()).where(*where, known)
                    .group_by(element.c.value))
    found = {(row.figure, row.code): int(row.cases) for row in db.execute(union_all(*arms))}
    result: dict[str, Any] = {}
    for key, _column, codes in LISTS:
        # A case names a code once (the services and the import drop repeats).
        counts = {code: found.get((key, code), 0) for code in [code.value for code in codes]}
        result[key] = {"counts": counts, "mentions": sum(counts.values())}
    return result
