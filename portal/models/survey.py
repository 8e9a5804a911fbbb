"""Satisfaction surveys: one-time invitations and anonymous responses.

Nothing links a response to a case or a family: an invitation holds only the
digest of its token, the hospital, the month and the language, and is
deleted when it is used; a response holds the hospital, the month, the
answers and the free text, and no date finer than the month."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base
from portal.models.encrypted import EncryptedText


class SurveyInvitation(Base):
    __tablename__ = "survey_invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # SHA-256 of the token in the link; the token itself is shown once.
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))            # "family" or "staff"
    hospital_id: Mapped[int | None] = mapped_column(ForeignKey("hospitals.id", ondelete="SET NULL"))
    month: Mapped[str] = mapped_column(String(7))            # YYYY-MM the response will carry
    language: Mapped[str] = mapped_column(String(8), default="da")
    # A staff survey link is shared and answered many times; a family's dies on use.
    reusable: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_on: Mapped[date] = mapped_column(Date)


class SurveyResponse(Base):
    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    hospital_id: Mapped[int | None] = mapped_column(ForeignKey("hospitals.id", ondelete="SET NULL"))
    month: Mapped[str] = mapped_column(String(7), index=True)
    language: Mapped[str] = mapped_column(String(8), default="da")
    # question code -> answer code (e.g. "helped": "agree"); unanswered ones are left out.
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    free_text: Mapped[str | None] = mapped_column(EncryptedText("survey_responses.free_text"))
