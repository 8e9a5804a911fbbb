"""The evaluation's figures in the staff area: every figure with its n and
data table, the previous period beside it (exact figures; the export
suppresses small numbers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import abort, render_template, request

from portal import access, db
from portal.blueprints.common import audit_read
from portal.blueprints.staff import bp
from portal.services import inquiries, stats
from portal.vocab import public as public_labels
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
    per_mention: bool = False  # several per case: shares are of cases


def _labels_for(key: str, hospital_names: dict[str, str]) -> dict[str, Any]:
    return {
        "by_hospital": hospital_names, "gender": labels.GENDER, "age_band": labels.AGE_BANDS,
        "pregnant": labels.YES_NO, "children": labels.CHILD_GROUPS, "civil_status": labels.CIVIL_STATUS,
        "employment": labels.EMPLOYMENT, "income_source": labels.INCOME_SOURCE, "education": labels.EDUCATION,
        "heard_from": labels.HEARD_FROM, "reasons": public_labels.CONTACT_REASONS,
        "closure_reason": labels.CLOSURE_REASONS, "onward_referrals": labels.ONWARD_REFERRALS,
        "anonymous_questions": labels.ANSWERED, "sparring": labels.ANSWERED,
        "contact_requests": {kind: labels.KINDS[kind] for kind in ("self_referral", "professional_referral")},
    }[key]


def _counts(figures: dict, key: str) -> tuple[int, dict[str, int]]:
    """(n, counts) of one figure, whatever its shape."""
    value = figures[key]
    if key == "by_hospital":
        return figures["users"], value
    if key == "children":
        return value["n"], {code: value[code] for code in labels.CHILD_GROUPS}
    return value["n"], value["counts"]


def _figure(key: str, current: dict, previous: dict, names: dict[str, str]) -> Figure:
    n, counts = _counts(current, key)
    previous_n, previous_counts = _counts(previous, key)
    shares = key != "children"  # children are numbers of children, not shares of cases
    rows = [Row(str(label), counts.get(code, 0), stats.percent(counts.get(code, 0), n) if shares else None,
                previous_counts.get(code, 0),
                stats.percent(previous_counts.get(code, 0), previous_n) if shares else None)
            for code, label in _labels_for(key, names).items()]
    return Figure(key, str(labels.FIGURE_TITLES[key]), n, previous_n, rows,
                  per_mention=key in ("reasons", "onward_referrals"))


def _period() -> tuple[date, date, str | None]:
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
    start, end, hospital = _period()
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
                           figures=[_figure(key, current, previous, names) for key in labels.FIGURE_TITLES])
