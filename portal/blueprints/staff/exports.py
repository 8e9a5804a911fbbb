"""Exports for the steering group and the evaluator (leads): the figures
with small numbers suppressed (services/exports.py), labelled here and
written as CSV or XLSX, and the anonymised case-level data set. Exact
figures stay on the dashboard."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

import xlsxwriter
from flask import Response
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal import access, db
from portal.blueprints.common import audit_read
from portal.blueprints.staff import bp
from portal.blueprints.staff.stats import period_from_args
from portal.services import exports
from portal.services.exports import Sheet
from portal.services.suppression import HIDDEN, PRIMARY, Shown
from portal.vocab import staff as labels

CSV = ("text/csv; charset=utf-8", "csv")
XLSX = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")


def labelled_sheets(sess: Session, start: date, end: date) -> list[tuple[Sheet, str, list[str], list[str]]]:
    """Each sheet with its title, row labels and column headings."""
    names = exports.hospital_names(sess)
    columns = {**names, exports.NOT_STATED: _("Not stated"), exports.ALL: _("All")}
    result = []
    for sheet in exports.sheets(sess, date_from=start, date_to=end, keys=labels.ALL_FIGURE_TITLES):
        words = {"cases": _("Cases"), exports.N_ROW: _("n (cases where this is stated)")}
        if sheet.key != "by_hospital":
            words.update({code: str(label) for code, label in labels.figure_labels(sheet.key, names).items()})
        result.append((sheet, str(labels.ALL_FIGURE_TITLES[sheet.key]), [words[row] for row in sheet.rows],
                       [columns[column] for column in sheet.columns]))
    return result


def _legend(start: date, end: date) -> list[str]:
    return [
        _("Cases opened %(start)s to %(end)s.", start=start.isoformat(), end=end.isoformat()),
        _("%(small)s: a number from 1 to 4.", small=PRIMARY),
        _("%(hidden)s: hidden so that a small number cannot be worked out from the totals.", hidden=HIDDEN),
        _("Shares are not included: compute them from the numbers and n."),
    ]


def _safe(value: Shown) -> Shown:
    """A spreadsheet must not read a label (a hospital's name) as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def figures_csv(sess: Session, *, date_from: date, date_to: date) -> str:
    """All figures in one CSV: a block per figure, headed by its title."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([line] for line in _legend(date_from, date_to))
    for sheet, title, rows, columns in labelled_sheets(sess, date_from, date_to):
        writer.writerows([[], [_safe(title)], [_("Code"), _("Answer"), *map(_safe, columns)]])
        writer.writerows([code, _safe(label), *cells] for code, label, cells in zip(sheet.rows, rows, sheet.cells,
                                                                                    strict=True))
    return out.getvalue()


def figures_xlsx(sess: Session, *, date_from: date, date_to: date) -> bytes:
    """All figures in one workbook: a sheet to read first, then one sheet per figure."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    about = book.add_worksheet(_("Read me")[:31])
    about.set_column(0, 0, 90)
    about.write_string(0, 0, _("The partnership's figures"), bold)
    for row, line in enumerate(_legend(date_from, date_to), start=2):
        about.write_string(row, 0, line)
    for sheet, title, rows, columns in labelled_sheets(sess, date_from, date_to):
        page = book.add_worksheet(sheet.key.replace(":", "-")[:31])  # ":" may not name a sheet
        page.set_column(0, 0, 22)
        page.set_column(1, 1, 40)
        page.set_column(2, len(columns) + 1, 14)
        page.write_string(0, 0, title, bold)
        for col, heading in enumerate([_("Code"), _("Answer"), *columns]):
            page.write_string(2, col, heading, bold)
        for row, (code, label, cells) in enumerate(zip(sheet.rows, rows, sheet.cells, strict=True), start=3):
            page.write_string(row, 0, code)
            page.write_string(row, 1, label)
            for col, value in enumerate(cells, start=2):
                if isinstance(value, str):
                    page.write_string(row, col, value)
                else:
                    page.write_number(row, col, value)
    book.close()
    return out.getvalue()


def _send(build: Callable[..., str | bytes], kind: tuple[str, str], name: str, action: str) -> Response:
    """The period's file as a download, its reading audited."""
    start, end, _hospital = period_from_args()
    content = build(db.session(), date_from=start, date_to=end)
    audit_read(action)
    mimetype, extension = kind
    filename = f"{name}-{start.isoformat()}-{end.isoformat()}.{extension}"
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/stats/export.csv")
@access.allow(access.exports_statistics)
def export_csv():
    """The figures, suppressed, as one CSV with a block per figure."""
    return _send(figures_csv, CSV, "statistik", "stats.export")


@bp.get("/stats/export.xlsx")
@access.allow(access.exports_statistics)
def export_xlsx():
    """The figures, suppressed, as a workbook with a sheet per figure."""
    return _send(figures_xlsx, XLSX, "statistik", "stats.export")


@bp.get("/stats/cases.csv")
@access.allow(access.exports_statistics)
def export_cases():
    """One row per case opened in the period: evaluation fields only, months not days."""
    return _send(exports.cases_csv, CSV, "forloeb", "stats.export_cases")
