"""Spor 3's figures for the evaluation: how many used the local
associations' activities in a period (the counts the editors record after
each date: numbers only), and how many cases were referred to an activity.

``n`` is the number of activity dates with counts recorded in the period.
The counts are not linked to hospitals: for one hospital only the cases
opened there and referred to an activity are counted (n is then 0)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.models import ActivityUsage, Case, CaseActivityReferral


def figures(db: Session, *, date_from: date, date_to: date, hospital_id: int | None = None) -> dict[str, Any]:
    """{"n": dates with counts, "counts": {families, adults, children, via_partnership, referred_cases}};
    one statement, however many rows."""
    referred = (select(func.count(CaseActivityReferral.id)).join(Case, Case.id == CaseActivityReferral.case_id)
                .where(Case.opened_on >= date_from, Case.opened_on <= date_to))
    if hospital_id is not None:
        count = db.scalar(referred.where(Case.hospital_id == hospital_id)) or 0
        return {"n": 0, "counts": {"referred_cases": count}}
    in_period = (ActivityUsage.on_date >= date_from, ActivityUsage.on_date <= date_to)
    row = db.execute(select(
        select(func.count(ActivityUsage.id)).where(*in_period).scalar_subquery(),
        *(select(func.coalesce(func.sum(column), 0)).where(*in_period).scalar_subquery()
          for column in (ActivityUsage.families, ActivityUsage.adults, ActivityUsage.children,
                         ActivityUsage.via_partnership)),
        referred.scalar_subquery())).one()
    return {"n": int(row[0]), "counts": {
        "families": int(row[1]), "adults": int(row[2]), "children": int(row[3]), "via_partnership": int(row[4]),
        "referred_cases": int(row[5])}}
