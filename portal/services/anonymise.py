"""Anonymising a closed case (``portal purge``, CASE_RETENTION_MONTHS after
it closed): what is left is what the evaluation counts, in coded form.

Removed: the case's notes; its inquiry's messages, contact details and
contact attempts (with their notes); the referrer's feedback line, the
receipt digest, the child's month, the old CRM's id, the counsellor; every
date is reduced to its month (Copenhagen time). Kept: the coded evaluation
fields, the hospital, the channel, the topics and the kind and status of
the inquiry, so ``portal stats`` for whole months is unchanged:

- the age a birth year gave is kept as its age band (the band ``stats``
  computes from the year the case was opened), and the birth year goes;
- a case opened or closed on the 17th counts from the 1st of its month:
  a period cut in the middle of a month may see it move, a month, a
  quarter or a year never does;
- the first response's working hours and whether it kept its promise are
  stored once on the inquiry (``response_hours``, ``response_kept``) with
  the statistics' own calendar before the timestamps are reduced.
"""

from __future__ import annotations

import calendar as month_calendar
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timezone

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from portal.models import (
    Case,
    CaseActivityReferral,
    CaseNote,
    ContactAttempt,
    ContactDetails,
    Enrollment,
    Inquiry,
    Message,
)
from portal.models.codes import AgeBand
from portal.services.workdays import LOCAL_TIME, Calendar

CHUNK = 500
# The inquiry's moments, all reduced to the first moment of their month.
_INQUIRY_MOMENTS = ("created_at", "updated_at", "claimed_at", "closed_at", "last_attempt_at",
                    "first_response_at", "reached_at", "due_at", "feedback_at", "withdrawn_at")


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[list[int]]:
    """The ids in slices small enough for an IN list on either database."""
    for start in range(0, len(ids), size):
        yield list(ids[start:start + size])


def month_start(moment: datetime | None) -> datetime | None:
    """The first moment of the Copenhagen month of ``moment``, in UTC."""
    if moment is None:
        return None
    local = moment.astimezone(LOCAL_TIME)
    return datetime(local.year, local.month, 1, tzinfo=LOCAL_TIME).astimezone(timezone.utc)


def first_of_month(day: date | None) -> date | None:
    return day.replace(day=1) if day is not None else None


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, month_calendar.monthrange(year, month + 1)[1]))


def band_for(case: Case) -> str | None:
    """The age band the statistics count for this case (services/stats.py ``age_band``)."""
    if case.age_band:
        return case.age_band
    if case.birth_year is None:
        return None
    age = case.opened_on.year - case.birth_year
    if age < 20:
        return AgeBand.UNDER_20.value
    if age < 30:
        return AgeBand.FROM_20_TO_29.value
    if age < 40:
        return AgeBand.FROM_30_TO_39.value
    return AgeBand.FROM_40.value


def due_cases(db: Session, *, today: date, months: int) -> list[int]:
    """Cases closed at least ``months`` months before ``today`` and not yet anonymised."""
    cutoff = months_before(today, months)
    return list(db.scalars(select(Case.id).where(Case.closed_on.is_not(None), Case.closed_on <= cutoff,
                                                 Case.anonymised_on.is_(None)).order_by(Case.id)))


def strip_inquiries(db: Session, inquiry_ids: Sequence[int], calendar: Calendar) -> None:
    """An anonymised case's inquiries: texts and people gone, moments reduced to the month."""
    for chunk in chunks(inquiry_ids):
        for model in (Message, ContactDetails, ContactAttempt):
            db.execute(delete(model).where(model.inquiry_id.in_(chunk)).execution_options(synchronize_session=False))
        db.execute(update(Enrollment).where(Enrollment.inquiry_id.in_(chunk)).values(reason="")
                   .execution_options(synchronize_session=False))
        for inquiry in db.scalars(select(Inquiry).where(Inquiry.id.in_(chunk))):
            if inquiry.first_response_at is not None and inquiry.response_hours is None:
                inquiry.response_hours = calendar.working_hours(inquiry.created_at, inquiry.first_response_at)
                inquiry.response_kept = inquiry.first_response_at <= inquiry.due_at
            for name in _INQUIRY_MOMENTS:
                setattr(inquiry, name, month_start(getattr(inquiry, name)))
            inquiry.feedback_text = None
            inquiry.receipt_digest = None
            inquiry.child_month = None
            inquiry.anonymised = True
    db.flush()


def anonymise_cases(db: Session, case_ids: Sequence[int], *, today: date, calendar: Calendar) -> None:
    """Reduce each case to its coded evaluation fields and month dates."""
    inquiry_ids: list[int] = []
    for chunk in chunks(case_ids):
        db.execute(delete(CaseNote).where(CaseNote.case_id.in_(chunk)).execution_options(synchronize_session=False))
        db.execute(update(Enrollment).where(Enrollment.case_id.in_(chunk)).values(reason="")
                   .execution_options(synchronize_session=False))
        for referral in db.scalars(select(CaseActivityReferral).where(CaseActivityReferral.case_id.in_(chunk))):
            referral.referred_at = month_start(referral.referred_at) or referral.referred_at
        for case in db.scalars(select(Case).where(Case.id.in_(chunk))):
            case.age_band, case.birth_year = band_for(case), None
            case.opened_on = first_of_month(case.opened_on) or case.opened_on
            case.closed_on = first_of_month(case.closed_on)
            case.created_at = month_start(case.created_at) or case.created_at
            case.updated_at = month_start(case.updated_at) or case.updated_at
            case.external_id = None
            case.counsellor_id = None
            case.anonymised_on = today
            if case.inquiry_id is not None:
                inquiry_ids.append(case.inquiry_id)
    db.flush()
    strip_inquiries(db, inquiry_ids, calendar)
