"""When activities take place: the dates of a single or weekly activity,
what families see (published, or cancelled until the date has passed),
the public listing's filters and the counsellors' two-week overview."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.models import Activity, ActivityStatus, Association
from portal.models.activity import Audience

LOCAL_TIME = ZoneInfo("Europe/Copenhagen")
PUBLIC_STATES = (ActivityStatus.PUBLISHED.value, ActivityStatus.CANCELLED.value)
# Activities for every family match every audience filter.
_FOR_EVERYONE = Audience.ALL_FAMILIES.value


def today() -> date:
    """Today in Copenhagen."""
    return datetime.now(LOCAL_TIME).date()


def dates_of(activity: Activity, start: date, end: date, *, with_cancelled: bool = False) -> list[date]:
    """The activity's dates in [start, end]; cancelled single dates left out unless ``with_cancelled``."""
    if not activity.weekly:
        found = [activity.starts_on] if start <= activity.starts_on <= end else []
    else:
        last = min(end, activity.last_date)
        first = activity.starts_on
        if start > first:
            first += timedelta(days=-(-(start - first).days // 7) * 7)
        found = [first + timedelta(days=7 * k) for k in range(max(0, (last - first).days // 7 + 1))]
    if with_cancelled:
        return found
    skipped = activity.cancelled_on
    return [d for d in found if d not in skipped]


def next_date(activity: Activity, *, after: date | None = None) -> date | None:
    """The next date that takes place (for a cancelled activity: the next it would have had)."""
    start = after or today()
    found = dates_of(activity, start, activity.last_date)
    return found[0] if found else None


def is_public(activity: Activity, *, on: date | None = None) -> bool:
    """Families see it: published and not over, or cancelled and its date not yet passed."""
    return activity.status in PUBLIC_STATES and activity.last_date >= (on or today())


def upcoming_cancelled_dates(activity: Activity) -> list[date]:
    """A weekly activity's single cancelled dates still ahead."""
    now = today()
    return [d for d in sorted(activity.cancelled_on) if d >= now]


@dataclass(frozen=True)
class Filters:
    """What the public listing is narrowed to (all optional)."""

    municipality: str | None = None
    audience: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    free_only: bool = False
    association_id: int | None = None


def _matches(activity: Activity, filters: Filters, start: date, end: date) -> bool:
    if filters.municipality and not activity.online and activity.municipality != filters.municipality:
        return False
    if filters.audience and filters.audience not in activity.audiences and _FOR_EVERYONE not in activity.audiences:
        return False
    if filters.free_only and not activity.is_free:
        return False
    return bool(dates_of(activity, start, end, with_cancelled=activity.status == ActivityStatus.CANCELLED))


def public_activities(db: Session, filters: Filters | None = None) -> list[tuple[Activity, date]]:
    """What the listing shows: each activity with its next date in the chosen range, soonest first."""
    filters = filters or Filters()
    now = today()
    start = max(filters.date_from or now, now)
    end = filters.date_to or start + timedelta(days=MAX_AHEAD_DAYS)
    query = (select(Activity).options(selectinload(Activity.association), selectinload(Activity.cancelled_dates),
                                      selectinload(Activity.photo))
             .where(Activity.status.in_(PUBLIC_STATES), Activity.starts_on <= end))
    if filters.association_id is not None:
        query = query.where(Activity.association_id == filters.association_id)
    found = []
    for activity in db.scalars(query):
        if is_public(activity, on=start) and _matches(activity, filters, start, end):
            dates = dates_of(activity, start, end, with_cancelled=activity.status == ActivityStatus.CANCELLED)
            found.append((activity, dates[0]))
    return sorted(found, key=lambda pair: (pair[1], pair[0].start_time, pair[0].id))


MAX_AHEAD_DAYS = 400


def public_activity(db: Session, activity_id: int) -> Activity | None:
    """One activity as families may see it (None for a draft, a refused or a past one)."""
    activity = db.get(Activity, activity_id)
    return activity if activity is not None and is_public(activity) else None


def feed_activities(db: Session, association: Association | None = None) -> Sequence[Activity]:
    """What a calendar feed holds: published and cancelled activities not yet over."""
    query = select(Activity).options(selectinload(Activity.association), selectinload(Activity.cancelled_dates)) \
        .where(Activity.status.in_(PUBLIC_STATES)).order_by(Activity.starts_on, Activity.id)
    if association is not None:
        query = query.where(Activity.association_id == association.id)
    return [a for a in db.scalars(query) if is_public(a)]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def two_weeks(db: Session, *, on: date | None = None) -> tuple[date, date, dict[str, list[tuple[date, Activity]]]]:
    """The counsellors' overview: every date of this week and next (from Monday), by municipality
    ("" for online), each list by date and time; cancelled dates are left out."""
    start = week_start(on or today())
    end = start + timedelta(days=13)
    rows = db.scalars(select(Activity).options(selectinload(Activity.association),
                                               selectinload(Activity.cancelled_dates))
                      .where(Activity.status == ActivityStatus.PUBLISHED.value, Activity.starts_on <= end)).all()
    by_place: dict[str, list[tuple[date, Activity]]] = {}
    for activity in rows:
        for day in dates_of(activity, start, end):
            by_place.setdefault("" if activity.online else activity.municipality or "", []).append((day, activity))
    for items in by_place.values():
        items.sort(key=lambda pair: (pair[0], pair[1].start_time, pair[1].id))
    return start, end, dict(sorted(by_place.items(), key=lambda kv: (kv[0] == "", kv[0])))
