"""Spor 3: a local association's activities, their cancelled dates, their
photo, and the counts of who came (aggregates only, never a person)."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, utcnow
from portal.models.encrypted import EncryptedText
from portal.models.user import Association, User

TITLE_MAX = 120
DESCRIPTION_MAX = 4000
PLACE_MAX = 200
NOTE_MAX = 1000
SHORT_MAX = 200
REVIEW_NOTE_MAX = 1000
USAGE_MAX = 1000  # more people than this at one local activity is a typing error

# Languages an activity can be held in (codes; named by Babel on the page).
SPOKEN_LANGUAGES = ("da", "en", "ar", "uk", "tr", "ur", "fa", "so", "pl", "ti", "ps", "ku", "de", "es", "fr")

# The municipalities of Region Hovedstaden (proper names: the same in every language).
MUNICIPALITIES: dict[str, str] = {code: name for code, name in (
    ("albertslund", "Albertslund"), ("allerod", "Allerød"), ("ballerup", "Ballerup"),
    ("bornholm", "Bornholm"), ("brondby", "Brøndby"), ("dragor", "Dragør"), ("egedal", "Egedal"),
    ("fredensborg", "Fredensborg"), ("frederiksberg", "Frederiksberg"), ("frederikssund", "Frederikssund"),
    ("fureso", "Furesø"), ("gentofte", "Gentofte"), ("gladsaxe", "Gladsaxe"), ("glostrup", "Glostrup"),
    ("gribskov", "Gribskov"), ("halsnaes", "Halsnæs"), ("helsingor", "Helsingør"), ("herlev", "Herlev"),
    ("hillerod", "Hillerød"), ("hvidovre", "Hvidovre"), ("hoje_taastrup", "Høje-Taastrup"),
    ("horsholm", "Hørsholm"), ("ishoj", "Ishøj"), ("kobenhavn", "København"), ("lyngby_taarbaek", "Lyngby-Taarbæk"),
    ("rodovre", "Rødovre"), ("rudersdal", "Rudersdal"), ("tarnby", "Tårnby"), ("vallensbaek", "Vallensbæk"),
)}


class ActivityStatus(StrEnum):
    DRAFT = "draft"
    PENDING = "pending"          # waiting for approval
    PUBLISHED = "published"
    REJECTED = "rejected"        # sent back with a reason
    CANCELLED = "cancelled"


class Audience(StrEnum):
    PREGNANT = "pregnant"
    CHILDREN_0_1 = "children_0_1"
    CHILDREN_0_6 = "children_0_6"
    ALL_FAMILIES = "all_families"
    FATHERS = "fathers"
    SINGLE_PARENTS = "single_parents"


class JoinMethod(StrEnum):
    JUST_COME = "just_come"
    CONTACT = "contact"
    SIGN_UP = "sign_up"


class Activity(Base):
    """One activity: a single date, or every week on the same weekday until
    a date. Times are Copenhagen wall-clock times."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=ActivityStatus.DRAFT.value, index=True)
    # A published activity changed by its editor: still shown, and back in the approval list.
    changed_since_review: Mapped[bool] = mapped_column(Boolean, default=False)
    review_note: Mapped[str | None] = mapped_column(EncryptedText("activities.review_note"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    text_language: Mapped[str] = mapped_column(String(8), default="da")  # the language it is written in
    starts_on: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    weekly: Mapped[bool] = mapped_column(Boolean, default=False)
    repeat_until: Mapped[date | None] = mapped_column(Date)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    address: Mapped[str | None] = mapped_column(String(PLACE_MAX))
    municipality: Mapped[str | None] = mapped_column(String(32))
    audiences: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    price_dkk: Mapped[int | None] = mapped_column(Integer)  # None: free
    join_method: Mapped[str] = mapped_column(String(16), default=JoinMethod.JUST_COME.value)
    join_contact: Mapped[str | None] = mapped_column(String(SHORT_MAX))
    places: Mapped[int | None] = mapped_column(Integer)
    accessibility: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    association: Mapped[Association] = relationship()
    created_by: Mapped[User | None] = relationship()
    cancelled_dates: Mapped[list[ActivityCancellation]] = relationship(
        order_by="ActivityCancellation.on_date", cascade="all, delete-orphan")
    photo: Mapped[ActivityPhoto | None] = relationship(cascade="all, delete-orphan", uselist=False)

    @property
    def is_free(self) -> bool:
        return not self.price_dkk

    @property
    def last_date(self) -> date:
        return self.repeat_until if self.weekly and self.repeat_until else self.starts_on

    @property
    def cancelled_on(self) -> set[date]:
        return {c.on_date for c in self.cancelled_dates}


class ActivityCancellation(Base):
    """One date of a weekly activity that does not take place."""

    __tablename__ = "activity_cancellations"
    __table_args__ = (UniqueConstraint("activity_id", "on_date", name="uq_activity_cancellations_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    on_date: Mapped[date] = mapped_column(Date)


class ActivityPhoto(Base):
    """The photo, re-encoded (pixels only), kept in the database: outside static/."""

    __tablename__ = "activity_photos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), unique=True)
    content_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    alt_text: Mapped[str | None] = mapped_column(String(SHORT_MAX))


class ActivityUsage(Base):
    """How many came on one date: numbers only, never who."""

    __tablename__ = "activity_usage"
    __table_args__ = (UniqueConstraint("activity_id", "on_date", name="uq_activity_usage_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    on_date: Mapped[date] = mapped_column(Date, index=True)
    families: Mapped[int] = mapped_column(Integer, default=0)
    adults: Mapped[int] = mapped_column(Integer, default=0)
    children: Mapped[int] = mapped_column(Integer, default=0)
    via_partnership: Mapped[int] = mapped_column(Integer, default=0)  # families who came through the partnership
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activity: Mapped[Activity] = relationship()


class CaseActivityReferral(Base):
    """A case's referral to one local association's activity (onward referral
    ``local_association``); the case says nothing to the association."""

    __tablename__ = "case_activity_referrals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    referred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activity: Mapped[Activity] = relationship()
