"""A counsellor records on a case that the family was referred to a local
association's activity (onward referral ``local_association``). The
association learns nothing about the family."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import access
from portal.models import Activity, ActivityStatus, Case, CaseActivityReferral, User
from portal.models.codes import OnwardReferral
from portal.services import ServiceError, audit, flush
from portal.services.activity_calendar import feed_activities, is_public


def for_case(db: Session, case: Case) -> CaseActivityReferral | None:
    """The case's referral to an activity, if any."""
    return db.scalar(select(CaseActivityReferral).where(CaseActivityReferral.case_id == case.id))


def choosable(db: Session) -> Sequence[Activity]:
    """Activities a family can still be referred to (published, not over)."""
    return [a for a in feed_activities(db) if a.status == ActivityStatus.PUBLISHED]


def refer(db: Session, actor: User, case: Case, activity: Activity | None) -> None:
    """Record the referral (None: take it away); the case's onward referrals get ``local_association``."""
    access.ensure(access.may_change_case(actor, case), _l("Only the case's counsellor or a lead can change it."))
    current = for_case(db, case)
    if activity is None:
        if current is not None:
            db.delete(current)
            audit.record(db, actor, "case.activity_referral_removed", case)
        return
    if not is_public(activity) or activity.status != ActivityStatus.PUBLISHED:
        raise ServiceError(_l("Choose an activity that is still on."), field="activity")
    if current is None:
        db.add(CaseActivityReferral(case_id=case.id, activity_id=activity.id))
    else:
        current.activity_id = activity.id
    codes = list(case.onward_referrals or [])
    if OnwardReferral.LOCAL_ASSOCIATION.value not in codes:
        case.onward_referrals = [*codes, OnwardReferral.LOCAL_ASSOCIATION.value]
    flush(db)
    audit.record(db, actor, "case.activity_referral", case)
