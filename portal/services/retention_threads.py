"""Retention of what comes in (``portal purge``): anonymous threads (to a coded stub),
contact details, the texts of requests and referrals closed without a
case, and sparring threads. Each rule has a ``due_*`` finder (ids, changes
nothing: the dry run) and an action on those ids. Rows are chosen by kind,
status, dates and whether a text is there at all (NULL or a row), never by
what a text says, so the rules work the same on encrypted columns."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import Select, Subquery, and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from portal.models import Case, ContactAttempt, ContactDetails, Inquiry, InquiryKind, InquiryStatus, Message
from portal.services.anonymise import chunks, strip_inquiries
from portal.services.deadlines import DEFAULT as DEFAULT_PROMISES
from portal.services.workdays import Calendar

_CONTACT_KINDS = (InquiryKind.SELF_REFERRAL.value, InquiryKind.PROFESSIONAL_REFERRAL.value)


def _has_case() -> Select:
    return select(Case.id).where(Case.inquiry_id == Inquiry.id)


def _last_message() -> Subquery:
    """Per inquiry, the moment of its newest message (from either side)."""
    return (select(Message.inquiry_id, func.max(Message.created_at).label("last"))
            .group_by(Message.inquiry_id).subquery())


def _delete_by_inquiry(db: Session, ids: Sequence[int], *models: type) -> None:
    for chunk in chunks(ids):
        for model in models:
            db.execute(delete(model).where(model.inquiry_id.in_(chunk))  # type: ignore[attr-defined]
                       .execution_options(synchronize_session=False))


# --- anonymous questions: the thread goes THREAD_RETENTION_DAYS after the last message --

def due_anonymous_threads(db: Session, *, now: datetime, days: int) -> list[int]:
    """Anonymous questions whose newest message (or, with none, whose arrival) is
    ``days`` days old or older and not yet a stub (``anonymised``: a second
    run finds nothing). A question the family deleted themselves (no
    messages, no digest) is taken too, so its dates are reduced as well.
    One that became a case follows the case's rule."""
    last = _last_message()
    latest = func.coalesce(last.c.last, Inquiry.created_at)
    return list(db.scalars(
        select(Inquiry.id).outerjoin(last, last.c.inquiry_id == Inquiry.id)
        .where(Inquiry.kind == InquiryKind.ANONYMOUS_QUESTION.value, Inquiry.anonymised.is_(False),
               latest <= now - timedelta(days=days), ~exists(_has_case()))
        .order_by(Inquiry.id)))


def delete_threads(db: Session, ids: Sequence[int], *, now: datetime, days: int,
                   calendar: Calendar | None = None) -> int:
    """Each thread goes: its messages, its receipt digest (the code opens
    nothing any more), any free text. A coded stub stays for the figures
    (services/anonymise.py ``strip_inquiries``: kind, hospital, topics, the
    moments reduced to their month, the first response's hours and kept
    promise). An open one is closed, so it is no longer work; if nobody
    answered it, ``response_kept`` is set False and the statistics keep
    counting it as waiting and overdue, as on the day it went.

    A thread that got a new message since it was found is left (the clock
    restarted); returns how many went."""
    quiet: list[int] = []
    for chunk in chunks(ids):
        quiet += db.scalars(select(Inquiry.id).where(Inquiry.id.in_(chunk), ~exists(_newer_message(now, days)))
                            .with_for_update())
    for chunk in chunks(quiet):
        for inquiry in db.scalars(select(Inquiry).where(Inquiry.id.in_(chunk))):
            inquiry.assigned_to_id = None  # who worked it is not a figure
            inquiry.updated_at = now  # explicit, or the flush would stamp the wall clock's moment
            if inquiry.status != InquiryStatus.CLOSED.value:
                inquiry.status, inquiry.closed_at = InquiryStatus.CLOSED.value, now
                if inquiry.first_response_at is None:
                    inquiry.response_kept = False
    # Reduces closed_at and updated_at to the month as well.
    strip_inquiries(db, quiet, calendar or DEFAULT_PROMISES.calendar)
    return len(quiet)


def _newer_message(now: datetime, days: int) -> Select:
    """A message of the inquiry newer than the limit (correlated)."""
    return select(Message.id).where(Message.inquiry_id == Inquiry.id, Message.created_at > now - timedelta(days=days))


# --- contact details: erase_after, or CONTACT_RETENTION_DAYS_AFTER_CLOSE after closing --

def due_contact_details(db: Session, *, now: datetime, today: date, days: int) -> list[int]:
    """Contact details past their erase_after (always), or whose inquiry was
    closed, or whose case was closed, ``days`` days ago or more, unless a
    case on the inquiry is still open. Returns the ContactDetails ids."""
    closed_inquiry = select(Inquiry.id).where(Inquiry.status == InquiryStatus.CLOSED.value,
                                              Inquiry.closed_at <= now - timedelta(days=days))
    closed_case = select(Case.inquiry_id).where(Case.closed_on.is_not(None),
                                                Case.closed_on <= today - timedelta(days=days))
    open_case = select(Case.inquiry_id).where(Case.closed_on.is_(None), Case.inquiry_id.is_not(None))
    after_close = and_(or_(ContactDetails.inquiry_id.in_(closed_inquiry), ContactDetails.inquiry_id.in_(closed_case)),
                       ContactDetails.inquiry_id.not_in(open_case))
    return list(db.scalars(select(ContactDetails.id).where(or_(ContactDetails.erase_after <= now, after_close))
                           .order_by(ContactDetails.id)))


def erase_contact_details(db: Session, ids: Sequence[int]) -> None:
    for chunk in chunks(ids):
        db.execute(delete(ContactDetails).where(ContactDetails.id.in_(chunk))
                   .execution_options(synchronize_session=False))


# --- requests and referrals closed without a case: texts after REFERRAL_RETENTION_DAYS_AFTER_CLOSE --

def due_requests(db: Session, *, now: datetime, days: int) -> list[int]:
    """Contact requests and referrals closed ``days`` days ago or more without
    a case, that still hold a message, an attempt's note or a feedback line."""
    has_text = or_(exists(select(Message.id).where(Message.inquiry_id == Inquiry.id)),
                   exists(select(ContactAttempt.id).where(ContactAttempt.inquiry_id == Inquiry.id,
                                                          ContactAttempt.note.is_not(None))),
                   Inquiry.feedback_text.is_not(None))
    return list(db.scalars(
        select(Inquiry.id).where(Inquiry.kind.in_(_CONTACT_KINDS), Inquiry.status == InquiryStatus.CLOSED.value,
                                 Inquiry.closed_at <= now - timedelta(days=days), ~exists(_has_case()), has_text)
        .order_by(Inquiry.id)))


def strip_requests(db: Session, ids: Sequence[int]) -> None:
    """Messages deleted, attempt notes and the feedback line emptied; the
    inquiry, its codes, dates and attempts (when, how, reached) stay for the figures."""
    _delete_by_inquiry(db, ids, Message)
    for chunk in chunks(ids):
        db.execute(update(ContactAttempt).where(ContactAttempt.inquiry_id.in_(chunk)).values(note=None)
                   .execution_options(synchronize_session=False))
        db.execute(update(Inquiry).where(Inquiry.id.in_(chunk)).values(feedback_text=None)
                   .execution_options(synchronize_session=False))


# --- sparring: messages deleted SPARRING_RETENTION_DAYS after the last one ------------

def due_sparring(db: Session, *, now: datetime, days: int) -> list[int]:
    """Sparring threads whose newest message is ``days`` days old or older."""
    last = _last_message()
    return list(db.scalars(
        select(Inquiry.id).join(last, last.c.inquiry_id == Inquiry.id)
        .where(Inquiry.kind == InquiryKind.SPARRING.value,
               last.c.last <= now - timedelta(days=days))
        .order_by(Inquiry.id)))


def strip_sparring(db: Session, ids: Sequence[int], *, now: datetime, days: int) -> int:
    """The messages go, unless one came since the thread was found; the
    inquiry (hospital, dates, answered or not) stays: sparring is counted.
    Returns how many threads were emptied."""
    emptied = 0
    for chunk in chunks(ids):
        quiet = list(db.scalars(select(Inquiry.id).where(Inquiry.id.in_(chunk), ~exists(_newer_message(now, days)))
                                .with_for_update()))
        db.execute(delete(Message).where(Message.inquiry_id.in_(quiet)).execution_options(synchronize_session=False))
        emptied += len(quiet)
    return emptied
