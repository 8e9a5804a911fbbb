"""Cases (forløb), their notes, contact attempts and the audit trail."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import limits
from portal.models.base import Base, UTCDateTime, utcnow
from portal.models.encrypted import EncryptedText
from portal.models.hospital import Hospital
from portal.models.user import User

# The evaluation fields of a case; None always means "not stated".
EVALUATION_FIELDS = (
    "hospital_id", "channel", "heard_from", "gender", "age_band", "birth_year",
    "pregnant_at_start", "children_0_3", "children_4_6", "children_7_12",
    "children_13_18", "children_unknown", "civil_status", "employment",
    "income_source", "education", "contact_reasons", "onward_referrals",
    "closure_reason", "closed_on",
)


class Case(Base):
    __tablename__ = "cases"
    # The statistics filter cases by the date they were opened (migration 0005).
    __table_args__ = (
        Index("ix_cases_opened_on", "opened_on", "hospital_id"),
        # The case list newest first: all, one counsellor's, and the open ones (migration 0013).
        Index("ix_cases_opened", "opened_on", "id"),
        Index("ix_cases_counsellor_opened", "counsellor_id", "opened_on", "id"),
        Index("ix_cases_open_opened", "opened_on", "id",
              postgresql_where=text("closed_on IS NULL"), sqlite_where=text("closed_on IS NULL")),
        Index("ix_cases_open_counsellor", "counsellor_id", "opened_on", "id",
              postgresql_where=text("closed_on IS NULL"), sqlite_where=text("closed_on IS NULL")),
        # SQLite only: the statistics count the cases per pair of code lists by walking
        # this index in order, not by sorting the period (migration 0016). PostgreSQL's
        # json has no B-tree order (and hashes the GROUP BY).
        Index("ix_cases_code_lists", "contact_reasons", "onward_referrals", "opened_on",
              "hospital_id").ddl_if(dialect="sqlite"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inquiry_id: Mapped[int | None] = mapped_column(ForeignKey("inquiries.id", ondelete="SET NULL"), unique=True)
    # The case's id in the old CRM, for cases imported from it (portal import-cases).
    external_id: Mapped[str | None] = mapped_column(String(limits.EXTERNAL_ID_MAX), unique=True)
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_on: Mapped[date] = mapped_column(Date)
    hospital_id: Mapped[int | None] = mapped_column(ForeignKey("hospitals.id"))
    channel: Mapped[str | None] = mapped_column(String(32))
    heard_from: Mapped[str | None] = mapped_column(String(32))
    gender: Mapped[str | None] = mapped_column(String(16))
    age_band: Mapped[str | None] = mapped_column(String(16))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    pregnant_at_start: Mapped[bool | None] = mapped_column(Boolean)
    children_0_3: Mapped[int | None] = mapped_column(Integer)
    children_4_6: Mapped[int | None] = mapped_column(Integer)
    children_7_12: Mapped[int | None] = mapped_column(Integer)
    children_13_18: Mapped[int | None] = mapped_column(Integer)
    children_unknown: Mapped[int | None] = mapped_column(Integer)
    civil_status: Mapped[str | None] = mapped_column(String(32))
    employment: Mapped[str | None] = mapped_column(String(32))
    income_source: Mapped[str | None] = mapped_column(String(32))
    education: Mapped[str | None] = mapped_column(String(32))
    contact_reasons: Mapped[list[str] | None] = mapped_column(JSON)
    onward_referrals: Mapped[list[str] | None] = mapped_column(JSON)
    closure_reason: Mapped[str | None] = mapped_column(String(32))
    closed_on: Mapped[date | None] = mapped_column(Date)
    # Set when retention anonymised the case (services/anonymise.py): only coded fields are left.
    anonymised_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    hospital: Mapped[Hospital | None] = relationship()
    counsellor: Mapped[User | None] = relationship()
    notes: Mapped[list[CaseNote]] = relationship(
        back_populates="case", order_by="CaseNote.noted_on.desc(), CaseNote.id.desc()",
        cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class CaseNote(Base):
    """A short dated counselling note; not a journal, deleted with the case."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    noted_on: Mapped[date] = mapped_column(Date)
    body: Mapped[str] = mapped_column(EncryptedText("case_notes.body"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()


class ContactAttempt(Base):
    """One try to reach a family: when, how, reached or not."""

    __tablename__ = "contact_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    method: Mapped[str] = mapped_column(String(16))
    reached: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(EncryptedText("contact_attempts.note"))

    user: Mapped[User | None] = relationship()


class AuditEvent(Base):
    """Who did what to which object, when — never the content."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_object", "object_type", "object_id", "id"),
        Index("ix_audit_events_user", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(48))
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[int | None] = mapped_column(Integer)
    # Counts only (a purge run's counts per kind), never content.
    details: Mapped[dict[str, int] | None] = mapped_column(JSON)

    user: Mapped[User | None] = relationship()
