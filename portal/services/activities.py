"""Spor 3 activities: an association's editors write them; a lead or a
counsellor approves them or sends them back with a reason. States: draft ->
pending -> published -> cancelled (and rejected back to the editor). A
published activity that is changed stays published and goes back to the
approval list (``changed_since_review``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from portal import access
from portal.models import Activity, ActivityCancellation, ActivityStatus, ActivityUsage, Association, User
from portal.models.activity import MUNICIPALITIES, SPOKEN_LANGUAGES, USAGE_MAX, Audience, JoinMethod
from portal.services import ServiceError, audit, flush
from portal.services.activity_calendar import dates_of, today
from portal.text import clean_line, clean_text

MAX_REPEAT_DAYS = 366
_NOT_YOURS = _l("This activity belongs to another local association.")


@dataclass
class ActivityInput:
    """What an editor writes about an activity (the form's fields)."""

    title: str
    starts_on: date
    start_time: time
    description: str = ""
    text_language: str = "da"
    end_time: time | None = None
    weekly: bool = False
    repeat_until: date | None = None
    online: bool = False
    address: str | None = None
    municipality: str | None = None
    audiences: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    price_dkk: int | None = None
    join_method: str = JoinMethod.JUST_COME.value
    join_contact: str | None = None
    places: int | None = None
    accessibility: str | None = None


def _check(data: ActivityInput) -> None:
    """Refuse what an activity cannot be; the first problem is named at its field."""
    if not clean_line(data.title):
        raise ServiceError(_l("Write a title."), field="title")
    if data.end_time is not None and data.end_time <= data.start_time:
        raise ServiceError(_l("The end time must be after the start time."), field="end_time")
    if data.weekly:
        if data.repeat_until is None or data.repeat_until < data.starts_on:
            raise ServiceError(_l("Choose the last date of the repeats, on or after the first date."),
                               field="repeat_until")
        if (data.repeat_until - data.starts_on).days > MAX_REPEAT_DAYS:
            raise ServiceError(_l("A weekly activity can repeat for at most a year. Make a new one after that."),
                               field="repeat_until")
    if not data.online and not (clean_line(data.address) and data.municipality):
        raise ServiceError(_l("Write the address and choose the municipality, or tick that it is online."),
                           field="address")
    if data.municipality and data.municipality not in MUNICIPALITIES:
        raise ServiceError(_l("Choose a municipality from the list."), field="municipality")
    if not set(data.audiences) <= {a.value for a in Audience}:
        raise ServiceError(_l("Choose from the list."), field="audiences")
    if not set(data.languages) <= set(SPOKEN_LANGUAGES) or data.text_language not in SPOKEN_LANGUAGES:
        raise ServiceError(_l("Choose from the list."), field="languages")
    if data.price_dkk is not None and data.price_dkk < 0:
        raise ServiceError(_l("The price cannot be below zero."), field="price_dkk")
    if data.join_method not in {j.value for j in JoinMethod}:
        raise ServiceError(_l("Choose how families join."), field="join_method")
    if data.join_method in (JoinMethod.CONTACT, JoinMethod.SIGN_UP) and not clean_line(data.join_contact):
        raise ServiceError(_l("Write who families contact, and how (a name and a phone number or e-mail)."),
                           field="join_contact")
    if data.places is not None and data.places < 1:
        raise ServiceError(_l("Write a number of places of at least 1, or leave it empty."), field="places")


def _apply(activity: Activity, data: ActivityInput) -> None:
    _check(data)
    activity.title = clean_line(data.title) or ""
    activity.description = clean_text(data.description) or ""
    activity.text_language = data.text_language
    activity.starts_on, activity.start_time, activity.end_time = data.starts_on, data.start_time, data.end_time
    activity.weekly = data.weekly
    activity.repeat_until = data.repeat_until if data.weekly else None
    activity.online = data.online
    activity.address = clean_line(data.address) or None
    activity.municipality = data.municipality or None
    activity.audiences = list(dict.fromkeys(data.audiences))
    activity.languages = list(dict.fromkeys(data.languages))
    activity.price_dkk = data.price_dkk or None
    activity.join_method = data.join_method
    activity.join_contact = clean_line(data.join_contact) or None
    activity.places = data.places if data.join_method == JoinMethod.SIGN_UP else None
    activity.accessibility = clean_text(data.accessibility) or None
    if not activity.weekly:
        activity.cancelled_dates.clear()


def _ensure_editor(actor: User, activity: Activity) -> None:
    access.ensure(access.may_edit_activity(actor, activity), _NOT_YOURS)


def create(db: Session, actor: User, association: Association, data: ActivityInput) -> Activity:
    """A new draft of the association's."""
    access.ensure(access.may_edit_association(actor, association), _NOT_YOURS)
    activity = Activity(association=association, status=ActivityStatus.DRAFT.value, changed_since_review=False,
                        created_by=actor, audiences=[], languages=[])
    _apply(activity, data)
    db.add(activity)
    flush(db)
    audit.record(db, actor, "activity.create", activity)
    return activity


def update(db: Session, actor: User, activity: Activity, data: ActivityInput) -> None:
    """Change the activity. A published one stays published and is reviewed again."""
    _ensure_editor(actor, activity)
    if activity.status == ActivityStatus.CANCELLED:
        raise ServiceError(_l("A cancelled activity cannot be changed. Make a new one."))
    _apply(activity, data)
    if activity.status == ActivityStatus.PUBLISHED:
        activity.changed_since_review = True
    flush(db)
    audit.record(db, actor, "activity.update", activity)


def submit(db: Session, actor: User, activity: Activity) -> None:
    """Send a draft (or one sent back) for approval."""
    _ensure_editor(actor, activity)
    if activity.status not in (ActivityStatus.DRAFT, ActivityStatus.REJECTED):
        raise ServiceError(_l("Only a draft or an activity sent back can be sent for approval."))
    activity.status = ActivityStatus.PENDING.value
    audit.record(db, actor, "activity.submit", activity)


def approve(db: Session, actor: User, activity: Activity, *, seen: str | None = None) -> None:
    """Publish a waiting activity, or accept the changes to a published one. ``seen`` is the
    version the approver read (``review_stamp``): changed since, it is not approved unread."""
    access.ensure(access.moderates_activities(actor), _l("You cannot approve activities."))
    if not needs_review(activity):
        raise ServiceError(_l("This activity is not waiting for approval."))
    if seen is not None and seen != review_stamp(activity):
        raise ServiceError(_l("The editor changed the activity while you read it. Read it again."))
    activity.status = ActivityStatus.PUBLISHED.value
    activity.changed_since_review = False
    activity.review_note = None
    audit.record(db, actor, "activity.approve", activity)


def send_back(db: Session, actor: User, activity: Activity, reason: str) -> None:
    """Back to the editor with a reason they see; a changed published activity is taken down."""
    access.ensure(access.moderates_activities(actor), _l("You cannot approve activities."))
    if not needs_review(activity):
        raise ServiceError(_l("This activity is not waiting for approval."))
    reason = clean_text(reason) or ""
    if not reason:
        raise ServiceError(_l("Write why, so the editor knows what to change."), field="reason")
    activity.status = ActivityStatus.REJECTED.value
    activity.changed_since_review = False
    activity.review_note = reason
    audit.record(db, actor, "activity.send_back", activity)


def cancel(db: Session, actor: User, activity: Activity) -> None:
    """Cancel the whole activity; families still see that it is cancelled until its date has passed."""
    _ensure_editor(actor, activity)
    if activity.status == ActivityStatus.CANCELLED:
        raise ServiceError(_l("The activity is already cancelled."))
    activity.status = ActivityStatus.CANCELLED.value
    activity.changed_since_review = False
    audit.record(db, actor, "activity.cancel", activity)


def cancel_date(db: Session, actor: User, activity: Activity, on: date, *, cancelled: bool = True) -> None:
    """Cancel (or bring back) one date of a weekly activity."""
    _ensure_editor(actor, activity)
    if not activity.weekly or on not in dates_of(activity, activity.starts_on, activity.last_date,
                                                 with_cancelled=True):
        raise ServiceError(_l("That is not one of the activity's dates."), field="on")
    existing = next((c for c in activity.cancelled_dates if c.on_date == on), None)
    if cancelled and existing is None:
        activity.cancelled_dates.append(ActivityCancellation(on_date=on))
    elif not cancelled and existing is not None:
        activity.cancelled_dates.remove(existing)
    flush(db)
    audit.record(db, actor, "activity.cancel_date" if cancelled else "activity.restore_date", activity)


def record_usage(db: Session, actor: User, activity: Activity, on: date, *, families: int, adults: int,
                 children: int, via_partnership: int) -> ActivityUsage:
    """How many came on a date that has taken place (numbers only; a new count replaces the old)."""
    _ensure_editor(actor, activity)
    taken_place = on <= today() and on in dates_of(activity, activity.starts_on, activity.last_date)
    if activity.status != ActivityStatus.PUBLISHED or not taken_place:
        raise ServiceError(_l("Choose a date on which the activity has taken place."), field="on_date")
    numbers = (families, adults, children, via_partnership)
    if any(n is None or n < 0 or n > USAGE_MAX for n in numbers):
        raise ServiceError(_l("Write numbers from 0 to %(max)d.", max=USAGE_MAX), field="families")
    if via_partnership > families:
        raise ServiceError(_l("More families came through the partnership than came in all."),
                           field="via_partnership")
    usage = db.scalar(select(ActivityUsage).where(ActivityUsage.activity_id == activity.id,
                                                  ActivityUsage.on_date == on))
    if usage is None:
        usage = ActivityUsage(activity=activity, on_date=on)
        db.add(usage)
    usage.families, usage.adults, usage.children, usage.via_partnership = numbers
    flush(db)
    audit.record(db, actor, "activity.usage", activity)
    return usage


def review_stamp(activity: Activity) -> str:
    """Which version of the activity the approver reads (its last change)."""
    return activity.updated_at.isoformat()


def needs_review(activity: Activity) -> bool:
    """In the approval list: waiting, or published and changed since."""
    return activity.status == ActivityStatus.PENDING or (
        activity.status == ActivityStatus.PUBLISHED and activity.changed_since_review)


def review_queue(db: Session) -> Sequence[Activity]:
    """Everything waiting for approval, oldest change first."""
    return db.scalars(select(Activity).options(selectinload(Activity.association))
                      .where(or_(Activity.status == ActivityStatus.PENDING.value,
                                 (Activity.status == ActivityStatus.PUBLISHED.value)
                                 & Activity.changed_since_review.is_(True)))
                      .order_by(Activity.updated_at, Activity.id)).all()


def of_association(db: Session, association: Association) -> Sequence[Activity]:
    """The association's activities, the next first, past ones last."""
    rows = db.scalars(select(Activity).where(Activity.association_id == association.id)
                      .order_by(Activity.starts_on, Activity.id)).all()
    now = today()
    return sorted(rows, key=lambda a: (a.last_date < now, a.starts_on, a.id))


def usage_of(db: Session, activity: Activity) -> Sequence[ActivityUsage]:
    """The counts recorded for an activity, by date."""
    return db.scalars(select(ActivityUsage).where(ActivityUsage.activity_id == activity.id)
                      .order_by(ActivityUsage.on_date)).all()


def past_dates(activity: Activity, *, limit: int = 60) -> list[date]:
    """Dates that have taken place (not cancelled), newest first: what counts can be recorded for."""
    now = today()
    if activity.starts_on > now:
        return []
    found = dates_of(activity, max(activity.starts_on, now - timedelta(days=7 * limit)), min(now, activity.last_date))
    return sorted(found, reverse=True)[:limit]
