"""What the partnership may publish: the dashboard's figures for a period,
one table per figure with a column per hospital, small numbers suppressed
(``portal.services.suppression``), as CSV or XLSX; and, for a lead, the
anonymised case-level data set (evaluation fields only, months not days).

The figures come from ``stats.figures()``, once for all hospitals and once
per hospital (a fixed number of statements however many cases there are).
A column "not stated" holds the cases without a hospital, so that every
row adds up to its total, as a reader would expect."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import xlsxwriter
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Case, Hospital
from portal.services import figure_tables, stats
from portal.services.suppression import HIDDEN, PRIMARY, Grid, Shown, suppress
from portal.vocab import staff as labels

N_ROW = "n"


@dataclass(frozen=True)
class Sheet:
    """One published figure: rows (code, label), the column headings, and the cells as shown."""

    key: str
    title: str
    columns: list[str]
    rows: list[tuple[str, str]]
    cells: list[list[Shown]]


def _hospital_names(db: Session) -> dict[str, str]:
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


def sheets(db: Session, *, date_from: date, date_to: date) -> list[Sheet]:
    """Every figure of the dashboard, suppressed, for the cases opened in the period."""
    names = _hospital_names(db)
    everything = stats.figures(db, date_from=date_from, date_to=date_to)
    per_hospital = [stats.figures(db, date_from=date_from, date_to=date_to, hospital_code=code) for code in names]
    columns = [*names.values(), _("Not stated"), _("All")]
    result = []
    for key, title in labels.FIGURE_TITLES.items():
        if key in figure_tables.DERIVED:
            continue
        codes = {"cases": _("Cases")} if key == "by_hospital" else figure_tables.row_labels(key, names)
        grid = _grid(key, everything, per_hospital, list(codes))
        rows = [(code, str(label)) for code, label in codes.items()]
        if grid.has_n:
            rows.append((N_ROW, _("n (cases where this is stated)")))
        result.append(Sheet(key, str(title), columns, rows, suppress(grid)))
    return result


def _legend(date_from: date, date_to: date) -> list[str]:
    return [
        _("Cases opened %(start)s to %(end)s.", start=date_from.isoformat(), end=date_to.isoformat()),
        _("%(small)s: a number from 1 to 4.", small=PRIMARY),
        _("%(hidden)s: hidden so that a small number cannot be worked out from the totals.", hidden=HIDDEN),
        _("Shares are not included: compute them from the numbers and n."),
    ]


def _safe(value: Shown) -> Shown:
    """A spreadsheet must not read a label (a hospital's name) as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def figures_csv(db: Session, *, date_from: date, date_to: date) -> str:
    """All figures in one CSV: a block per figure, headed by its title."""
    out = io.StringIO()
    writer = csv.writer(out)
    for line in _legend(date_from, date_to):
        writer.writerow([line])
    for sheet in sheets(db, date_from=date_from, date_to=date_to):
        writer.writerow([])
        writer.writerow([_safe(sheet.title)])
        writer.writerow([_("Code"), _("Answer"), *map(_safe, sheet.columns)])
        for (code, label), cells in zip(sheet.rows, sheet.cells, strict=True):
            writer.writerow([code, _safe(label), *cells])
    return out.getvalue()


def figures_xlsx(db: Session, *, date_from: date, date_to: date) -> bytes:
    """All figures in one workbook: a sheet to read first, then one sheet per figure."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    about = book.add_worksheet(_("Read me")[:31])
    about.set_column(0, 0, 90)
    about.write_string(0, 0, _("The partnership's figures"), bold)
    for row, line in enumerate(_legend(date_from, date_to), start=2):
        about.write_string(row, 0, line)
    for sheet in sheets(db, date_from=date_from, date_to=date_to):
        page = book.add_worksheet(sheet.key[:31])
        page.set_column(0, 0, 22)
        page.set_column(1, 1, 40)
        page.set_column(2, len(sheet.columns) + 1, 14)
        page.write_string(0, 0, sheet.title, bold)
        for col, heading in enumerate([_("Code"), _("Answer"), *sheet.columns]):
            page.write_string(2, col, heading, bold)
        for row, ((code, label), cells) in enumerate(zip(sheet.rows, sheet.cells, strict=True), start=3):
            page.write_string(row, 0, code)
            page.write_string(row, 1, label)
            for col, value in enumerate(cells, start=2):
                if isinstance(value, str):
                    page.write_string(row, col, value)
                else:
                    page.write_number(row, col, value)
    book.close()
    return out.getvalue()


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
