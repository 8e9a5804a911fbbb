"""Exports for the steering group and the evaluator (leads): the figures
with small numbers suppressed, as CSV or XLSX, and the anonymised
case-level data set. Exact figures stay on the dashboard."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response

from portal import access, db
from portal.blueprints.common import audit_read
from portal.blueprints.staff import bp
from portal.blueprints.staff.stats import period_from_args
from portal.services import exports

CSV = ("text/csv; charset=utf-8", "csv")
XLSX = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")


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
    return _send(exports.figures_csv, CSV, "statistik", "stats.export")


@bp.get("/stats/export.xlsx")
@access.allow(access.exports_statistics)
def export_xlsx():
    """The figures, suppressed, as a workbook with a sheet per figure."""
    return _send(exports.figures_xlsx, XLSX, "statistik", "stats.export")


@bp.get("/stats/cases.csv")
@access.allow(access.exports_statistics)
def export_cases():
    """One row per case opened in the period: evaluation fields only, months not days."""
    return _send(exports.cases_csv, CSV, "forloeb", "stats.export_cases")
