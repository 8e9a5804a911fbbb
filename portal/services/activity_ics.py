"""iCalendar (RFC 5545) for activities, made with the ``icalendar`` library:
a weekly activity is one event with an RRULE and its cancelled dates as
EXDATE; a cancelled activity has STATUS:CANCELLED. Times carry the
Copenhagen time zone (a VTIMEZONE is added), so calendars show them right
in winter and summer."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from icalendar import Calendar, Event, vRecur

from portal.models import Activity, ActivityStatus
from portal.services.activity_calendar import LOCAL_TIME

PRODID = "-//Mødrehjælpen//Aktiviteter i dit område//DA"
DEFAULT_LENGTH = timedelta(hours=2)


def _start(activity: Activity) -> datetime:
    return datetime.combine(activity.starts_on, activity.start_time, tzinfo=LOCAL_TIME)


def event(activity: Activity, *, url: str, host: str) -> Event:
    """One activity as a VEVENT."""
    item = Event()
    start = _start(activity)
    end = (datetime.combine(activity.starts_on, activity.end_time, tzinfo=LOCAL_TIME)
           if activity.end_time else start + DEFAULT_LENGTH)
    item.add("uid", f"activity-{activity.id}@{host}")
    item.add("dtstamp", activity.updated_at)
    item.add("last-modified", activity.updated_at)
    item.add("dtstart", start)
    item.add("dtend", end)
    item.add("summary", activity.title)
    item.add("description", f"{activity.description}\n\n{url}".strip())
    item.add("url", url)
    item.add("location", "Online" if activity.online else activity.address or "")
    if activity.association.contact_email:
        item.add("organizer", f"mailto:{activity.association.contact_email}",
                 parameters={"CN": activity.association.name})
    if activity.weekly and activity.repeat_until:
        until = datetime.combine(activity.repeat_until, activity.start_time, tzinfo=LOCAL_TIME)
        # UNTIL in UTC, as RFC 5545 wants it when DTSTART has a time zone.
        item.add("rrule", vRecur(freq="WEEKLY", until=until.astimezone(timezone.utc)))
        cancelled = sorted(activity.cancelled_on)
        if cancelled:
            item.add("exdate", [datetime.combine(day, activity.start_time, tzinfo=LOCAL_TIME) for day in cancelled])
    item.add("status", "CANCELLED" if activity.status == ActivityStatus.CANCELLED else "CONFIRMED")
    return item


def calendar(activities: Iterable[Activity], *, name: str, url_of, host: str) -> bytes:
    """A feed (or a single activity's file) as bytes; ``url_of(activity)`` is its public page."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Copenhagen")
    for activity in activities:
        cal.add_component(event(activity, url=url_of(activity), host=host))
    cal.add_missing_timezones()
    return cal.to_ical()
