"""Cases (forløb): opened from an inquiry, holding the evaluation fields
and short dated notes. Every read and change is audited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.models import (EVALUATION_FIELDS, Case, CaseNote, Hospital,
                           Inquiry, InquiryStatus, User)
from portal.services import ServiceError, audit, triage

NOTE_MAX = 2000
STALE_MESSAGE = _l("Someone else saved this case meanwhile. Reload it and make your change again.")


def open_case(db: Session, user: User, inquiry: Inquiry) -> Case:
    """Start counselling: a case prefilled from what the inquiry knows."""
    existing = db.scalar(select(Case).where(Case.inquiry_id == inquiry.id))
    if existing is not None:
        raise ServiceError(_l("This inquiry already has a case."))
    triage.require_holder(user, inquiry)
    case = Case(
        inquiry_id=inquiry.id, counsellor_id=user.id, opened_on=date.today(),
        hospital_id=inquiry.hospital_id, channel=inquiry.channel,
        contact_reasons=list(inquiry.topics) or None,
        pregnant_at_start={"pregnant": True, "parent": False}.get(inquiry.pregnancy_status or ""),
    )
    db.add(case)
    if inquiry.status in (InquiryStatus.NEW.value, InquiryStatus.CLAIMED.value):
        inquiry.status = InquiryStatus.IN_PROGRESS.value
    db.flush()
    audit.record(db, user, "case.open", case)
    return case


def get_case(db: Session, user: User, case_id: int) -> Case | None:
    """Load a case for a counsellor or lead, and audit the view."""
    case = db.get(Case, case_id, options=[selectinload(Case.notes), selectinload(Case.hospital)])
    if case is not None:
        audit.record(db, user, "case.view", case)
    return case


def case_for_inquiry(db: Session, inquiry: Inquiry) -> Case | None:
    return db.scalar(select(Case).where(Case.inquiry_id == inquiry.id))


def list_cases(db: Session, user: User, *, mine: bool = False, open_only: bool = True,
               limit: int = 200) -> Sequence[Case]:
    query = select(Case).options(selectinload(Case.hospital), selectinload(Case.counsellor))
    if mine:
        query = query.where(Case.counsellor_id == user.id)
    if open_only:
        query = query.where(Case.closed_on.is_(None))
    return db.scalars(query.order_by(Case.opened_on.desc(), Case.id.desc()).limit(limit)).all()


def require_case_owner(user: User, case: Case) -> None:
    """Any counsellor may read a case; only its counsellor (or a lead) changes it."""
    if case.counsellor_id != user.id and user.role != "lead":
        raise ServiceError(_l("Only the case's counsellor or a lead can change it."))


def update_evaluation(db: Session, user: User, case: Case, values: Mapping[str, Any],
                      *, expected_version: int | None = None) -> None:
    """Save the evaluation fields; None means "not stated".

    ``expected_version`` guards against two people saving over each other."""
    require_case_owner(user, case)
    if expected_version is not None and expected_version != case.version:
        raise ServiceError(STALE_MESSAGE)
    unknown = set(values) - set(EVALUATION_FIELDS)
    if unknown:
        raise ValueError(f"not evaluation fields: {sorted(unknown)}")
    if values.get("hospital_id") is not None and db.get(Hospital, values["hospital_id"]) is None:
        raise ServiceError(_l("Choose a hospital from the list."), field="hospital_id")
    if bool(values.get("closure_reason")) != bool(values.get("closed_on")) and (
            "closure_reason" in values or "closed_on" in values):
        raise ServiceError(_l("A closed case needs both a closure reason and a date."), field="closure_reason")
    for name, value in values.items():
        setattr(case, name, value)
    db.flush()
    audit.record(db, user, "case.update", case)


def add_note(db: Session, user: User, case: Case, *, body: str, noted_on: date | None = None) -> CaseNote:
    """A short dated counselling note (not a journal)."""
    require_case_owner(user, case)
    body = (body or "").strip()
    if not body:
        raise ServiceError(_l("Write the note."), field="body")
    if len(body) > NOTE_MAX:
        raise ServiceError(_l("At most %(max)d characters.", max=NOTE_MAX), field="body")
    note = CaseNote(case_id=case.id, author_id=user.id, noted_on=noted_on or date.today(), body=body)
    db.add(note)
    db.flush()
    audit.record(db, user, "case.note", case)
    return note
