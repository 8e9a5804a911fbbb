"""``Calendar.hours_between`` (whole microseconds, remembered day bounds,
as the statistics time 100,000 inquiries with it) against the plain way:
aware datetimes, day by day, each day's overlap with its opening hours as a
timedelta. The same float for every pair, on random moments over three
years that include both daylight-saving changes of each year, the holidays
and the extra closed days, short and long waits, and a calendar with other
opening hours; and ``local_day`` is the Copenhagen date."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from portal.services.workdays import Calendar, local_day, utc_microseconds

CPH = ZoneInfo("Europe/Copenhagen")
START = datetime(2024, 12, 1, tzinfo=timezone.utc)
SPAN_SECONDS = 3 * 365 * 86400
# The nights the clocks change (Europe: the last Sunday of March and of October).
CHANGES = [datetime(2025, 3, 30, 1, tzinfo=timezone.utc), datetime(2025, 10, 26, 1, tzinfo=timezone.utc),
           datetime(2026, 3, 29, 1, tzinfo=timezone.utc), datetime(2026, 10, 25, 1, tzinfo=timezone.utc)]


def plain_hours(calendar: Calendar, start: datetime, end: datetime) -> float:
    """Opening hours of working days between two aware moments, the slow, plain way."""
    if end <= start:
        return 0.0
    seconds = 0.0
    day, last = start.astimezone(CPH).date(), end.astimezone(CPH).date()
    while day <= last:
        if calendar.is_working_day(day):
            opens = datetime.combine(day, calendar.opening, tzinfo=CPH).astimezone(timezone.utc)
            closes = datetime.combine(day, calendar.closing, tzinfo=CPH).astimezone(timezone.utc)
            overlap = min(end, closes) - max(start, opens)
            seconds += max(overlap, timedelta(0)).total_seconds()
        day += timedelta(days=1)
    return seconds / 3600


def moments(rng: random.Random, count: int) -> list[tuple[datetime, datetime]]:
    """Pairs (start, end): anywhere in the span, or within a day of a clock change;
    the wait minutes to weeks, now and then negative, to the microsecond."""
    pairs = []
    for number in range(count):
        if number % 4 == 0:
            start = rng.choice(CHANGES) + timedelta(seconds=rng.uniform(-86400, 86400))
        else:
            start = START + timedelta(seconds=rng.uniform(0, SPAN_SECONDS))
        start += timedelta(microseconds=rng.randrange(1_000_000))
        wait = timedelta(hours=rng.choice([rng.uniform(0, 8), rng.expovariate(1 / 30), rng.uniform(-5, 24 * 40)]))
        pairs.append((start, start + wait))
    return pairs


@pytest.mark.parametrize("calendar", [Calendar(), Calendar(opening=time(8, 30), closing=time(15, 15),
                                                           closed_extra=frozenset())], ids=["default", "other"])
def test_hours_between_is_the_plain_sum_to_the_float(calendar):
    rng = random.Random(2412)
    for start, end in moments(rng, 4000):
        expected = plain_hours(calendar, start, end)
        assert calendar.hours_between(utc_microseconds(start), utc_microseconds(end)) == expected, (start, end)
        # As the statistics call it, with the day of the start already known.
        fast = calendar.hours_between(utc_microseconds(start), utc_microseconds(end),
                                      local_day(utc_microseconds(start)))
        assert fast == expected, (start, end)


def test_local_day_is_the_copenhagen_date():
    rng = random.Random(2413)
    for start, _end in moments(rng, 4000):
        assert local_day(utc_microseconds(start)) == start.astimezone(CPH).date().toordinal(), start
    # Each side of midnight in winter (UTC+1) and in summer (UTC+2).
    for moment, day in [(datetime(2026, 1, 14, 22, 59, 59, tzinfo=timezone.utc), date(2026, 1, 14)),
                        (datetime(2026, 1, 14, 23, tzinfo=timezone.utc), date(2026, 1, 15)),
                        (datetime(2026, 7, 14, 21, 59, 59, tzinfo=timezone.utc), date(2026, 7, 14)),
                        (datetime(2026, 7, 14, 22, tzinfo=timezone.utc), date(2026, 7, 15))]:
        assert local_day(utc_microseconds(moment)) == day.toordinal()
