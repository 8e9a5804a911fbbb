"""Retention of everything (``portal purge``, run daily): each kind of data
is kept as long as its purpose needs and then deleted, emptied or
anonymised. The rules live by domain (services/retention_threads.py,
services/anonymise.py, services/retention_tracks.py); this module reads the
settings, runs them in order and writes one audit event with the counts.

The defaults (portal/config.py) and why:

- THREAD_RETENTION_DAYS = 90: an anonymous question and its answers are
  deleted 90 days after the newest message from either side (a new message
  restarts the clock). The family reads the answer with its code within
  days; three months leave room for a follow-up question, and nobody can
  be asked whether they still want it (we do not know who they are). The
  code stops working; a coded stub of the inquiry stays, closed, so the
  number of questions and their answer times do not change
  (services/retention_threads.py). The family is told on the page with
  the code and on the thread page.
- CONTACT_RETENTION_DAYS_AFTER_CLOSE = 30: a phone number or e-mail is
  erased a month after the inquiry or its case was closed (time to call
  back once after a closure, to hand over a survey slip), and never later
  than its erase_after (CONTACT_RETENTION_MONTHS from the consent),
  whichever comes first; never while a case on it is open before erase_after.
- CASE_RETENTION_MONTHS = 24: a closed case is anonymised two years after
  it closed: families come back (a second child, a new crisis), and the
  partnership's evaluation and its likely extension compare years. What
  stays is coded (services/anonymise.py), so the figures do not change.
- REFERRAL_RETENTION_DAYS_AFTER_CLOSE = 180: a contact request or a
  referral closed without becoming a case (not reached, declined) loses its
  messages, attempt notes and the referrer's feedback line half a year
  after closing: the midwife's status view and two rounds of the monthly
  status mail have shown the outcome by then. The row and its codes stay.
- SPARRING_RETENTION_DAYS = 180: a sparring thread's messages go half a
  year after the newest one; the professional may come back to the advice
  within a pregnancy. The row stays because sparring is counted.
- ACTIVITY_RETENTION_DAYS = 365: a past activity keeps its photo (which
  may show people) and contact line for a year after its last date, so an
  association can plan next year's outing from it and report late counts;
  then an activity nothing is counted on is deleted, and one with use
  counts or case referrals keeps only its row and its numbers.
- COURSE_RETENTION_DAYS_AFTER_END = 180: the reasons a family was proposed
  for a course (sensitive text), who proposed and decided, and enrolments
  that never counted are removed half a year after the course ended (time
  for follow-up and the half-yearly report); statuses, stay dates and
  attendance stay for the spor 2 figures.
- SURVEY_TEXT_RETENTION_DAYS = 365: the free text of a survey answer is
  erased a year after its month ended, after the yearly report has quoted
  it; the coded answers stay for the figures. Expired survey links are
  deleted on the day after their last day, as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.models.base import utcnow
from portal.services import anonymise, audit
from portal.services import retention_threads as threads
from portal.services import retention_tracks as tracks
from portal.services.deadlines import DEFAULT as DEFAULT_PROMISES
from portal.services.workdays import Calendar, local_date

ACTION = "retention.purge"
# The kinds a run counts, in the order they run (contact details first, so
# a case anonymised on the same day finds them gone already).
KINDS = ("contact_details", "anonymous_threads", "cases", "requests", "sparring", "activities_deleted",
         "activities_stripped", "courses", "survey_texts", "survey_invitations")


@dataclass(frozen=True)
class Policy:
    """How long each kind is kept (the settings of the same names)."""

    thread_days: int = 90
    contact_days_after_close: int = 30
    case_months: int = 24
    referral_days_after_close: int = 180
    sparring_days: int = 180
    activity_days: int = 365
    course_days_after_end: int = 180
    survey_text_days: int = 365

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Policy:
        """From THREAD_RETENTION_DAYS, CONTACT_RETENTION_DAYS_AFTER_CLOSE, CASE_RETENTION_MONTHS, ..."""
        names = {"thread_days": "THREAD_RETENTION_DAYS",
                 "contact_days_after_close": "CONTACT_RETENTION_DAYS_AFTER_CLOSE",
                 "case_months": "CASE_RETENTION_MONTHS",
                 "referral_days_after_close": "REFERRAL_RETENTION_DAYS_AFTER_CLOSE",
                 "sparring_days": "SPARRING_RETENTION_DAYS", "activity_days": "ACTIVITY_RETENTION_DAYS",
                 "course_days_after_end": "COURSE_RETENTION_DAYS_AFTER_END",
                 "survey_text_days": "SURVEY_TEXT_RETENTION_DAYS"}
        defaults = cls()
        values = {field: int(settings.get(name, getattr(defaults, field))) for field, name in names.items()}
        if any(value < 0 for value in values.values()):
            raise ValueError("retention settings must be 0 or more")
        return cls(**values)


def purge(db: Session, policy: Policy | None = None, *, now: datetime | None = None, dry_run: bool = False,
          calendar: Calendar | None = None) -> dict[str, int]:
    """Run every rule at ``now``; return how many of each kind were (with
    ``dry_run``: would be) deleted, emptied or anonymised. A dry run reads
    only. A real run that changed anything adds one audit event holding
    these counts, nothing else; a run with nothing due adds none."""
    policy = policy or Policy()
    now = now or utcnow()
    today = local_date(now)
    calendar = calendar or DEFAULT_PROMISES.calendar
    steps: list[tuple[str, Any, Any]] = [
        ("contact_details", lambda: threads.due_contact_details(db, now=now, today=today,
                                                                days=policy.contact_days_after_close),
         lambda ids: threads.erase_contact_details(db, ids)),
        ("anonymous_threads", lambda: threads.due_anonymous_threads(db, now=now, days=policy.thread_days),
         lambda ids: threads.delete_threads(db, ids, now=now, days=policy.thread_days, calendar=calendar)),
        ("cases", lambda: anonymise.due_cases(db, today=today, months=policy.case_months),
         lambda ids: anonymise.anonymise_cases(db, ids, today=today, calendar=calendar)),
        ("requests", lambda: threads.due_requests(db, now=now, days=policy.referral_days_after_close),
         lambda ids: threads.strip_requests(db, ids)),
        ("sparring", lambda: threads.due_sparring(db, now=now, days=policy.sparring_days),
         lambda ids: threads.strip_sparring(db, ids, now=now, days=policy.sparring_days)),
        ("courses", lambda: tracks.due_courses(db, today=today, days=policy.course_days_after_end),
         lambda ids: tracks.strip_courses(db, ids, today=today)),
        ("survey_texts", lambda: tracks.due_survey_texts(db, today=today, days=policy.survey_text_days),
         lambda ids: tracks.erase_survey_texts(db, ids)),
        ("survey_invitations", lambda: tracks.due_invitations(db, today=today),
         lambda ids: tracks.delete_invitations(db, ids)),
    ]
    counts = dict.fromkeys(KINDS, 0)
    db.flush()
    for kind, find, act in steps:
        ids = find()
        counts[kind] = len(ids)
        if ids and not dry_run:
            done = act(ids)
            if done is not None:  # the rules that re-check at the delete report what they did
                counts[kind] = done
    unused, used = tracks.due_activities(db, today=today, days=policy.activity_days)
    counts["activities_deleted"], counts["activities_stripped"] = len(unused), len(used)
    if not dry_run:
        tracks.delete_activities(db, unused)
        tracks.strip_activities(db, used)
    if any(counts.values()) and not dry_run:
        audit.record(db, None, ACTION, object_type="retention", details=counts)
        db.flush()
        db.expire_all()  # the bulk statements bypassed the objects already loaded
    return counts
