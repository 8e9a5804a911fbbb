"""Cases (forløb): opened from an inquiry, holding the evaluation fields
and short dated notes. Every read and change is audited."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal import access, limits
from portal.models import EVALUATION_FIELDS, Case, CaseNote, Hospital, Inquiry, InquiryStatus, User
from portal.models.codes import (
    AgeBand,
    Channel,
    CivilStatus,
    ClosureReason,
    ContactReason,
    Education,
    Employment,
    Gender,
    HeardFrom,
    IncomeSource,
    OnwardReferral,
    code_set,
)
from portal.services import ServiceError, audit, flush, pages

STALE_MESSAGE = _l("Someone else saved this case meanwhile. Reload it and make your change again.")
OWNER_ONLY = _l("Only the case's counsellor or a lead can change it.")
ALREADY_HAS_CASE = _l("This inquiry already has a case.")
# Cases on one page of the list.
PAGE_SIZE = 200
# The code list each coded evaluation field is checked against.
_CODED = {
    "channel": Channel, "heard_from": HeardFrom, "gender": Gender, "age_band": AgeBand,
    "civil_status": CivilStatus, "employment": Employment, "income_source": IncomeSource,
    "education": Education, "closure_reason": ClosureReason,
}
_MULTI_CODED = {"contact_reasons": ContactReason, "onward_referrals": OnwardReferral}


def open_case(db: Session, user: User, inquiry: Inquiry) -> Case:
    """Start counselling: a case prefilled from what the inquiry knows."""
    if case_for_inquiry(db, inquiry) is not None:
        raise ServiceError(ALREADY_HAS_CASE)
    access.ensure(access.may_work_inquiry(user, inquiry), _l("Take the inquiry first."))
    case = Case(
        inquiry_id=inquiry.id, counsellor_id=user.id, opened_on=date.today(),
        hospital_id=inquiry.hospital_id, channel=inquiry.channel,
        contact_reasons=list(inquiry.topics) or None,
        pregnant_at_start={"pregnant": True, "parent": False}.get(inquiry.pregnancy_status or ""),
    )
    db.add(case)
    if inquiry.status in (InquiryStatus.NEW.value, InquiryStatus.CLAIMED.value):
        inquiry.status = InquiryStatus.IN_PROGRESS.value
    flush(db, conflict=ALREADY_HAS_CASE)  # opened at the same moment elsewhere
    audit.record(db, user, "case.open", case)
    return case


def get_case(db: Session, case_id: int, *, for_update: bool = False) -> Case | None:
    """Load a case (``for_update`` locks its row for an action)."""
    return db.get(Case, case_id, with_for_update=for_update,
                  options=[selectinload(Case.notes).selectinload(CaseNote.author), selectinload(Case.hospital)])


def case_for_inquiry(db: Session, inquiry: Inquiry) -> Case | None:
    """The case opened from this inquiry, if any."""
    return db.scalar(select(Case).where(Case.inquiry_id == inquiry.id))


def _cursor(case: Case) -> str:
    return pages.encode(case.opened_on, case.id)


def list_cases(db: Session, user: User, *, mine: bool = False, open_only: bool = True, after: str = "",
               before: str = "", limit: int = PAGE_SIZE) -> pages.Page[Case]:
    """Cases newest first (opened_on, id), one keyset page: the user's own
    or everyone's, open or all."""
    backwards, position = pages.start(after, before, [date.fromisoformat, pages.parse_id])
    query = select(Case).options(selectinload(Case.hospital), selectinload(Case.counsellor))
    if mine:
        query = query.where(Case.counsellor_id == user.id)
    if open_only:
        query = query.where(Case.closed_on.is_(None))
    query = pages.seek(query, [Case.opened_on, Case.id], position, descending=True, backwards=backwards)
    return pages.fetch(db, query, limit, _cursor, backwards=backwards, positioned=position is not None)


def _check_codes(fields: Mapping[str, Any]) -> None:
    """Coded fields hold only codes of their list (the form checks too;
    this keeps imports and other callers honest)."""
    for name, codes in _CODED.items():
        if fields.get(name) is not None and fields[name] not in code_set(codes):
            raise ServiceError(_l("Choose from the list."), field=name)
    for name, codes in _MULTI_CODED.items():
        if any(code not in code_set(codes) for code in fields.get(name) or ()):
            raise ServiceError(_l("Choose from the list."), field=name)


def update_evaluation(db: Session, user: User, case: Case, values: Mapping[str, Any],
                      *, expected_version: int | None = None) -> None:
    """Save the evaluation fields; None means "not stated".

    ``expected_version`` guards against two people saving over each other."""
    access.ensure(access.may_change_case(user, case), OWNER_ONLY)
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
    _check_codes(values)
    for name, value in values.items():
        setattr(case, name, value)
    flush(db, conflict=STALE_MESSAGE)
    audit.record(db, user, "case.update", case)


def add_note(db: Session, user: User, case: Case, *, body: str, noted_on: date | None = None) -> CaseNote:
    """A short dated counselling note (not a journal)."""
    access.ensure(access.may_change_case(user, case), OWNER_ONLY)
    body = (body or "").strip()
    if not body:
        raise ServiceError(_l("Write the note."), field="body")
    if len(body) > limits.CASE_NOTE_MAX:
        raise ServiceError(_l("At most %(max)d characters.", max=limits.CASE_NOTE_MAX), field="body")
    note = CaseNote(case_id=case.id, author_id=user.id, noted_on=noted_on or date.today(), body=body)
    db.add(note)
    flush(db)
    audit.record(db, user, "case.note", case)
    return note
