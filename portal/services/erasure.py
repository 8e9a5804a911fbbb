"""A person's right to erasure, and a family deleting their own question.

A lead erases a subject (an inquiry and the case opened from it) at once:
every row about it goes, selected by key only, never by the content of a
text column. What is left is one audit event per erased object, holding
the action, the time, the lead and the old id (no label, no content).

Older audit events about it are kept: they hold no content either, only
who opened or changed which id when, and they are how a lead later finds
out whether someone looked where they should not have. They are moved to
the object types ``erased_inquiry`` / ``erased_case`` / ``erased_enrollment``
so that no new row (SQLite may give a freed id again) inherits their trail.

The evaluation: an erased case is gone, so it no longer counts in any
figure, export or course occupancy; the confirmation page says so. A
family deleting their own question is different: the thread (messages and
receipt digest) goes, the inquiry row stays as a tombstone with
``withdrawn_at``, so the number of questions and their answer times hold.

The confirmation travels as a signed token (itsdangerous) naming the
subject, valid ERASE_CONFIRM_MINUTES; the lead also types the label."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal import access
from portal.models import (
    Attendance,
    AuditEvent,
    Case,
    CaseActivityReferral,
    CaseNote,
    ContactAttempt,
    ContactDetails,
    Enrollment,
    Inquiry,
    InquiryKind,
    InquiryStatus,
    Message,
    User,
)
from portal.services import CONFLICT_MESSAGE, ServiceError, audit, flush
from portal.services.subject_access import Subject, enrollments

_SALT = "erase-confirm"
LEADS_ONLY = _l("Only a lead may erase an inquiry or a case.")
EXPIRED = _l("The confirmation has expired. Start again.")
INVALID = _l("The confirmation is not valid. Start again.")
WRONG_LABEL = _l("Type the name exactly as it is shown.")

# The kinds of rows erased, in the order the confirmation page lists them.
KINDS = ("inquiry", "messages", "contact_details", "contact_attempts", "case", "notes", "activity_referrals",
         "enrollments", "attendance")


def _key(subject: Subject) -> list[int | None]:
    return [subject.inquiry.id if subject.inquiry else None, subject.case.id if subject.case else None]


def counts(db: Session, subject: Subject) -> dict[str, int]:
    """How many rows of each kind an erasure removes (kinds with none are left out)."""
    inquiry_id, case_id = _key(subject)
    enrollment_ids = [e.id for e in enrollments(db, subject)]

    def count(model: type, column: Any, value: int | list[int] | None) -> int:
        if value is None or value == []:
            return 0
        where = column.in_(value) if isinstance(value, list) else column == value
        return int(db.scalar(select(func.count()).select_from(model).where(where)) or 0)

    found = {
        "inquiry": 1 if inquiry_id else 0,
        "messages": count(Message, Message.inquiry_id, inquiry_id),
        "contact_details": count(ContactDetails, ContactDetails.inquiry_id, inquiry_id),
        "contact_attempts": count(ContactAttempt, ContactAttempt.inquiry_id, inquiry_id),
        "case": 1 if case_id else 0,
        "notes": count(CaseNote, CaseNote.case_id, case_id),
        "activity_referrals": count(CaseActivityReferral, CaseActivityReferral.case_id, case_id),
        "enrollments": len(enrollment_ids),
        "attendance": count(Attendance, Attendance.enrollment_id, enrollment_ids),
    }
    return {kind: found[kind] for kind in KINDS if found[kind]}


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=_SALT)


def confirmation_token(subject: Subject, *, secret: str) -> str:
    """A signed token naming the subject (its ids, not its label), for the second step."""
    return _serializer(secret).dumps(_key(subject))


def check_token(subject: Subject, token: str, *, secret: str, max_age_seconds: int) -> None:
    """Refuse a token that is expired, forged or made for another subject."""
    try:
        named = _serializer(secret).loads(token, max_age=max_age_seconds)
    except SignatureExpired as exc:
        raise ServiceError(EXPIRED) from exc
    except BadSignature as exc:
        raise ServiceError(INVALID) from exc
    if named != _key(subject):
        raise ServiceError(INVALID)


def label_matches(subject: Subject, typed: str) -> bool:
    """The typed label, ignoring case and runs of spaces."""
    return " ".join((typed or "").split()).casefold() == " ".join(subject.label.split()).casefold()


def _rekey_audit(db: Session, object_type: str, object_id: int) -> None:
    db.execute(update(AuditEvent).where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
               .values(object_type=f"erased_{object_type}").execution_options(synchronize_session=False))


def erase(db: Session, lead: User, subject: Subject, *, typed_label: str) -> dict[str, int]:
    """Delete the subject and every row linked to it; return what was removed per kind."""
    obj = subject.inquiry or subject.case
    access.ensure(access.may_erase_personal_data(lead, obj), LEADS_ONLY)
    if not label_matches(subject, typed_label):
        raise ServiceError(WRONG_LABEL, field="label")
    removed = counts(db, subject)
    inquiry_id, case_id = _key(subject)
    enrollment_ids = [e.id for e in enrollments(db, subject)]
    statements = []
    if enrollment_ids:
        statements += [delete(Attendance).where(Attendance.enrollment_id.in_(enrollment_ids)),
                       delete(Enrollment).where(Enrollment.id.in_(enrollment_ids))]
    if case_id is not None:
        statements += [delete(CaseActivityReferral).where(CaseActivityReferral.case_id == case_id),
                       delete(CaseNote).where(CaseNote.case_id == case_id), delete(Case).where(Case.id == case_id)]
    if inquiry_id is not None:
        statements += [delete(ContactAttempt).where(ContactAttempt.inquiry_id == inquiry_id),
                       delete(Message).where(Message.inquiry_id == inquiry_id),
                       delete(ContactDetails).where(ContactDetails.inquiry_id == inquiry_id),
                       delete(Inquiry).where(Inquiry.id == inquiry_id)]
    for obj_loaded in (subject.case, subject.inquiry):
        if obj_loaded is not None:
            db.expunge(obj_loaded)  # deleted below by key; the session must not flush a stale copy
    try:
        for statement in statements:
            db.execute(statement.execution_options(synchronize_session=False))
    except IntegrityError as exc:  # a row linked to it was added at the same moment
        raise ServiceError(CONFLICT_MESSAGE) from exc
    db.expire_all()
    for enrollment_id in enrollment_ids:
        _rekey_audit(db, "enrollment", enrollment_id)
    for kind, ident in (("case", case_id), ("inquiry", inquiry_id)):
        if ident is not None:
            _rekey_audit(db, kind, ident)
            audit.record(db, lead, f"{kind}.erased", object_type=f"erased_{kind}", object_id=ident)
    flush(db)
    return removed


def withdraw_question(db: Session, inquiry: Inquiry, *, now: datetime) -> None:
    """The family deletes their anonymous question (found by its code):
    the question and every answer go, and the code stops working. The row
    stays, closed and marked withdrawn, for the counts of the evaluation."""
    if inquiry.kind != InquiryKind.ANONYMOUS_QUESTION.value or inquiry.receipt_digest is None:
        raise ServiceError(_l("We could not find that code. Check it and try again."))
    inquiry.messages.clear()
    inquiry.receipt_digest = None
    inquiry.withdrawn_at = now
    if inquiry.status != InquiryStatus.CLOSED.value:
        inquiry.status = InquiryStatus.CLOSED.value
        inquiry.closed_at = now
    inquiry.updated_at = now
    audit.record(db, None, "inquiry.withdrawn", inquiry)
    flush(db)
