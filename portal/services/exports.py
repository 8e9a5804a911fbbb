"""What the partnership may publish: the dashboard's figures for a period,
one table per figure with a column per hospital, small numbers suppressed
(``portal.services.suppression``; the staff blueprint labels them and
writes CSV or XLSX); and, for a lead, the anonymised case-level data set
(evaluation fields only, months not days).

The figures come from ``stats.figures()``, once for all hospitals and once
per hospital (a fixed number of statements however many cases there are).
A column "not stated" holds the cases without a hospital, so that every
row adds up to its total, as a reader would expect."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Case, Hospital
from portal.services import figure_tables, stats
from portal.services.suppression import Grid, Shown, suppress

N_ROW = "n"
NOT_STATED = "none"  # the cases without a hospital
ALL = "all"


@dataclass(frozen=True)
class Sheet:
    """One published figure: its rows (codes, then "n"), its columns
    (hospital codes, then "none" and "all"), and the cells as shown."""

    key: str
    rows: list[str]
    columns: list[str]
    cells: list[list[Shown]]


def hospital_names(db: Session) -> dict[str, str]:
    """Every hospital (old periods count too), code to name, in display order."""
    return dict(db.execute(select(Hospital.code, Hospital.name).order_by(Hospital.sort_order, Hospital.code)).all())


def _grid(key: str, everything: dict[str, Any], per_hospital: Sequence[dict[str, Any]],
          codes: Sequence[str]) -> Grid:
    """The figure's exact numbers: a row per code (then n), a column per hospital, not stated, all."""
    has_n = key != "by_hospital"  # its total is the number of cases itself

    def column(figure: dict[str, Any]) -> list[int]:
        if not has_n:
            return [figure["users"]]  # one row: the cases at each hospital
        n, counts = figure_tables.counts_of(figure, key)
        return [counts.get(code, 0) for code in codes] + [n]

    parts = [column(figure) for figure in per_hospital]
    totals = column(everything)
    rows = [[*(part[i] for part in parts), total - sum(part[i] for part in parts), total]
            for i, total in enumerate(totals)]
    return Grid(rows, has_n=has_n, columns_add_up=has_n and key not in figure_tables.MULTI_VALUED)


def sheets(db: Session, *, date_from: date, date_to: date, keys: Iterable[str]) -> list[Sheet]:
    """The figures named by ``keys`` (derived ones are left out), suppressed,
    for the cases opened in the period."""
    hospitals = list(hospital_names(db))
    everything = stats.figures(db, date_from=date_from, date_to=date_to)
    per_hospital = [stats.figures(db, date_from=date_from, date_to=date_to, hospital_code=code) for code in hospitals]
    result = []
    for key in keys:
        if key in figure_tables.DERIVED | figure_tables.DASHBOARD_ONLY:
            continue
        codes = ["cases"] if key == "by_hospital" else list(figure_tables.counts_of(everything, key)[1])
        grid = _grid(key, everything, per_hospital, codes)
        rows = [*codes, N_ROW] if grid.has_n else codes
        result.append(Sheet(key, rows, [*hospitals, NOT_STATED, ALL], suppress(grid)))
    return result


# --- the case-level data set ---------------------------------------------------

CASE_COLUMNS = (
    "opened_month", "closed_month", "hospital", "channel", "heard_from", "gender", "age_band", "pregnant",
    "children_0_3", "children_4_6", "children_7_12", "children_13_18", "children_unknown_age", "civil_status",
    "employment", "income_source", "education", "reasons", "closure_reason", "onward_referrals",
)


def _month(day: date | None) -> str:
    return day.strftime("%Y-%m") if day else ""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def cases_csv(db: Session, *, date_from: date, date_to: date) -> str:
    """One row per case opened in the period: evaluation fields only; no
    id, note, name, contact detail or birth year; months, not days. Rows
    are sorted by their values, so their order tells nothing either."""
    query = (select(Case.opened_on, Case.closed_on, Hospital.code, Case.channel, Case.heard_from, Case.gender,
                    stats.age_band(), Case.pregnant_at_start, Case.children_0_3, Case.children_4_6,
                    Case.children_7_12, Case.children_13_18, Case.children_unknown, Case.civil_status,
                    Case.employment, Case.income_source, Case.education, Case.contact_reasons,
                    Case.closure_reason, Case.onward_referrals)
             .outerjoin(Hospital, Hospital.id == Case.hospital_id)
             .where(Case.opened_on >= date_from, Case.opened_on <= date_to))
    rows = sorted([_month(opened), _month(closed), *map(_cell, rest)]
                  for opened, closed, *rest in db.execute(query))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CASE_COLUMNS)
    writer.writerows(rows)
    return out.getvalue()
