"""Everything that comes in: anonymous questions, requests to be contacted,
professional referrals; their message threads and (separately, so they can
be erased alone) contact details."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, utcnow
from portal.models.encrypted import EncryptedText
from portal.models.hospital import Hospital

if TYPE_CHECKING:
    from portal.models.user import User


class InquiryKind(StrEnum):
    ANONYMOUS_QUESTION = "anonymous_question"
    SELF_REFERRAL = "self_referral"
    PROFESSIONAL_REFERRAL = "professional_referral"
    # A professional asks the counsellors for advice without naming the
    # family; counted as sparring, never as a case.
    SPARRING = "sparring"


class InquiryStatus(StrEnum):
    NEW = "new"
    CLAIMED = "claimed"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class Author(StrEnum):
    FAMILY = "family"
    STAFF = "staff"
    PROFESSIONAL = "professional"   # the referrer asking for sparring


class Priority(IntEnum):
    """Queue order: urgent referrals ("please call within 2 working days") first."""

    URGENT = 0
    NORMAL = 1


class Inquiry(Base):
    __tablename__ = "inquiries"
    __table_args__ = (
        Index("ix_inquiries_status_created", "status", "created_at", "id"),
        Index("ix_inquiries_created", "created_at", "id"),
        Index("ix_inquiries_assigned_created", "assigned_to_id", "created_at", "id"),
        # The default queue: open inquiries by age (migration 0003).
        Index("ix_inquiries_open_created", "created_at", "id",
              postgresql_where=text("status IN ('new', 'claimed', 'in_progress')"),
              sqlite_where=text("status IN ('new', 'claimed', 'in_progress')")),
        # The default queue with urgent referrals first (migration 0004).
        Index("ix_inquiries_open_priority", "priority", "created_at", "id",
              postgresql_where=text("status IN ('new', 'claimed', 'in_progress')"),
              sqlite_where=text("status IN ('new', 'claimed', 'in_progress')")),
        # The default queue: open inquiries by due time (migration 0006).
        Index("ix_inquiries_open_due", "due_at", "id",
              postgresql_where=text("status IN ('new', 'claimed', 'in_progress')"),
              sqlite_where=text("status IN ('new', 'claimed', 'in_progress')")),
        # The queue of all statuses or of one (migration 0013).
        Index("ix_inquiries_due", "due_at", "id"),
        Index("ix_inquiries_priority_created", "priority", "created_at", "id"),
        Index("ix_inquiries_status_due", "status", "due_at", "id"),
        Index("ix_inquiries_status_priority", "status", "priority", "created_at", "id"),
        # A referrer's own referrals and sparring, newest first.
        Index("ix_inquiries_referred_by", "referred_by_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=InquiryStatus.NEW.value)
    # Neutral generated name staff use; says nothing about the family.
    label: Mapped[str] = mapped_column(String(48), unique=True)
    # HMAC-SHA256 of the normalised receipt code (anonymous questions only).
    receipt_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    hospital_id: Mapped[int | None] = mapped_column(ForeignKey("hospitals.id"))
    channel: Mapped[str] = mapped_column(String(32))
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(8))
    # Contact requests: situation and wishes for the conversation.
    pregnancy_status: Mapped[str | None] = mapped_column(String(16))
    child_month: Mapped[str | None] = mapped_column(String(7))  # YYYY-MM
    conversation_language: Mapped[str | None] = mapped_column(String(8))
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where the family heard of us, when the way in tells ("leaflet").
    heard_from: Mapped[str | None] = mapped_column(String(32))
    # Referrals and sparring: the professional who sent it, and its urgency.
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    priority: Mapped[int] = mapped_column(Integer, default=Priority.NORMAL)
    # Staff side.
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closure_reason: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Kept with each logged attempt so the queue needs no aggregate query.
    attempt_count: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The first staff answer or contact attempt, and the first time the
    # family was reached: what the referrer's status and the figures read.
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when retention reduces the timestamps to the month (services/anonymise.py):
    # the first response in working hours and whether it kept its promise.
    response_hours: Mapped[float | None] = mapped_column(Float)
    response_kept: Mapped[bool | None] = mapped_column(Boolean)
    # Reduced by retention to a coded stub (no messages, no receipt digest,
    # month dates), so no rule takes it twice (migration 0015).
    anonymised: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # When the first response is promised (services/deadlines.py): set once
    # on arrival from the kind's promise, never recomputed.
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # One short line for the referrer (the hospital reads it).
    feedback_code: Mapped[str | None] = mapped_column(String(32))
    feedback_text: Mapped[str | None] = mapped_column(EncryptedText("inquiries.feedback_text"))
    feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The family deleted their anonymous question (messages and receipt
    # digest gone; the row stays for the evaluation's counts; migration 0012).
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    hospital: Mapped[Hospital | None] = relationship()
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    referred_by: Mapped[User | None] = relationship(foreign_keys=[referred_by_id])
    messages: Mapped[list[Message]] = relationship(
        back_populates="inquiry", order_by="Message.id", cascade="all, delete-orphan"
    )
    contact: Mapped[ContactDetails | None] = relationship(
        back_populates="inquiry", cascade="all, delete-orphan", uselist=False
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def urgent(self) -> bool:
        return self.priority == Priority.URGENT


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(EncryptedText("messages.body"))
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    inquiry: Mapped[Inquiry] = relationship(back_populates="messages")


class ContactDetails(Base):
    __tablename__ = "contact_details"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(
        ForeignKey("inquiries.id", ondelete="CASCADE"), unique=True
    )
    nickname: Mapped[str | None] = mapped_column(EncryptedText("contact_details.nickname"))
    phone: Mapped[str | None] = mapped_column(EncryptedText("contact_details.phone"))
    email: Mapped[str | None] = mapped_column(EncryptedText("contact_details.email"))
    may_leave_voicemail: Mapped[bool] = mapped_column(Boolean, default=False)
    may_send_text: Mapped[bool] = mapped_column(Boolean, default=False)
    best_times: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(EncryptedText("contact_details.note"))
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Who confirmed the consent (models.codes.ConsentBy): the family, or the referring professional.
    consent_by: Mapped[str] = mapped_column(String(16), default="family")
    # Deleted by the retention job after this moment.
    erase_after: Mapped[datetime] = mapped_column(UTCDateTime)

    inquiry: Mapped[Inquiry] = relationship(back_populates="contact")
