"""The counsellors' notices (``portal notify``): which were sent, so a run
with nothing new sends nothing. Counts only; no inquiry is named here."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, UTCDateTime, utcnow


class NoticeKind:
    NEW = "new"       # new inquiries since the last notice
    DAILY = "daily"   # once a working day: what is due today or overdue


class Notice(Base):
    __tablename__ = "notices"
    __table_args__ = (UniqueConstraint("kind", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    # NEW: the highest inquiry id announced; the next notice starts after it.
    up_to_id: Mapped[int] = mapped_column(Integer, default=0)
    # DAILY: the Copenhagen day it was for (one per day); NEW: none.
    day: Mapped[date | None] = mapped_column(Date)
    inquiries: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
