"""Accounts of staff, referrers and association editors; local associations."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import limits
from portal.models.base import Base, UTCDateTime, utcnow
from portal.models.encrypted import EncryptedText
from portal.models.hospital import Hospital


class Role(StrEnum):
    ADMIN = "admin"                       # technical administrator
    LEAD = "lead"                         # Mødrehjælpen's manager
    COUNSELLOR = "counsellor"             # social worker (rådgiver)
    REFERRER = "referrer"                 # hospital staff, one hospital
    ASSOCIATION_EDITOR = "association_editor"  # one local association


# Roles that must use two-factor login.
# Referrers too: they see which families they referred.
TOTP_REQUIRED = frozenset({Role.ADMIN.value, Role.LEAD.value, Role.COUNSELLOR.value, Role.REFERRER.value})


class Association(Base):
    """A local association (lokalforening) of Mødrehjælpen."""

    __tablename__ = "associations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Spor 3 (migration 0009): the municipality codes it covers, how to reach it.
    municipalities: Mapped[list[str] | None] = mapped_column(JSON)
    contact_email: Mapped[str | None] = mapped_column(String(limits.EMAIL_MAX))
    contact_phone: Mapped[str | None] = mapped_column(String(limits.PHONE_MAX))
    description: Mapped[str | None] = mapped_column(Text)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(limits.EMAIL_MAX), unique=True)
    name: Mapped[str] = mapped_column(String(limits.USER_NAME_MAX))
    role: Mapped[str] = mapped_column(String(32))
    hospital_id: Mapped[int | None] = mapped_column(ForeignKey("hospitals.id"))
    association_id: Mapped[int | None] = mapped_column(ForeignKey("associations.id"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText("users.totp_secret"))
    totp_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The last accepted TOTP time step: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str] = mapped_column(String(8), default="da")
    # Bumped on password change: every other session of the user ends.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    setup_token_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    setup_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    hospital: Mapped[Hospital | None] = relationship()
    association: Mapped[Association | None] = relationship()

    # Flask-Login protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def needs_totp(self) -> bool:
        return self.role in TOTP_REQUIRED
