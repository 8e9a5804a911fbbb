"""Inquiries: anonymous questions, requests to be contacted, their threads."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, make_transient_to_detached, selectinload

from portal.models import Author, ContactDetails, Hospital, Inquiry, InquiryKind, InquiryStatus, Message
from portal.models.base import utcnow
from portal.models.codes import BestTime, ContactReason, IntakeSource, PregnancyStatus, code_set
from portal.security import new_receipt_code, receipt_digest
from portal.services import CONFLICT_MESSAGE, ServiceError, flush
from portal.services.deadlines import DEFAULT, Promises

_COLOURS = ("Blå", "Grøn", "Rød", "Gul", "Hvid", "Grå", "Lilla", "Orange", "Brun", "Sort")
_NATURE = ("ugle", "måge", "svane", "stær", "lærke", "spurv", "hejre", "vibe", "mejse",
           "bøg", "eg", "birk", "pil", "lind", "æble", "kastanje", "hyld", "lyng", "mos", "siv")


def hospitals(db: Session) -> Sequence[Hospital]:
    """Active hospitals in display order."""
    return db.scalars(
        select(Hospital).where(Hospital.active.is_(True)).order_by(Hospital.sort_order, Hospital.name)
    ).all()


def hospital_by_code(db: Session, code: str | None) -> Hospital | None:
    """The active hospital with this code, or None for blank / "don't know"."""
    if not code:
        return None
    hospital = db.scalar(select(Hospital).where(Hospital.code == code, Hospital.active.is_(True)))
    if hospital is None:
        raise ServiceError(_l("Choose a hospital from the list."), field="hospital")
    return hospital


def check_topics(topics: Sequence[str]) -> list[str]:
    """Only contact-reason codes (the forms check too)."""
    if any(topic not in code_set(ContactReason) for topic in topics):
        raise ServiceError(_l("Choose from the list."), field="topics")
    return list(topics)


def _check_heard_from(heard_from: str | None) -> str | None:
    """The way in the family came by (the leaflet's QR code), if it tells."""
    if heard_from is not None and heard_from not in code_set(IntakeSource):
        raise ServiceError(_l("Choose from the list."))
    return heard_from


def new_label(db: Session) -> str:
    """A neutral, unique name for staff, unrelated to the receipt code."""
    connection = db.connection()  # the statement straight to the database (a request's first one)
    for digits in (100, 10_000, 1_000_000):
        for _ in range(5):
            label = (f"{secrets.choice(_COLOURS)} {secrets.choice(_NATURE)} "
                     f"{secrets.randbelow(digits)}")
            if connection.execute(_LABEL_TAKEN, {"label": label}).first() is None:
                return label
    return f"Henvendelse {secrets.token_hex(6)}"


_LABEL_TAKEN = select(Inquiry.id).where(Inquiry.label == bindparam("label")).limit(1)


# How many labels a new inquiry tries before its insert gives up.
LABEL_TRIES = 5


def add_labelled(db: Session, inquiry: Inquiry) -> None:
    """Give a new inquiry a label and insert it. A label checked free can be
    taken by another request before this insert (two families at the same
    moment, on PostgreSQL): each try is a savepoint, so the unique key's
    refusal undoes only that insert, and the next try draws another label."""
    for attempt in range(LABEL_TRIES):
        inquiry.label = new_label(db)
        try:
            with db.begin_nested():
                db.add(inquiry)
        except IntegrityError:
            if attempt == LABEL_TRIES - 1:
                raise ServiceError(CONFLICT_MESSAGE) from None
            continue
        return


def insert_labelled(db: Session, values: dict[str, Any]) -> Inquiry:
    """Insert a new inquiry from its column values, with a label, in one
    INSERT instead of the ORM's unit of work: the commonest write of a rush
    (an anonymous question) then holds SQLite's write lock half as long,
    about 1.3 ms less. A label taken between its check and the insert (see
    add_labelled) makes the insert do nothing (ON CONFLICT DO NOTHING, on
    both databases), and another is drawn. Returns the inquiry as a
    persistent Inquiry; a column left to its default is read when asked for."""
    statement = _INSERT_NEW_LABEL[db.get_bind().dialect.name]
    for _attempt in range(LABEL_TRIES):
        row = {**values, "label": new_label(db)}
        new_id = db.connection().execute(statement, row).scalar()
        if new_id is not None:
            inquiry = Inquiry(id=new_id, **row)
            make_transient_to_detached(inquiry)
            db.add(inquiry)
            return inquiry
    raise ServiceError(CONFLICT_MESSAGE)


# Built once: made per call, the statement cost more than its execution.
_INSERT_NEW_LABEL = {
    name: insert_for(Inquiry).on_conflict_do_nothing(index_elements=["label"]).returning(Inquiry.id)
    for name, insert_for in (("sqlite", sqlite_insert), ("postgresql", postgresql_insert))}
_INSERT_MESSAGE = insert(Message)


def create_anonymous_question(
    db: Session, *, text: str, language: str, topics: Sequence[str] = (),
    hospital_code: str | None = None, heard_from: str | None = None,
    promises: Promises = DEFAULT, now: datetime | None = None,
) -> tuple[Inquiry, str]:
    """Store an anonymous question and return it with its receipt code and
    its promised answer time (``due_at``).

    The code is returned once, for the confirmation page, and never stored:
    only its peppered HMAC is."""
    code = new_receipt_code()
    now = now or utcnow()
    hospital = hospital_by_code(db, hospital_code)
    inquiry = insert_labelled(db, {
        "kind": InquiryKind.ANONYMOUS_QUESTION.value,
        "status": InquiryStatus.NEW.value,
        "receipt_digest": receipt_digest(code),
        "hospital_id": hospital.id if hospital is not None else None,
        "channel": "anonymous_web",
        "topics": check_topics(topics),
        "language": language,
        "heard_from": _check_heard_from(heard_from),
        "created_at": now, "updated_at": now,
        "due_at": promises.due_at(InquiryKind.ANONYMOUS_QUESTION.value, now),
    })
    db.connection().execute(_INSERT_MESSAGE, {"inquiry_id": inquiry.id, "author": Author.FAMILY.value, "body": text,
                                              "created_at": now})
    return inquiry, code


def find_by_receipt(db: Session, code: str, *, for_update: bool = False) -> Inquiry | None:
    """The anonymous question this receipt code belongs to, if any.
    ``for_update`` locks its row, for adding to the thread."""
    if not code:
        return None
    query = (select(Inquiry).where(Inquiry.receipt_digest == receipt_digest(code))
             .options(selectinload(Inquiry.messages)))
    return db.scalar(query.with_for_update(of=Inquiry) if for_update else query)


def add_family_message(db: Session, inquiry: Inquiry, text: str) -> Message | None:
    """A follow-up from the family in the same thread.

    A repeat of the family's last message (a reloaded form) is not stored
    twice; None is returned instead."""
    last = inquiry.messages[-1] if inquiry.messages else None
    if last is not None and last.author == Author.FAMILY.value and last.body == text:
        return None
    message = Message(author=Author.FAMILY.value, body=text)
    inquiry.messages.append(message)
    if inquiry.status == InquiryStatus.CLOSED.value:
        # A family writing again reopens the thread for the counsellors.
        inquiry.status = InquiryStatus.IN_PROGRESS.value
    inquiry.updated_at = utcnow()
    flush(db)
    return message


@dataclass
class ContactRequest:
    """What a family fills in when asking to be contacted."""

    language: str
    nickname: str | None = None
    phone: str | None = None
    email: str | None = None
    may_leave_voicemail: bool = False
    may_send_text: bool = False
    best_times: list[str] = field(default_factory=list)
    hospital_code: str | None = None
    pregnancy_status: str | None = None
    child_month: str | None = None
    topics: list[str] = field(default_factory=list)
    note: str | None = None
    conversation_language: str | None = None
    interpreter_needed: bool = False
    heard_from: str | None = None   # an IntakeSource code ("leaflet"), when the way in tells


def create_contact_request(db: Session, req: ContactRequest, *, retention_months: int,
                           promises: Promises = DEFAULT, now: datetime | None = None) -> Inquiry:
    """Store a request to be contacted, with its promised call time
    (``due_at``); its contact details in their own row."""
    if not (req.phone or req.email):
        raise ServiceError(_l("Give us a phone number or an e-mail address."), field="phone")
    if req.pregnancy_status is not None and req.pregnancy_status not in code_set(PregnancyStatus):
        raise ServiceError(_l("Choose one of the answers."), field="pregnancy_status")
    if any(time not in code_set(BestTime) for time in req.best_times):
        raise ServiceError(_l("Choose from the list."), field="best_times")
    now = now or utcnow()
    inquiry = Inquiry(
        kind=InquiryKind.SELF_REFERRAL.value,
        status=InquiryStatus.NEW.value,
        hospital=hospital_by_code(db, req.hospital_code),
        channel="phone" if req.phone else "email",
        topics=check_topics(req.topics),
        language=req.language,
        pregnancy_status=req.pregnancy_status,
        child_month=req.child_month,
        conversation_language=req.conversation_language,
        interpreter_needed=req.interpreter_needed,
        heard_from=_check_heard_from(req.heard_from),
        created_at=now, updated_at=now, due_at=promises.due_at(InquiryKind.SELF_REFERRAL.value, now),
    )
    inquiry.contact = ContactDetails(
        nickname=req.nickname, phone=req.phone, email=req.email,
        may_leave_voicemail=req.may_leave_voicemail, may_send_text=req.may_send_text,
        best_times=list(req.best_times), note=req.note, consent_at=now,
        erase_after=now + timedelta(days=31 * retention_months),
    )
    add_labelled(db, inquiry)
    flush(db)
    return inquiry
