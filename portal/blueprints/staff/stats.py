"""The evaluation's figures in the staff area: every figure with its n and
data table, the previous period beside it (exact figures; the export
suppresses small numbers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import abort, render_template, request

from portal import access, db
from portal.blueprints.common import audit_read
from portal.blueprints.staff import bp
from portal.services import figure_tables, inquiries, stats
from portal.vocab import staff as labels

PARTNERSHIP_START = date(2024, 12, 1)


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    percent: int | None
    previous: int
    previous_percent: int | None


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    n: int
    previous_n: int
    rows: list[Row]
    shares: bool = True  # False: totals of different things (children, courses, nights)
    per_mention: bool = False  # several per case: shares are of cases


def _figure(key: str, current: dict, previous: dict, names: dict[str, str]) -> Figure:
    n, counts = figure_tables.counts_of(current, key)
    previous_n, previous_counts = figure_tables.counts_of(previous, key)
    shares = key not in figure_tables.TOTALS  # numbers of children, courses or nights are not shares of cases
    rows = [Row(str(label), counts.get(code, 0), stats.percent(counts.get(code, 0), n) if shares else None,
                previous_counts.get(code, 0),
                stats.percent(previous_counts.get(code, 0), previous_n) if shares else None)
            for code, label in labels.figure_labels(key, names).items()]
    return Figure(key, str(labels.ALL_FIGURE_TITLES[key]), n, previous_n, rows, shares=shares,
                  per_mention=key in figure_tables.SEVERAL_PER_CASE)


def period_from_args() -> tuple[date, date, str | None]:
    """From the query string: this year to date unless asked otherwise."""
    today = date.today()
    try:
        start = date.fromisoformat(request.args.get("from") or date(today.year, 1, 1).isoformat())
        end = date.fromisoformat(request.args.get("to") or today.isoformat())
    except ValueError:
        abort(400)
    if end < start:
        abort(400)
    return start, end, request.args.get("hospital") or None


@bp.get("/stats")
@access.allow(access.reads_statistics)
def stats_page():
    """The dashboard: the report's figures for a period and hospital, beside the previous period."""
    start, end, hospital = period_from_args()
    sess = db.session()
    names = {h.code: h.name for h in inquiries.hospitals(sess)}
    if hospital is not None and hospital not in names:
        abort(400)
    span = end - start + timedelta(days=1)
    current = stats.figures(sess, date_from=start, date_to=end, hospital_code=hospital)
    previous = stats.figures(sess, date_from=start - span, date_to=start - timedelta(days=1), hospital_code=hospital)
    audit_read("stats.view")
    return render_template("staff/stats.html", start=start, end=end, hospital=hospital, hospitals=names,
                           previous_start=start - span, previous_end=start - timedelta(days=1), current=current,
                           figures=[_figure(key, current, previous, names) for key in labels.ALL_FIGURE_TITLES])
