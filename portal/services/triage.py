"""The staff side of inquiries: claiming, answering, contact
attempts and closing. Every read or change of an inquiry is audited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session, selectinload

from portal import access, limits
from portal.models import Author, ContactAttempt, Inquiry, InquiryKind, InquiryStatus, Message, User
from portal.models.base import utcnow
from portal.models.codes import AttemptMethod, ClosureReason, code_set
from portal.services import ServiceError, audit, flush

# The queue is its own module; its names stay reachable here for the callers.
from portal.services.queue import (  # noqa: F401
    COUNT_CAP,
    OPEN_STATUSES,
    PAGE_SIZE,
    QueueFilter,
    QueuePage,
    due_counts,
    queue,
    status_counts,
)

TAKE_FIRST = _l("Take the inquiry first.")
ANSWERED_IN_A_THREAD = (InquiryKind.ANONYMOUS_QUESTION.value, InquiryKind.SPARRING.value)
ALREADY_CLOSED = _l("The inquiry is already closed.")


def get_for_staff(db: Session, inquiry_id: int, *, for_update: bool = False) -> Inquiry | None:
    """Load an inquiry to show or work on it. ``for_update`` locks its row
    (PostgreSQL; SQLite's write transactions are serial) so an action loads
    and changes it in one transaction and never acts on a stale copy."""
    return db.get(Inquiry, inquiry_id, with_for_update=for_update,
                  options=[selectinload(Inquiry.messages), selectinload(Inquiry.contact)])


def attempts(db: Session, inquiry: Inquiry) -> Sequence[ContactAttempt]:
    """The contact attempts of an inquiry, newest first."""
    return db.scalars(select(ContactAttempt).where(ContactAttempt.inquiry_id == inquiry.id)
                      .options(selectinload(ContactAttempt.user))  # no query per author
                      .order_by(ContactAttempt.attempted_at.desc(), ContactAttempt.id.desc())).all()


def _taken_error(db: Session, inquiry_id: int) -> ServiceError:
    current = db.get(Inquiry, inquiry_id, populate_existing=True)
    if current is None:
        return ServiceError(_l("The inquiry no longer exists."))
    if current.status == InquiryStatus.CLOSED.value:
        return ServiceError(ALREADY_CLOSED)
    holder = current.assigned_to.name if current.assigned_to else "?"
    return ServiceError(_l("Already taken by %(name)s.", name=holder))


def claim(db: Session, user: User, inquiry_id: int) -> Inquiry:
    """Take a new inquiry. Exactly one of several simultaneous claims wins:
    the UPDATE only matches while the inquiry is still new and unassigned."""
    now = utcnow()
    result = cast(CursorResult, db.execute(
        update(Inquiry)
        .where(Inquiry.id == inquiry_id, Inquiry.status == InquiryStatus.NEW.value,
               Inquiry.assigned_to_id.is_(None))
        .values(status=InquiryStatus.CLAIMED.value, assigned_to_id=user.id, claimed_at=now,
                updated_at=now, version=Inquiry.version + 1)
        .execution_options(synchronize_session=False)
    ))
    if result.rowcount != 1:
        raise _taken_error(db, inquiry_id)
    inquiry = db.get_one(Inquiry, inquiry_id, populate_existing=True)
    audit.record(db, user, "inquiry.claim", inquiry)
    return inquiry


def _ensure_open(inquiry: Inquiry) -> None:
    access.ensure(inquiry.status != InquiryStatus.CLOSED, ALREADY_CLOSED)


def release(db: Session, user: User, inquiry: Inquiry) -> None:
    """Give an inquiry back to the queue."""
    access.ensure(access.may_work_inquiry(user, inquiry), TAKE_FIRST)
    _ensure_open(inquiry)
    inquiry.assigned_to = None
    inquiry.claimed_at = None
    if inquiry.status == InquiryStatus.CLAIMED.value:
        inquiry.status = InquiryStatus.NEW.value
    audit.record(db, user, "inquiry.release", inquiry)
    flush(db)


def reassign(db: Session, lead: User, inquiry: Inquiry, counsellor: User) -> None:
    """A lead hands an inquiry to a counsellor."""
    access.ensure(access.may_reassign(lead), _l("Only a lead can reassign."))
    access.ensure(access.may_hold_inquiries(counsellor), _l("Choose an active counsellor."), field="counsellor")
    _ensure_open(inquiry)
    inquiry.assigned_to = counsellor
    inquiry.claimed_at = utcnow()
    if inquiry.status == InquiryStatus.NEW.value:
        inquiry.status = InquiryStatus.CLAIMED.value
    audit.record(db, lead, "inquiry.reassign", inquiry)
    flush(db)


def answer(db: Session, user: User, inquiry: Inquiry, text: str) -> Message:
    """Answer an anonymous question in its thread (the family reads it with the code)."""
    access.ensure(access.may_work_inquiry(user, inquiry), TAKE_FIRST)
    if inquiry.kind not in ANSWERED_IN_A_THREAD:
        raise ServiceError(_l("Only anonymous questions and sparring are answered here."))
    _ensure_open(inquiry)
    text = (text or "").strip()
    if not text:
        raise ServiceError(_l("Write an answer."), field="body")
    if len(text) > limits.MESSAGE_MAX:
        raise ServiceError(_l("At most %(max)d characters.", max=limits.MESSAGE_MAX), field="body")
    message = Message(author=Author.STAFF.value, body=text, staff_user_id=user.id)
    inquiry.messages.append(message)
    inquiry.status = InquiryStatus.IN_PROGRESS.value
    inquiry.updated_at = utcnow()
    inquiry.first_response_at = inquiry.first_response_at or inquiry.updated_at
    audit.record(db, user, "inquiry.answer", inquiry)
    flush(db)
    return message


def log_attempt(db: Session, user: User, inquiry: Inquiry, *, method: str, reached: bool,
                note: str | None = None, at: datetime | None = None) -> ContactAttempt:
    """Record one try to reach the family."""
    access.ensure(access.may_work_inquiry(user, inquiry), TAKE_FIRST)
    if inquiry.kind in ANSWERED_IN_A_THREAD:
        raise ServiceError(_l("This inquiry is answered in writing; it has no contact details."))
    if method not in code_set(AttemptMethod):
        raise ServiceError(_l("Choose how you tried."), field="method")
    if note and len(note) > limits.ATTEMPT_NOTE_MAX:
        raise ServiceError(_l("At most %(max)d characters.", max=limits.ATTEMPT_NOTE_MAX), field="note")
    when = at or utcnow()
    attempt = ContactAttempt(inquiry_id=inquiry.id, user_id=user.id, attempted_at=when,
                             method=method, reached=reached, note=(note or None))
    db.add(attempt)
    inquiry.attempt_count += 1
    inquiry.last_attempt_at = max(filter(None, [inquiry.last_attempt_at, when]))
    inquiry.first_response_at = min(filter(None, [inquiry.first_response_at, when]))
    if reached:
        inquiry.reached_at = min(filter(None, [inquiry.reached_at, when]))
    if inquiry.status == InquiryStatus.CLAIMED.value:
        inquiry.status = InquiryStatus.IN_PROGRESS.value
    audit.record(db, user, "inquiry.contact_attempt", inquiry)
    flush(db)
    return attempt


def close(db: Session, user: User, inquiry: Inquiry, reason: str) -> None:
    """Close with one of the closure codes."""
    access.ensure(access.may_work_inquiry(user, inquiry), TAKE_FIRST)
    if reason not in code_set(ClosureReason):
        raise ServiceError(_l("Choose a reason."), field="reason")
    _ensure_open(inquiry)
    inquiry.status = InquiryStatus.CLOSED.value
    inquiry.closure_reason = reason
    inquiry.closed_at = utcnow()
    audit.record(db, user, "inquiry.close", inquiry)
    flush(db)
