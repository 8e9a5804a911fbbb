"""Referrals from hospital staff: refer a family in a minute, see that it
was caught (status only, never the counselling), and the counsellor's one
feedback line. Sparring lives in ``services/sparring.py``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from portal import access, limits
from portal.i18n import LANGUAGES
from portal.models import Case, ContactDetails, Inquiry, InquiryKind, InquiryStatus, Priority, User
from portal.models.base import utcnow
from portal.models.codes import BestTime, ConsentBy, FeedbackCode, PregnancyStatus, code_set
from portal.services import ServiceError, audit, flush
from portal.services.deadlines import DEFAULT, Promises
from portal.services.inquiries import add_labelled, check_topics

# What the referrer sees, in this order.
RECEIVED, CONTACT_MADE, IN_COUNSELLING, CLOSED = "received", "contact_made", "in_counselling", "closed"
STATUSES = (RECEIVED, CONTACT_MADE, IN_COUNSELLING, CLOSED)


@dataclass
class Referral:
    """What a midwife fills in; the hospital comes from her account."""

    first_name: str | None = None
    phone: str | None = None
    email: str | None = None
    may_leave_voicemail: bool = False
    may_send_text: bool = False
    best_times: list[str] = field(default_factory=list)
    conversation_language: str | None = None
    interpreter_needed: bool = False
    pregnancy_status: str | None = None
    child_month: str | None = None
    topics: list[str] = field(default_factory=list)
    reason: str | None = None
    urgent: bool = False
    family_agreed: bool = False


@dataclass(frozen=True)
class ReferralStatus:
    """A referral as its referrer may see it: dates and status, nothing of the counselling."""

    inquiry: Inquiry
    status: str
    case_opened_on: date | None  # when a case is under way

    @property
    def first_name(self) -> str | None:
        return self.inquiry.contact.nickname if self.inquiry.contact else None


def _check(referral: Referral) -> None:
    if not referral.family_agreed:
        raise ServiceError(_l("Confirm that the family has agreed to be contacted by Mødrehjælpen."),
                           field="family_agreed")
    if not (referral.phone or referral.email):
        raise ServiceError(_l("Give the family's phone number or e-mail address."), field="phone")
    if not referral.topics:
        raise ServiceError(_l("Choose at least one topic."), field="topics")
    if referral.pregnancy_status not in code_set(PregnancyStatus) | {None}:
        raise ServiceError(_l("Choose from the list."), field="pregnancy_status")
    if any(time not in code_set(BestTime) for time in referral.best_times):
        raise ServiceError(_l("Choose from the list."), field="best_times")
    if referral.reason and len(referral.reason) > limits.REFERRAL_REASON_MAX:
        raise ServiceError(_l("At most %(max)d characters.", max=limits.REFERRAL_REASON_MAX), field="reason")


def refer(db: Session, referrer: User, referral: Referral, *, retention_months: int,
          promises: Promises = DEFAULT, now: datetime | None = None) -> Inquiry:
    """A professional referral into the triage queue, with its hospital,
    urgency and promised call time (urgent: URGENT_RESPONSE_WORKING_DAYS);
    the contact details in the same erasable table as a family's own."""
    access.ensure(access.refers(referrer), _l("Only hospital staff refer families here."))
    _check(referral)
    now = now or utcnow()
    inquiry = Inquiry(
        kind=InquiryKind.PROFESSIONAL_REFERRAL.value, status=InquiryStatus.NEW.value,
        hospital_id=referrer.hospital_id, referred_by_id=referrer.id,
        priority=Priority.URGENT if referral.urgent else Priority.NORMAL,
        channel="phone" if referral.phone else "email", topics=check_topics(referral.topics),
        language=referral.conversation_language if referral.conversation_language in LANGUAGES else "da",
        pregnancy_status=referral.pregnancy_status, child_month=referral.child_month,
        conversation_language=referral.conversation_language, interpreter_needed=referral.interpreter_needed,
        created_at=now, updated_at=now,
        due_at=promises.due_at(InquiryKind.PROFESSIONAL_REFERRAL.value, now, urgent=referral.urgent),
    )
    inquiry.contact = ContactDetails(
        nickname=referral.first_name, phone=referral.phone, email=referral.email,
        may_leave_voicemail=referral.may_leave_voicemail, may_send_text=referral.may_send_text,
        best_times=list(referral.best_times), note=referral.reason, consent_at=now, consent_by=ConsentBy.PROFESSIONAL,
        erase_after=now + timedelta(days=31 * retention_months),
    )
    add_labelled(db, inquiry)
    flush(db)
    audit.record(db, referrer, "referral.create", inquiry)
    return inquiry


def _status(inquiry: Inquiry, case: Case | None) -> str:
    """Follows from what the counsellor already does: claim, a reached
    contact attempt, a case, closing. Nothing extra to click."""
    if inquiry.status == InquiryStatus.CLOSED:
        return CLOSED
    if case is not None and case.closed_on is None:
        return IN_COUNSELLING
    if inquiry.reached_at is not None:
        return CONTACT_MADE
    return RECEIVED


def _own(referrer: User) -> Select[Inquiry, Case]:
    """Only the referrer's own, and only while she is at the hospital they came from."""
    return (select(Inquiry, Case).outerjoin(Case, Case.inquiry_id == Inquiry.id)
            .where(Inquiry.kind == InquiryKind.PROFESSIONAL_REFERRAL.value,
                   Inquiry.referred_by_id == referrer.id, Inquiry.hospital_id == referrer.hospital_id)
            .options(selectinload(Inquiry.contact)))


def own_referrals(db: Session, referrer: User, *, limit: int = 200) -> list[ReferralStatus]:
    """The referrer's own referrals, newest first, with their status."""
    rows = db.execute(_own(referrer).order_by(Inquiry.created_at.desc(), Inquiry.id.desc()).limit(limit))
    return [ReferralStatus(inquiry, _status(inquiry, case), case.opened_on if case else None) for inquiry, case in rows]


def referral_for(db: Session, referrer: User, inquiry_id: int) -> ReferralStatus | None:
    """One of the referrer's own referrals (None for anyone else's)."""
    row = db.execute(_own(referrer).where(Inquiry.id == inquiry_id)).first()
    if row is None:
        return None
    inquiry, case = row
    return ReferralStatus(inquiry, _status(inquiry, case), case.opened_on if case else None)


def give_feedback(db: Session, user: User, inquiry: Inquiry, *, code: str, text: str | None = None) -> None:
    """The counsellor's one short line for the referrer (the hospital reads it)."""
    access.ensure(access.may_work_inquiry(user, inquiry), _l("Take the inquiry first."))
    if inquiry.kind != InquiryKind.PROFESSIONAL_REFERRAL.value:
        raise ServiceError(_l("Only referrals from hospital staff get a feedback line."))
    if code not in code_set(FeedbackCode):
        raise ServiceError(_l("Choose from the list."), field="code")
    text = (text or "").strip() or None
    if text and len(text) > limits.FEEDBACK_TEXT_MAX:
        raise ServiceError(_l("At most %(max)d characters.", max=limits.FEEDBACK_TEXT_MAX), field="text")
    inquiry.feedback_code, inquiry.feedback_text, inquiry.feedback_at = code, text, utcnow()
    audit.record(db, user, "referral.feedback", inquiry)
    flush(db)


def referrers_of(db: Session, inquiries: Sequence[Inquiry]) -> dict[int, User]:
    """The referring accounts of these inquiries, by id (one query)."""
    ids = {i.referred_by_id for i in inquiries if i.referred_by_id}
    return {u.id: u for u in db.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
