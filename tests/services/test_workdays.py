"""Working days with a frozen clock: weekends, Easter, Christmas, a Friday
afternoon; and the due time each kind of inquiry gets when it arrives."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from portal.models import InquiryKind
from portal.services import deadlines, sparring
from portal.services.deadlines import Promises
from portal.services.workdays import Calendar, parse_hours
from tests.factories import make_contact_request, make_inquiry, make_referral, make_referrer

CPH = ZoneInfo("Europe/Copenhagen")
CALENDAR = Calendar()  # 09-16, closed on Christmas Eve, New Year's Eve, Constitution Day
QUESTION, CALL_BACK = InquiryKind.ANONYMOUS_QUESTION.value, InquiryKind.SELF_REFERRAL.value


def cph(*parts: int) -> datetime:
    """A Copenhagen wall-clock moment."""
    return datetime(*parts, tzinfo=CPH)


def closing(day: date) -> datetime:
    """16:00 in Copenhagen on ``day``."""
    return datetime.combine(day, time(16), tzinfo=CPH)


@pytest.mark.parametrize("arrived, days, due_on", [
    # Monday morning in opening hours: counting starts on Tuesday.
    (cph(2026, 11, 23, 10), 3, date(2026, 11, 26)),
    # Before opening, the day itself counts.
    (cph(2026, 11, 23, 8, 30), 3, date(2026, 11, 25)),
    # A Friday afternoon: the weekend does not count.
    (cph(2026, 11, 27, 15, 30), 3, date(2026, 12, 2)),
    (cph(2026, 11, 27, 15, 30), 2, date(2026, 12, 1)),
    # After closing on Friday, and on Saturday: the same Wednesday.
    (cph(2026, 11, 27, 18), 3, date(2026, 12, 2)),
    (cph(2026, 11, 28, 11), 3, date(2026, 12, 2)),
    # Easter 2026: Maundy Thursday 2 April to Easter Monday 6 April.
    (cph(2026, 4, 1, 10), 3, date(2026, 4, 9)),
    # Ascension Day, Thursday 14 May 2026.
    (cph(2026, 5, 13, 12), 1, date(2026, 5, 15)),
    # Christmas: Christmas Eve closed, then the 25th and 26th; New Year's Eve and Day.
    (cph(2026, 12, 23, 12), 2, date(2026, 12, 29)),
    (cph(2026, 12, 30, 10), 3, date(2027, 1, 6)),
    # Constitution Day, Friday 5 June 2026.
    (cph(2026, 6, 4, 12), 1, date(2026, 6, 8)),
    # Across the change to summer time (29 March 2026).
    (cph(2026, 3, 27, 12), 3, date(2026, 4, 1)),
])
def test_due_is_closing_time_of_the_last_working_day(arrived, days, due_on):
    assert CALENDAR.due(arrived, days) == closing(due_on)


def test_the_extra_closed_days_are_a_setting():
    open_at_christmas = Calendar.from_settings({"OPENING_HOURS": "9-16", "CLOSED_DAYS": []})
    assert open_at_christmas.due(cph(2026, 12, 23, 12), 2) == closing(date(2026, 12, 28))
    assert open_at_christmas.is_working_day(date(2026, 6, 5))
    assert not open_at_christmas.is_working_day(date(2026, 12, 25))
    only_eve = Calendar.from_settings({"OPENING_HOURS": "9-16", "CLOSED_DAYS": ["christmas_eve"]})
    assert only_eve.is_working_day(date(2026, 12, 31)) and not only_eve.is_working_day(date(2026, 12, 24))
    with pytest.raises(ValueError, match="unknown closed days"):
        Calendar.from_settings({"CLOSED_DAYS": ["midsummer"]})


def test_opening_hours_come_from_the_setting():
    early = Calendar.from_settings({"OPENING_HOURS": "08:00-15:30"})
    assert (early.opening, early.closing, early.hours_per_day) == (time(8), time(15, 30), 7.5)
    assert early.due(cph(2026, 11, 23, 7, 59), 1) == cph(2026, 11, 23, 15, 30)
    for bad in ("16-9", "nine to four", ""):
        with pytest.raises(ValueError):
            parse_hours(bad)


@pytest.mark.parametrize("start, end, hours", [
    (cph(2026, 11, 23, 10), cph(2026, 11, 23, 12, 30), 2.5),
    (cph(2026, 11, 23, 7), cph(2026, 11, 23, 20), 7.0),
    # Friday 15:00 to Monday 10:00: one hour each side of the weekend.
    (cph(2026, 11, 27, 15), cph(2026, 11, 30, 10), 2.0),
    # Across Easter: Wednesday 15:00 to the Tuesday after, 10:00.
    (cph(2026, 4, 1, 15), cph(2026, 4, 7, 10), 2.0),
    (cph(2026, 11, 23, 12), cph(2026, 11, 23, 11), 0.0),
])
def test_working_hours_between_two_moments(start, end, hours):
    assert CALENDAR.working_hours(start, end) == pytest.approx(hours)


def test_working_days_between_skips_weekends_and_holidays():
    assert CALENDAR.working_days_between(date(2026, 11, 27), date(2026, 11, 30)) == 1
    assert CALENDAR.working_days_between(date(2026, 4, 1), date(2026, 4, 7)) == 1
    assert CALENDAR.working_days_between(date(2026, 11, 30), date(2026, 11, 30)) == 0


def test_each_kind_gets_its_promise_when_it_arrives(db_session):
    friday = cph(2026, 11, 27, 15, 30)
    question, _code = make_inquiry(db_session, now=friday)
    call_back = make_contact_request(db_session, now=friday)
    midwife = make_referrer(db_session)
    referral = make_referral(db_session, midwife, now=friday)
    urgent = make_referral(db_session, midwife, now=friday, urgent=True)
    asked = sparring.ask(db_session, midwife, "Hvordan søger en studerende barselsdagpenge?", now=friday)
    assert question.due_at == closing(date(2026, 12, 2))     # ANSWER_WORKING_DAYS = 3
    assert asked.due_at == closing(date(2026, 12, 2))        # sparring is answered like a question
    assert call_back.due_at == closing(date(2026, 12, 1))    # CONTACT_RESPONSE_WORKING_DAYS = 2
    assert referral.due_at == closing(date(2026, 12, 1))
    assert urgent.due_at == closing(date(2026, 12, 1))       # URGENT_RESPONSE_WORKING_DAYS = 2
    assert question.created_at == friday


def test_urgent_referrals_keep_two_days_when_calls_get_more(db_session):
    promises = Promises.from_settings({"ANSWER_WORKING_DAYS": 5, "CONTACT_RESPONSE_WORKING_DAYS": 4,
                                       "URGENT_RESPONSE_WORKING_DAYS": 2, "OPENING_HOURS": "09:00-16:00"})
    monday = cph(2026, 11, 23, 11)
    assert promises.due_at(QUESTION, monday) == closing(date(2026, 11, 30))
    assert promises.due_at(CALL_BACK, monday) == closing(date(2026, 11, 27))
    assert promises.due_at(InquiryKind.PROFESSIONAL_REFERRAL.value, monday, urgent=True) == closing(date(2026, 11, 25))


def test_the_app_settings_reach_the_stored_due_time(make_app):
    from portal import db
    app = make_app(ANSWER_WORKING_DAYS=1, OPENING_HOURS="08:00-14:00")
    with app.test_request_context():
        from portal.blueprints.common import promises
        assert promises().due_at(QUESTION, cph(2026, 11, 23, 7)) == cph(2026, 11, 23, 14)
    client = app.test_client()
    assert client.post("/da/ask", data={"question": "Et spørgsmål om boligstøtte"}).status_code == 200
    with app.app_context():
        from portal.models import Inquiry
        stored = db.session().query(Inquiry).one()
        assert stored.due_at.astimezone(CPH).time() == time(14)


def test_due_state_names_overdue_and_due_today(db_session):
    question, _code = make_inquiry(db_session, now=cph(2026, 11, 23, 10))  # due Thursday 26th
    assert deadlines.due_state(question, cph(2026, 11, 24, 12), CALENDAR).code == deadlines.DUE_LATER
    assert deadlines.due_state(question, cph(2026, 11, 26, 9), CALENDAR).code == deadlines.DUE_TODAY
    late = deadlines.due_state(question, cph(2026, 11, 30, 9), CALENDAR)   # Friday and Monday
    assert (late.code, late.late_working_days) == (deadlines.OVERDUE, 2)
    question.first_response_at = cph(2026, 11, 26, 15, 59)
    assert deadlines.due_state(question, cph(2026, 11, 30, 9), CALENDAR).code == deadlines.KEPT
    question.first_response_at = cph(2026, 11, 27, 10)
    missed = deadlines.due_state(question, cph(2026, 11, 30, 9), CALENDAR)
    assert (missed.code, missed.late_working_days) == (deadlines.MISSED, 1)


def test_a_closed_inquiry_without_a_response_is_not_overdue(db_session):
    from portal.services import triage
    from tests.factories import make_counsellor
    question, _code = make_inquiry(db_session, now=cph(2026, 11, 23, 10))
    counsellor = make_counsellor(db_session)
    triage.claim(db_session, counsellor, question.id)
    triage.close(db_session, counsellor, question, "other")
    assert deadlines.due_state(question, cph(2026, 11, 30, 9), CALENDAR).code == deadlines.CLOSED_UNANSWERED
