"""Exports for the steering group and the evaluator (leads): the figures
with small numbers suppressed, as CSV or XLSX, and the anonymised
case-level data set. Exact figures stay on the dashboard."""

from __future__ import annotations

from datetime import date

from flask import Response

from portal import access, db
from portal.blueprints.common import audit_read
from portal.blueprints.staff import bp
from portal.blueprints.staff.stats import period_from_args
from portal.services import exports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: str | bytes, mimetype: str, name: str, start: date, end: date) -> Response:
    filename = f"{name}-{start.isoformat()}-{end.isoformat()}.{'xlsx' if mimetype == XLSX else 'csv'}"
    return Response(content, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/stats/export.csv")
@access.allow(access.exports_statistics)
def export_csv():
    """The figures, suppressed, as one CSV with a block per figure."""
    start, end, _hospital = period_from_args()
    content = exports.figures_csv(db.session(), date_from=start, date_to=end)
    audit_read("stats.export")
    return _download(content, "text/csv; charset=utf-8", "statistik", start, end)


@bp.get("/stats/export.xlsx")
@access.allow(access.exports_statistics)
def export_xlsx():
    """The figures, suppressed, as a workbook with a sheet per figure."""
    start, end, _hospital = period_from_args()
    content = exports.figures_xlsx(db.session(), date_from=start, date_to=end)
    audit_read("stats.export")
    return _download(content, XLSX, "statistik", start, end)


@bp.get("/stats/cases.csv")
@access.allow(access.exports_statistics)
def export_cases():
    """One row per case opened in the period: evaluation fields only, months not days."""
    start, end, _hospital = period_from_args()
    content = exports.cases_csv(db.session(), date_from=start, date_to=end)
    audit_read("stats.export_cases")
    return _download(content, "text/csv; charset=utf-8", "forloeb", start, end)
