"""Sparring: a professional asks the counsellors about a situation without
naming the family. Counted as sparring, never as a case."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from portal import access, limits
from portal.models import Author, Inquiry, InquiryKind, InquiryStatus, Message, User
from portal.models.base import utcnow
from portal.services import ServiceError, audit, flush
from portal.services.deadlines import DEFAULT, Promises
from portal.services.inquiries import add_labelled

_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]{2,}")
# A CPR number: ddmmyy, optionally a dash or space, four digits.
_CPR = re.compile(r"(?<!\d)(?<!\d[.-])(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}[-\s]?\d{4}(?!\d|[.-]\d)")
# Danish phone numbers as people write them: 12345678, 12 34 56 78, 1234 5678, +45 ...
_PHONE = re.compile(r"(?<!\d)(?<!\d[.-])(?:\+\d{2}[\s-]?)?(?:\d{8}|\d{2}(?:[ .-]\d{2}){3}|\d{4}[ .-]\d{4})"
                    r"(?!\d|[.-]\d)")


def personal_data_hints(text: str) -> list[str]:
    """What in the text looks like it could identify a family: "email",
    "cpr" and/or "phone". A warning only; the professional decides."""
    hints = []
    if _EMAIL.search(text):
        hints.append("email")
    if _CPR.search(text):
        hints.append("cpr")
    if _PHONE.search(_CPR.sub(" ", text)):
        hints.append("phone")
    return hints


def ask(db: Session, referrer: User, text: str, *, promises: Promises = DEFAULT,
        now: datetime | None = None) -> Inquiry:
    """A sparring question into the counsellors' queue, as its own kind,
    answered within ANSWER_WORKING_DAYS like a family's question."""
    access.ensure(access.refers(referrer), _l("Only hospital staff ask for sparring here."))
    text = (text or "").strip()
    if len(text) < limits.SPARRING_MIN:
        raise ServiceError(_l("Write at least %(min)d characters.", min=limits.SPARRING_MIN), field="question")
    if len(text) > limits.SPARRING_MAX:
        raise ServiceError(_l("At most %(max)d characters.", max=limits.SPARRING_MAX), field="question")
    now = now or utcnow()
    inquiry = Inquiry(kind=InquiryKind.SPARRING.value, status=InquiryStatus.NEW.value,
                      hospital_id=referrer.hospital_id, referred_by_id=referrer.id, channel="email",
                      topics=[], language="da", created_at=now, updated_at=now,
                      due_at=promises.due_at(InquiryKind.SPARRING.value, now))
    inquiry.messages.append(Message(author=Author.PROFESSIONAL.value, body=text, created_at=now))
    add_labelled(db, inquiry)
    flush(db)
    audit.record(db, referrer, "sparring.create", inquiry)
    return inquiry


def _own(referrer: User) -> Select[Inquiry]:
    """Only the referrer's own, and only while she is at the hospital they came from."""
    return (select(Inquiry).where(Inquiry.kind == InquiryKind.SPARRING.value,
                                  Inquiry.referred_by_id == referrer.id,
                                  Inquiry.hospital_id == referrer.hospital_id))


def own(db: Session, referrer: User, *, limit: int = 100) -> Sequence[Inquiry]:
    """The referrer's own sparring questions, newest first."""
    return db.scalars(_own(referrer).options(selectinload(Inquiry.messages))
                      .order_by(Inquiry.created_at.desc(), Inquiry.id.desc()).limit(limit)).all()


def thread_for(db: Session, referrer: User, inquiry_id: int) -> Inquiry | None:
    """One of the referrer's own sparring threads (None for anyone else's)."""
    return db.scalar(_own(referrer).where(Inquiry.id == inquiry_id).options(selectinload(Inquiry.messages)))
