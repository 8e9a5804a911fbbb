"""Hospitals (fødesteder): data, not code."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, UTCDateTime, utcnow


class Hospital(Base):
    __tablename__ = "hospitals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Counselling only by phone and e-mail (no social worker on site).
    remote_only: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # Who at the hospital gets the monthly status mail (edited by a lead).
    contact_emails: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Tell the counsellors' shared address when an urgent referral arrives.
    urgent_notice: Mapped[bool] = mapped_column(Boolean, default=False)


class DigestRun(Base):
    """A monthly status mail sent to one hospital: sent once per month."""

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("hospital_id", "month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hospital_id: Mapped[int] = mapped_column(ForeignKey("hospitals.id", ondelete="CASCADE"))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
