"""Working days and working hours in Copenhagen: weekdays that are not
Danish public holidays (the ``holidays`` package), optionally closed on
Christmas Eve, New Year's Eve and Constitution Day, open the hours of
``OPENING_HOURS``.

Pure functions of a ``Calendar`` and the moments given: no clock is read
here, so a test passes ``now`` and nothing depends on the time it runs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays

LOCAL_TIME = ZoneInfo("Europe/Copenhagen")
# Days that are not public holidays in law but on which the counsellors
# may be closed (settings name them; all three by default).
EXTRA_CLOSED_DAYS = {"christmas_eve": (12, 24), "new_years_eve": (12, 31), "constitution_day": (6, 5)}
_HOURS = re.compile(r"\s*(\d{1,2}):?(\d{2})?\s*-\s*(\d{1,2}):?(\d{2})?\s*")


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    """Denmark's public holidays of one year (Sundays among them)."""
    return frozenset(holidays.country_holidays("DK", years=year))


def parse_hours(text: str) -> tuple[time, time]:
    """"9-16" or "09:00-16:00" as (opening, closing); ValueError otherwise."""
    match = _HOURS.fullmatch(text or "")
    if match is None:
        raise ValueError(f"opening hours must look like 09:00-16:00, not {text!r}")
    opening = time(int(match.group(1)), int(match.group(2) or 0))
    closing = time(int(match.group(3)), int(match.group(4) or 0))
    if closing <= opening:
        raise ValueError(f"opening hours must close after they open, not {text!r}")
    return opening, closing


@dataclass(frozen=True)
class Calendar:
    """When the counsellors work."""

    opening: time = time(9)
    closing: time = time(16)
    closed_extra: frozenset[str] = field(default_factory=lambda: frozenset(EXTRA_CLOSED_DAYS))

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Calendar:
        """From OPENING_HOURS ("09:00-16:00") and CLOSED_DAYS (names of EXTRA_CLOSED_DAYS)."""
        opening, closing = parse_hours(settings.get("OPENING_HOURS") or "09:00-16:00")
        closed: Iterable[str] = settings.get("CLOSED_DAYS", EXTRA_CLOSED_DAYS)
        unknown = set(closed) - set(EXTRA_CLOSED_DAYS)
        if unknown:
            raise ValueError(f"unknown closed days {sorted(unknown)}; known: {sorted(EXTRA_CLOSED_DAYS)}")
        return cls(opening=opening, closing=closing, closed_extra=frozenset(closed))

    @property
    def hours_per_day(self) -> float:
        """Length of one working day in hours."""
        return (datetime.combine(date.min, self.closing) - datetime.combine(date.min, self.opening)).seconds / 3600

    def is_working_day(self, day: date) -> bool:
        """A weekday that is neither a public holiday nor a closed extra day."""
        if day.weekday() >= 5 or day in _public_holidays(day.year):
            return False
        return not any((day.month, day.day) == EXTRA_CLOSED_DAYS[name] for name in self.closed_extra)

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def _at(self, day: date, moment: time) -> datetime:
        """A local wall-clock moment on ``day``, in UTC."""
        return datetime.combine(day, moment, tzinfo=LOCAL_TIME).astimezone(timezone.utc)

    def closing_time(self, day: date) -> datetime:
        """Closing time on ``day``, in UTC."""
        return self._at(day, self.closing)

    def due(self, arrived: datetime, working_days: int) -> datetime:
        """Closing time of the last of ``working_days`` whole working days.

        The day of arrival counts only when the inquiry came before opening
        on a working day; otherwise counting starts on the next working
        day. So a question on Monday at 10:00 with three working days is due
        on Thursday at closing time, and one on Friday afternoon on Wednesday."""
        local = arrived.astimezone(LOCAL_TIME)
        day = local.date()
        if not (self.is_working_day(day) and local.time() <= self.opening):
            day = self.next_working_day(day)
        for _ in range(max(working_days, 1) - 1):
            day = self.next_working_day(day)
        return self.closing_time(day)

    def working_hours(self, start: datetime, end: datetime) -> float:
        """Opening hours of working days between two moments, in hours."""
        return self.hours_between(utc_microseconds(start), utc_microseconds(end))

    def hours_between(self, start: int, end: int, day: int | None = None) -> float:
        """Opening hours of working days between two moments given as
        ``utc_microseconds``, in hours. Each day's opening hours are summed
        as seconds, in day order, as the float a timedelta's total_seconds()
        gives (whole microseconds / 10**6): the same float for the same two
        moments, in whole numbers until the last step (the statistics time
        100,000 inquiries). ``day``: the local_day of ``start``, when the caller has it."""
        if end <= start:
            return 0.0
        day, last = local_day(start) if day is None else day, local_day(end)
        known = self._bounds
        if day == last:  # answered the day it came (the loop below, once)
            bounds = known[day] if day in known else self._opening_bounds(known, day)
            if bounds is None:
                return 0.0
            return (0.0 + max(min(end, bounds[1]) - max(start, bounds[0]), 0) / 1_000_000) / 3600
        seconds = 0.0
        while day <= last:
            bounds = known[day] if day in known else self._opening_bounds(known, day)
            if bounds is not None:
                seconds += max(min(end, bounds[1]) - max(start, bounds[0]), 0) / 1_000_000
            day += 1
        return seconds / 3600

    @cached_property
    def _bounds(self) -> dict[int, tuple[int, int] | None]:
        """Each day's opening bounds once computed (``_opening_bounds``), per calendar."""
        return {}

    def _opening_bounds(self, known: dict[int, tuple[int, int] | None], day: int) -> tuple[int, int] | None:
        """Opening and closing time of the day with ordinal ``day`` in
        ``utc_microseconds``, None when it is no working day, remembered in
        ``known`` (100,000 inquiries fall on the same few hundred days)."""
        if len(known) > 50_000:
            known.clear()
        local = date.fromordinal(day)
        known[day] = ((utc_microseconds(self._at(local, self.opening)), utc_microseconds(self.closing_time(local)))
                      if self.is_working_day(local) else None)
        return known[day]

    def working_days_between(self, first: date, last: date) -> int:
        """Working days d with first < d <= last."""
        count, day = 0, first
        while day < last:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


_US = timedelta(microseconds=1)
_EPOCH, _NAIVE_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc), datetime(1970, 1, 1)
_HOUR_US = 3_600_000_000
# The Copenhagen date (ordinal) of each UTC hour seen: offsets are whole hours
# and change on the hour, so a date holds for a whole UTC hour (checked at both
# ends before it is remembered).
_LOCAL_DAYS: dict[int, int] = {}


def local_date(moment: datetime) -> date:
    """The Copenhagen date of a moment."""
    return moment.astimezone(LOCAL_TIME).date()


def utc_microseconds(moment: datetime) -> int:
    """A moment as whole microseconds since 1970 in UTC; a naive one is UTC (as SQLite gives it back)."""
    return (moment - (_NAIVE_EPOCH if moment.tzinfo is None else _EPOCH)) // _US


def local_day(moment: int) -> int:
    """The ordinal of the Copenhagen date of a moment given as ``utc_microseconds``."""
    hour = moment // _HOUR_US
    day = _LOCAL_DAYS.get(hour)
    if day is not None:
        return day
    first = (_EPOCH + timedelta(microseconds=hour * _HOUR_US)).astimezone(LOCAL_TIME).date()
    end = (_EPOCH + timedelta(microseconds=(hour + 1) * _HOUR_US - 1)).astimezone(LOCAL_TIME).date()
    if first != end:  # a zone whose date changes inside this hour: no shortcut
        return (_EPOCH + timedelta(microseconds=moment)).astimezone(LOCAL_TIME).date().toordinal()
    if len(_LOCAL_DAYS) > 200_000:
        _LOCAL_DAYS.clear()
    _LOCAL_DAYS[hour] = first.toordinal()
    return _LOCAL_DAYS[hour]
