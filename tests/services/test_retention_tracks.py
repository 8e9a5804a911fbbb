"""Retention of referrals, sparring, activities (spor 3), courses (spor 2)
and survey free text, with a frozen clock: one just inside and one just
outside each limit, and the figures that read them unchanged."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, time, timedelta, timezone

from PIL import Image
from sqlalchemy import func, select

from portal.models import (
    Activity,
    ActivityPhoto,
    ActivityUsage,
    ContactAttempt,
    Enrollment,
    Inquiry,
    Message,
    SurveyResponse,
)
from portal.services import (
    activities,
    activity_photos,
    admissions,
    attendance,
    cases,
    course_stats,
    courses,
    referrals,
    retention,
    sparring,
    stats,
    surveys,
    triage,
)
from portal.services.workdays import LOCAL_TIME
from tests.activity_factories import make_activity, make_association
from tests.factories import make_case, make_contact_request, make_counsellor, make_referral, make_referrer

POLICY = retention.Policy()
T0 = datetime(2025, 3, 10, 11, 0, tzinfo=timezone.utc)
SECOND = timedelta(seconds=1)


def _at_local(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=LOCAL_TIME).astimezone(timezone.utc)


def _count(db, model, *where) -> int:
    return db.scalar(select(func.count()).select_from(model).where(*where))


# --- referrals and requests closed without a case -----------------------------------

def _closed_referral(db, counsellor, referrer, at: datetime) -> int:
    inquiry = make_referral(db, referrer, now=at)
    inquiry = triage.claim(db, counsellor, inquiry.id)
    triage.log_attempt(db, counsellor, inquiry, method="phone", reached=False, note="Telefonsvarer", at=at)
    referrals.give_feedback(db, counsellor, inquiry, code="not_reached_yet", text="Vi prøver igen i morgen")
    triage.close(db, counsellor, inquiry, "no_contact")
    inquiry.closed_at = at
    db.flush()
    return inquiry.id


def test_a_referral_closed_without_a_case_loses_its_texts_after_180_days(db_session):
    counsellor, referrer = make_counsellor(db_session), make_referrer(db_session)
    inside = _closed_referral(db_session, counsellor, referrer, T0)
    outside = _closed_referral(db_session, counsellor, referrer, T0 + SECOND)
    with_case = make_case(db_session, counsellor, make_referral(db_session, referrer, now=T0))
    now = T0 + timedelta(days=180)
    before = json.dumps(stats.figures(db_session, date_from=date(2025, 3, 1), date_to=date(2025, 3, 31)))
    assert retention.purge(db_session, POLICY, now=now)["requests"] == 1
    notes = dict(db_session.execute(select(ContactAttempt.inquiry_id, ContactAttempt.note)).all())
    assert (notes[inside], notes[outside]) == (None, "Telefonsvarer")
    stripped, kept = db_session.get(Inquiry, inside), db_session.get(Inquiry, outside)
    assert (stripped.feedback_text, stripped.feedback_code, kept.feedback_text) == (
        None, "not_reached_yet", "Vi prøver igen i morgen")
    assert stripped.attempt_count == 1 and db_session.get(Inquiry, with_case.inquiry_id) is not None
    assert json.dumps(stats.figures(db_session, date_from=date(2025, 3, 1), date_to=date(2025, 3, 31))) == before
    assert retention.purge(db_session, POLICY, now=now + SECOND)["requests"] == 1
    assert retention.purge(db_session, POLICY, now=now + timedelta(days=1))["requests"] == 0


# --- sparring -------------------------------------------------------------------------

def test_a_sparring_thread_loses_its_messages_180_days_after_the_last_one(db_session):
    referrer = make_referrer(db_session)
    inside = sparring.ask(db_session, referrer, "Hvordan hjælper jeg en familie med huslejen?", now=T0).id
    outside = sparring.ask(db_session, referrer, "Hvad gør vi, når far ikke vil tale med os?", now=T0 + SECOND).id
    now = T0 + timedelta(days=180)
    assert retention.purge(db_session, POLICY, now=now - SECOND)["sparring"] == 0
    assert retention.purge(db_session, POLICY, now=now)["sparring"] == 1
    assert (_count(db_session, Message, Message.inquiry_id == inside),
            _count(db_session, Message, Message.inquiry_id == outside)) == (0, 1)
    assert db_session.get(Inquiry, inside) is not None  # counted as sparring still
    assert retention.purge(db_session, POLICY, now=now)["sparring"] == 0


# --- spor 3: activities ---------------------------------------------------------------

def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 100, 50)).save(out, format="PNG")
    return out.getvalue()


def test_a_past_activity_goes_a_year_after_its_last_date_and_its_counts_stay(db_session):
    lead = make_counsellor(db_session, role="lead")
    association = make_association(db_session, lead=lead)
    day = date(2025, 3, 1)
    unused = make_activity(db_session, association, starts_on=day)
    used = make_activity(db_session, association, starts_on=day, join_method="contact",
                         join_contact="Ring til Testperson på 12 34 56 78")
    later = make_activity(db_session, association, starts_on=day + timedelta(days=1))
    for activity in (unused, used, later):
        activity_photos.set_photo(db_session, lead, activity, _png(), alt_text="Familier i haven")
    activities.record_usage(db_session, lead, used, day, families=4, adults=6, children=5, via_partnership=2)
    ids = (unused.id, used.id, later.id)
    before = stats.figures(db_session, date_from=date(2025, 3, 1), date_to=date(2025, 3, 31))["spor3"]
    assert not any(retention.purge(db_session, POLICY, now=_at_local(day + timedelta(days=364))).values())
    counts = retention.purge(db_session, POLICY, now=_at_local(day + timedelta(days=365)))
    assert (counts["activities_deleted"], counts["activities_stripped"]) == (1, 1)
    assert db_session.get(Activity, ids[0]) is None
    stripped = db_session.get(Activity, ids[1])
    assert (stripped.photo, stripped.join_contact, stripped.title) == (None, None, "Tur i Zoologisk Have")
    assert _count(db_session, ActivityUsage) == 1 and _count(db_session, ActivityPhoto) == 1
    assert stats.figures(db_session, date_from=date(2025, 3, 1), date_to=date(2025, 3, 31))["spor3"] == before
    assert not any(retention.purge(db_session, POLICY, now=_at_local(day + timedelta(days=365))).values())


def test_a_weekly_activity_counts_from_its_last_repeat(db_session):
    association = make_association(db_session)
    first = date(2025, 3, 1)
    weekly = make_activity(db_session, association, starts_on=first, weekly=True,
                           repeat_until=first + timedelta(days=70))
    last = first + timedelta(days=70)
    assert retention.purge(db_session, POLICY, now=_at_local(last + timedelta(days=364)))["activities_deleted"] == 0
    assert retention.purge(db_session, POLICY, now=_at_local(last + timedelta(days=365)))["activities_deleted"] == 1
    assert _count(db_session, Activity, Activity.id == weekly.id) == 0


# --- spor 2: courses ------------------------------------------------------------------

def _finished_course(db, lead, held_on: date):
    course = courses.create_course(db, lead, courses.CourseDetails(
        title="Økonomi i hverdagen", theme="economy", form="group", audience="both", language="da",
        place_kind="mh", capacity=4))
    courses.set_status(db, lead, course, "open")
    session = courses.add_session(db, lead, course, held_on=held_on)
    came = admissions.propose(db, lead, course, db.get(Inquiry, make_case(db, lead).inquiry_id),
                              reason="Har brug for hjælp til budget")
    admissions.admit(db, lead, course, came)
    admissions.propose(db, lead, course, db.get(Inquiry, make_case(db, lead).inquiry_id),
                       reason="Måske senere")
    courses.set_status(db, lead, course, "running")
    attendance.record(db, lead, course, session, {came.id})
    courses.set_status(db, lead, course, "finished")
    db.flush()
    return course


def test_an_ended_course_keeps_what_the_figures_count_180_days_after_its_last_session(db_session):
    lead = make_counsellor(db_session, role="lead")
    held_on = date(2025, 3, 4)
    course = _finished_course(db_session, lead, held_on)
    period = dict(date_from=date(2025, 3, 1), date_to=date(2025, 3, 31))
    before = course_stats.figures(db_session, **period)
    assert before["counts"]["completed"] == 1 and before["counts"]["present"] == 1
    assert retention.purge(db_session, POLICY, now=_at_local(held_on + timedelta(days=179)))["courses"] == 0
    assert retention.purge(db_session, POLICY, now=_at_local(held_on + timedelta(days=180)))["courses"] == 1
    enrollments = db_session.scalars(select(Enrollment).where(Enrollment.course_id == course.id)).all()
    assert [(e.status, e.reason, e.proposed_by_id, e.decided_by_id) for e in enrollments] == [
        ("completed", "", None, None)]
    assert course_stats.figures(db_session, **period) == before
    assert retention.purge(db_session, POLICY, now=_at_local(held_on + timedelta(days=400)))["courses"] == 0


# --- survey free text -----------------------------------------------------------------

def test_survey_free_text_goes_a_year_after_its_month_and_the_answers_stay(db_session):
    counsellor = make_counsellor(db_session)
    case = make_case(db_session, counsellor, make_contact_request(db_session, hospital_code="rh"))
    cases.update_evaluation(db_session, counsellor, case, {"closure_reason": "completed", "closed_on": date.today()})
    _invitation, code = surveys.offer_family_survey(db_session, counsellor, case, language="da")
    response = surveys.answer(db_session, code, kind="family", answers={"helped": "agree"},
                              free_text="Rådgiveren var sød", language="da")
    year, month = map(int, response.month.split("-"))
    next_month = date(year + month // 12, month % 12 + 1, 1)
    ident = response.id
    assert retention.purge(db_session, POLICY,
                           now=_at_local(next_month + timedelta(days=364)))["survey_texts"] == 0
    assert retention.purge(db_session, POLICY, now=_at_local(next_month + timedelta(days=365)))["survey_texts"] == 1
    kept = db_session.get(SurveyResponse, ident)
    assert (kept.free_text, kept.answers) == (None, {"helped": "agree"})
    assert retention.purge(db_session, POLICY, now=_at_local(next_month + timedelta(days=400)))["survey_texts"] == 0
