"""The promise made to each family: an answer within ANSWER_WORKING_DAYS, a
call within CONTACT_RESPONSE_WORKING_DAYS, an urgent referral within
URGENT_RESPONSE_WORKING_DAYS. ``due_at`` is set once, when the inquiry
arrives, and never recomputed: a change of settings or holidays later must
not move a date a family has already been shown.

The promise is kept by the first response (``Inquiry.first_response_at``):
the first staff answer to a question, the first contact attempt for a
call-back or referral."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from portal.config import Config
from portal.models import Inquiry, InquiryKind, InquiryStatus
from portal.services.workdays import Calendar, local_date

OVERDUE, DUE_TODAY, DUE_LATER, KEPT, MISSED = "overdue", "due_today", "due_later", "kept", "missed"
CLOSED_UNANSWERED = "closed_unanswered"


@dataclass(frozen=True)
class Promises:
    """Working days promised per kind, and the calendar they are counted in."""

    calendar: Calendar = field(default_factory=Calendar)
    answer_days: int = 3
    contact_days: int = 2
    urgent_days: int = 2

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Promises:
        """From the app's configuration (or any mapping of the same names)."""
        return cls(calendar=Calendar.from_settings(settings),
                   answer_days=int(settings["ANSWER_WORKING_DAYS"]),
                   contact_days=int(settings["CONTACT_RESPONSE_WORKING_DAYS"]),
                   urgent_days=int(settings["URGENT_RESPONSE_WORKING_DAYS"]))

    def working_days(self, kind: str, *, urgent: bool = False) -> int:
        """How many working days this kind of inquiry is promised."""
        if kind in (InquiryKind.ANONYMOUS_QUESTION.value, InquiryKind.SPARRING.value):
            return self.answer_days
        if urgent:
            return min(self.urgent_days, self.contact_days)
        return self.contact_days

    def due_at(self, kind: str, arrived: datetime, *, urgent: bool = False) -> datetime:
        """When the first response is due for an inquiry arriving at ``arrived``."""
        return self.calendar.due(arrived, self.working_days(kind, urgent=urgent))


# The promises of the settings in force (PORTAL_* variables over the
# defaults), for callers without an app's configuration at hand; routes pass
# the app's own (blueprints/common.py: promises()).
DEFAULT = Promises.from_settings(Config.from_env())


def promise_kept(inquiry: Inquiry) -> bool | None:
    """True or False once there is a first response; None before."""
    if inquiry.first_response_at is None:
        return None
    return inquiry.first_response_at <= inquiry.due_at


@dataclass(frozen=True)
class DueState:
    """Where an inquiry stands against its promise, for the staff pages."""

    code: str                 # OVERDUE, DUE_TODAY, DUE_LATER, KEPT, MISSED or CLOSED_UNANSWERED
    due_on: date              # the Copenhagen date of due_at
    late_working_days: int = 0  # OVERDUE or MISSED: working days after the due day


def due_state(inquiry: Inquiry, now: datetime, calendar: Calendar) -> DueState:
    """The inquiry's due state at ``now``."""
    due_on = local_date(inquiry.due_at)
    if inquiry.first_response_at is not None:
        late = calendar.working_days_between(due_on, local_date(inquiry.first_response_at))
        return DueState(KEPT if promise_kept(inquiry) else MISSED, due_on, late)
    if inquiry.status == InquiryStatus.CLOSED.value:
        # Closed with no answer or call (a duplicate, a family who withdrew): no longer waiting.
        return DueState(CLOSED_UNANSWERED, due_on)
    if now > inquiry.due_at:
        return DueState(OVERDUE, due_on, calendar.working_days_between(due_on, local_date(now)))
    return DueState(DUE_TODAY if due_on == local_date(now) else DUE_LATER, due_on)
