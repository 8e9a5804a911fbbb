"""Spor 2: visited courses and partner offers with capacity (a course's
dated sessions; the families proposed and admitted to it; who came)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, utcnow
from portal.models.case import Case
from portal.models.codes import CourseForm, CourseStatus, EnrollmentStatus
from portal.models.encrypted import EncryptedText
from portal.models.hospital import Hospital
from portal.models.inquiry import Inquiry
from portal.models.user import User

TITLE_MAX, PLACE_MAX, FACILITATORS_MAX, REASON_MAX = 120, 200, 300, 300


class Course(Base):
    """A group or individual course, or a stay offer (rooms = capacity)."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[str] = mapped_column(String(16))
    form: Mapped[str] = mapped_column(String(16))
    audience: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))   # language of instruction
    place_kind: Mapped[str] = mapped_column(String(16))
    place: Mapped[str] = mapped_column(String(PLACE_MAX), default="")  # the address as families read it
    hospital_id: Mapped[int | None] = mapped_column(ForeignKey("hospitals.id"))
    facilitators: Mapped[str] = mapped_column(String(FACILITATORS_MAX), default="")  # names only
    capacity: Mapped[int] = mapped_column(Integer)
    max_nights: Mapped[int | None] = mapped_column(Integer)  # stays only
    status: Mapped[str] = mapped_column(String(16), default=CourseStatus.PLANNED.value)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Set when retention stripped its enrolments to what the figures count (services/retention_tracks.py).
    anonymised_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    hospital: Mapped[Hospital | None] = relationship()
    sessions: Mapped[list[CourseSession]] = relationship(
        back_populates="course", order_by="CourseSession.held_on, CourseSession.id", cascade="all, delete-orphan")
    enrollments: Mapped[list[Enrollment]] = relationship(
        back_populates="course", order_by="Enrollment.id", cascade="all, delete-orphan")

    @property
    def is_stay(self) -> bool:
        return self.form == CourseForm.STAY

    @property
    def takes_proposals(self) -> bool:
        return self.status in (CourseStatus.PLANNED, CourseStatus.OPEN, CourseStatus.RUNNING)

    @property
    def closed(self) -> bool:
        return self.status in (CourseStatus.FINISHED, CourseStatus.CANCELLED)


class CourseSession(Base):
    """One dated meeting of a course."""

    __tablename__ = "course_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[str | None] = mapped_column(String(5))  # "HH:MM"
    ends_at: Mapped[str | None] = mapped_column(String(5))
    attendance_taken: Mapped[bool] = mapped_column(Boolean, default=False)

    course: Mapped[Course] = relationship(back_populates="sessions")


class Enrollment(Base):
    """A family proposed for a course, and what became of it. The family
    is its inquiry (neutral label); the case, when counselling is under way."""

    __tablename__ = "enrollments"
    __table_args__ = (
        UniqueConstraint("course_id", "inquiry_id"),
        Index("ix_enrollments_course_status", "course_id", "status", "waitlist_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default=EnrollmentStatus.PROPOSED.value)
    reason: Mapped[str] = mapped_column(EncryptedText("enrollments.reason"), default="")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The waiting order: numbers handed out under the course's lock.
    waitlist_number: Mapped[int | None] = mapped_column(Integer)
    # Moved from the waiting list into a freed place by the portal.
    auto_admitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two sessions missed in a row (cleared when the family comes again).
    missed_flag_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Stays: the first night and the day of leaving.
    arrives_on: Mapped[date | None] = mapped_column(Date)
    leaves_on: Mapped[date | None] = mapped_column(Date)

    course: Mapped[Course] = relationship(back_populates="enrollments")
    inquiry: Mapped[Inquiry] = relationship()
    case: Mapped[Case | None] = relationship()
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    attendance: Mapped[list[Attendance]] = relationship(back_populates="enrollment", cascade="all, delete-orphan")

    @property
    def first_name(self) -> str | None:
        """The only personal detail a course shows: the first name the family gave, if any."""
        return self.inquiry.contact.nickname if self.inquiry.contact else None

    @property
    def nights(self) -> int:
        if self.arrives_on is None or self.leaves_on is None:
            return 0
        return (self.leaves_on - self.arrives_on).days


class Attendance(Base):
    """Whether an admitted family came to one session."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("enrollment_id", "session_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("course_sessions.id", ondelete="CASCADE"), index=True)
    present: Mapped[bool] = mapped_column(Boolean)

    enrollment: Mapped[Enrollment] = relationship(back_populates="attendance")
