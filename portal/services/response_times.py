"""How often the promise to families was kept: time to first response in
working hours (median and 90th percentile) and how many were answered
within their promise (``first_response_at <= due_at``), per kind, for the
inquiries created in a period (Copenhagen dates), at one hospital or all;
and the same per month.

One SQL statement fetches the period's (kind, created_at, first_response_at,
due_at) rows; the working hours between two moments depend on the calendar
(weekends, holidays, opening hours), which SQL cannot count portably, so the
medians and percentiles are computed here in Python over those rows. An
inquiry anonymised by retention has its timestamps reduced to the month and
carries its hours and kept promise instead (``response_hours``,
``response_kept``, set once from the same calendar).

``n`` is the number of inquiries with a first response: the median and
percentile are over them. Those still waiting are counted apart
(``waiting``, and ``waiting_overdue`` past their due time at ``now``): a
promise not yet answered is not a kept one. An inquiry closed without any
response (a duplicate, a family who withdrew) is in neither, except an anonymous
question whose thread retention deleted before anyone answered it: it is
closed with ``response_kept`` False and stays waiting and overdue, as it was
on the day it went (services/retention_threads.py). With n = 0 the hours
are None (blank, never zero)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import Integer, String, case, select, type_coerce
from sqlalchemy.orm import Session

from portal.models import Inquiry, InquiryKind, InquiryStatus
from portal.models.base import utcnow
from portal.services import stats_scan
from portal.services.deadlines import DEFAULT
from portal.services.workdays import LOCAL_TIME, Calendar, local_day, utc_microseconds

KINDS = tuple(kind.value for kind in InquiryKind)


def _midnight(day: date) -> datetime:
    """The first moment of ``day`` in Copenhagen, in UTC."""
    return datetime.combine(day, time(), tzinfo=LOCAL_TIME).astimezone(timezone.utc)


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile, linear between the closest ranks (the
    "inclusive" method: the median for 0.5, the largest value for 1.0)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _summary(rows: list[tuple[float | None, bool]]) -> dict[str, Any]:
    """n, median and 90th percentile hours, answered within the promise, and those waiting."""
    hours = [h for h, _overdue in rows if h is not None]
    within = sum(1 for h, kept in rows if h is not None and kept)
    waiting = [overdue for h, overdue in rows if h is None]
    return {
        "n": len(hours),
        "median_hours": round(statistics.median(hours), 2) if hours else None,
        "p90_hours": round(percentile(hours, 0.9), 2) if hours else None,
        "within_promise": within,
        "waiting": len(waiting),
        "waiting_overdue": sum(waiting),
    }


def moment(value: str | datetime) -> int:
    """A moment of ``fetch``'s rows (SQLite's text, naive UTC, or a datetime) as ``utc_microseconds``."""
    if value.__class__ is str:
        return (_fromisoformat(value) - _NAIVE_EPOCH) // _US
    return utc_microseconds(value)  # type: ignore[arg-type]


_fromisoformat, _NAIVE_EPOCH, _US = datetime.fromisoformat, datetime(1970, 1, 1), timedelta(microseconds=1)


def fetch(db: Session, *, date_from: date, date_to: date, hospital_id: int | None,
          now: datetime | None = None) -> list[Any]:
    """The inquiries created in [date_from, date_to] (Copenhagen dates), at one
    hospital or all, as the rows ``figures`` and the statistics' counts of
    inquiries (services/stats.py) read: (kind, status, created_at,
    first_response_at, promise kept, response_hours, response_kept)."""
    now = now or utcnow()
    # Whether the promise was kept (answered by the due time, or still waiting
    # past it at ``now``) is compared in SQL, and every value comes as the
    # driver gives it, without a type's per-value conversion (100,000
    # inquiries at a time): the two moments as SQLite's text (naive UTC) or
    # PostgreSQL's datetimes (``moment`` reads both), the flags as 0/1 or bools.
    responded_at, created_at = type_coerce(Inquiry.first_response_at, String()), type_coerce(Inquiry.created_at,
                                                                                             String())
    promise = case((Inquiry.first_response_at.is_(None), Inquiry.due_at < now),
                   else_=Inquiry.first_response_at <= Inquiry.due_at)
    low, high = _midnight(date_from), _midnight(date_to + timedelta(days=1))
    column = stats_scan.created_at(db, low, high)
    query = (select(Inquiry.kind, Inquiry.status, created_at, responded_at, type_coerce(promise, Integer()),
                    Inquiry.response_hours, type_coerce(Inquiry.response_kept, Integer()))
             .where(column >= low, column < high))
    if hospital_id is not None:
        query = query.where(Inquiry.hospital_id == hospital_id)
    return list(db.connection().execute(query).all())


def figures(db: Session, *, date_from: date, date_to: date, hospital_id: int | None,
            calendar: Calendar | None = None, now: datetime | None = None,
            rows: list[Any] | None = None) -> dict[str, Any]:
    """{"<kind>": {"n", "median_hours", "p90_hours", "within_promise", "waiting",
    "waiting_overdue"}, ..., "by_month": {"YYYY-MM": {"<kind>": {...}}}} for
    the inquiries created in [date_from, date_to] (``rows``: those ``fetch``
    gave for the same period, hospital and ``now``)."""
    calendar = calendar or DEFAULT.calendar
    if rows is None:
        rows = fetch(db, date_from=date_from, date_to=date_to, hospital_id=hospital_id, now=now)
    # Per (month, kind) the rows, a kind's rows are its months' together (the
    # summaries do not depend on the order).
    per_month: dict[str, dict[str, list[tuple[float | None, bool]]]] = defaultdict(lambda: defaultdict(list))
    months: dict[int, str] = {}
    closed = InquiryStatus.CLOSED.value
    hours = calendar.hours_between
    for kind, status, created, responded, promised, kept_hours, kept in rows:
        if responded is None and status == closed and (kept is None or kept):
            continue  # closed unanswered (a duplicate, a withdrawal): neither timed nor waiting
        since = moment(created)
        day = local_day(since)
        # (hours, kept) once answered; (None, overdue now) while waiting. An
        # anonymised inquiry's times are reduced to the month: its hours were kept.
        if kept_hours is not None:
            row: tuple[float | None, bool] = (kept_hours, bool(kept))
        elif responded is not None:
            row = (hours(since, moment(responded), day), bool(promised))
        else:
            row = (None, bool(promised))
        month = months.get(day)
        if month is None:
            local = date.fromordinal(day)
            month = months[day] = f"{local.year:04d}-{local.month:02d}"
        per_month[month][kind].append(row)
    per_kind: dict[str, list[tuple[float | None, bool]]] = defaultdict(list)
    for kinds in per_month.values():
        for kind, month_rows in kinds.items():
            per_kind[kind] += month_rows
    result: dict[str, Any] = {kind: _summary(per_kind.get(kind, [])) for kind in KINDS}
    result["by_month"] = {month: {kind: _summary(rows) for kind, rows in sorted(kinds.items())}
                          for month, kinds in sorted(per_month.items())}
    return result


def text_lines(figure: dict[str, Any]) -> list[str]:
    """The figures as lines for ``portal stats`` (codes, not labels)."""
    lines = ["", "Response times (first response, working hours)"]
    for kind in KINDS:
        row = figure[kind]
        hours = ("-" if row["n"] == 0 else f"median {row['median_hours']:.1f}, 90th percentile {row['p90_hours']:.1f}")
        lines.append(f"  {kind}: n={row['n']}, {hours}, within promise {row['within_promise']}, "
                     f"waiting {row['waiting']} ({row['waiting_overdue']} overdue)")
    return lines
