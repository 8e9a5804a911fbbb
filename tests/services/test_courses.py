"""Spor 2's services directly: states, the waiting order, stays with rooms
per night, attendance and its two-missed flag, the evaluation's counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.models import Inquiry
from portal.services import ServiceError, admissions, attendance, course_stats, courses
from tests.factories import make_case, make_contact_request, make_counsellor, make_referral, make_referrer

DAY = date(2027, 3, 1)


def _course(db, user, **extra):
    details = {"title": "Økonomi i hverdagen", "theme": "economy", "form": "group", "audience": "both",
               "language": "da", "place_kind": "mh", "capacity": 2, **extra}
    return courses.create_course(db, user, courses.CourseDetails(**details))


def _family(db, user, **contact) -> Inquiry:
    case = make_case(db, user, make_contact_request(db, **contact))
    return db.get(Inquiry, case.inquiry_id)


def test_states_move_forward_only(db_session):
    lead = make_counsellor(db_session, role="lead")
    course = _course(db_session, lead)
    assert course.status == "planned"
    with pytest.raises(ServiceError):
        courses.set_status(db_session, lead, course, "finished")
    for state in ("open", "running", "finished"):
        courses.set_status(db_session, lead, course, state)
    with pytest.raises(ServiceError):
        courses.add_session(db_session, lead, course, held_on=DAY)
    with pytest.raises(ServiceError):
        _course(db_session, lead, capacity=0)
    with pytest.raises(ServiceError):
        _course(db_session, lead, form="stay")  # a stay needs its longest stay in nights


def test_waiting_order_and_a_freed_place_goes_to_the_first_waiting(db_session):
    user = make_counsellor(db_session)
    course = _course(db_session, user)
    families = [admissions.propose(db_session, user, course, _family(db_session, user), reason="Gæld")
                for _ in range(5)]
    assert [admissions.admit(db_session, user, course, e) for e in families] == [
        "enrolled", "enrolled", "waitlisted", "waitlisted", "waitlisted"]
    assert [e.waitlist_number for e in admissions.waiting_list(db_session, course)] == [1, 2, 3]
    with pytest.raises(ServiceError):  # proposed twice
        admissions.propose(db_session, user, course, families[0].inquiry, reason="Igen")
    admissions.decline(db_session, user, course, families[2])  # a waiting family declined: no place freed
    assert families[3].waitlist_number == 2 and admissions.place_in_line(db_session, families[3]) == 1
    moved = admissions.withdraw(db_session, user, course, families[0])
    assert moved == [families[3]] and families[3].status == "enrolled" and families[3].auto_admitted_at
    assert families[0].status == "withdrawn"  # left before the course began
    # More places: the waiting family gets one too.
    details = courses.details_of(course)
    details.capacity = 3
    courses.update_course(db_session, user, course, details)
    assert families[4].status == "enrolled"
    with pytest.raises(ServiceError):
        details.capacity = 1
        courses.update_course(db_session, user, course, details)
    notices = admissions.notices_for(db_session, user)
    assert {e.id for e in notices} == {families[3].id, families[4].id}


def test_referrer_proposes_only_her_own_referrals(db_session):
    counsellor = make_counsellor(db_session)
    midwife, other = make_referrer(db_session), make_referrer(db_session)
    own, others = make_referral(db_session, midwife), make_referral(db_session, other)
    course = _course(db_session, counsellor)
    assert [f.inquiry_id for f in admissions.proposable_families(db_session, midwife)] == [own.id]
    with pytest.raises(ServiceError):
        admissions.propose(db_session, midwife, course, others, reason="Netværk")
    enrollment = admissions.propose(db_session, midwife, course, own, reason="Netværk")
    with pytest.raises(ServiceError):  # only a counsellor admits
        admissions.admit(db_session, midwife, course, enrollment)
    assert [e.id for e in admissions.own_families(db_session, midwife)] == [enrollment.id]
    assert admissions.own_families(db_session, other) == []


def test_stays_count_rooms_per_night(db_session):
    user = make_counsellor(db_session)
    stay = _course(db_session, user, form="stay", capacity=2, max_nights=14)

    def propose(first: int, nights: int):
        return admissions.propose(db_session, user, stay, _family(db_session, user), reason="Ro efter fødslen",
                                  arrives_on=DAY + timedelta(days=first),
                                  leaves_on=DAY + timedelta(days=first + nights))

    with pytest.raises(ServiceError):  # longer than the longest stay
        propose(0, 15)
    a, b, c, d = propose(0, 5), propose(2, 5), propose(3, 3), propose(6, 3)
    assert [admissions.admit(db_session, user, stay, e) for e in (a, b, c, d)] == [
        "enrolled", "enrolled", "waitlisted", "enrolled"]  # nights 2-4 are full; d's nights are not
    nights = admissions.free_nights(db_session, stay, DAY, DAY + timedelta(days=8))
    assert [n.free for n in nights] == [1, 1, 0, 0, 0, 1, 0, 1]
    details = courses.details_of(stay)
    details.capacity = 1
    with pytest.raises(ServiceError):  # two rooms are taken on nights 2-4
        courses.update_course(db_session, user, stay, details)
    # a leaves: c's nights (3-5) fit now.
    assert admissions.withdraw(db_session, user, stay, a) == [c]
    figures = course_stats.figures(db_session, date_from=DAY, date_to=DAY + timedelta(days=30))
    assert figures["counts"]["stay_nights_used"] == 5 + 3 + 3
    assert figures["courses"][0]["nights_used"] == 11 and figures["counts"]["stay_offers"] == 1


def test_two_missed_sessions_in_a_row_flag_the_family_until_it_comes(db_session):
    user = make_counsellor(db_session)
    course = _course(db_session, user, capacity=3)
    sessions = [courses.add_session(db_session, user, course, held_on=DAY + timedelta(days=7 * i)) for i in range(3)]
    came, missed = (admissions.propose(db_session, user, course, _family(db_session, user), reason="Netværk")
                    for _ in range(2))
    for e in (came, missed):
        admissions.admit(db_session, user, course, e)
    attendance.record(db_session, user, course, sessions[0], {came.id})
    assert missed.missed_flag_at is None
    attendance.record(db_session, user, course, sessions[1], {came.id})
    assert missed.missed_flag_at is not None and came.missed_flag_at is None
    assert missed in admissions.notices_for(db_session, user)
    attendance.record(db_session, user, course, sessions[2], {came.id, missed.id})
    assert missed.missed_flag_at is None
    # A family admitted later is not marked for the sessions before it came.
    late = admissions.propose(db_session, user, course, _family(db_session, user), reason="Netværk")
    admissions.admit(db_session, user, course, late)
    assert late not in attendance.expected(course, sessions[0])
    attendance.record(db_session, user, course, sessions[0], {came.id})  # corrected: missed was not there
    assert late.attendance == [] and attendance.rate_of(missed).marked == 3
    assert attendance.rate_of(came).percent == 100 and attendance.rate_of(missed).percent == 33
    assert attendance.course_rate(course).percent == 67


def test_counts_follow_the_period_and_the_familys_hospital(db_session):
    user = make_counsellor(db_session)
    course = _course(db_session, user, capacity=3)
    courses.add_session(db_session, user, course, held_on=DAY)
    rh = admissions.propose(db_session, user, course, _family(db_session, user, hospital_code="rh"), reason="x")
    hgh = admissions.propose(db_session, user, course, _family(db_session, user, hospital_code="hgh"), reason="y")
    for e in (rh, hgh):
        admissions.admit(db_session, user, course, e)
    db_session.flush()
    rh_id = rh.inquiry.hospital_id
    assert course_stats.figures(db_session, date_from=DAY, date_to=DAY)["counts"]["admitted"] == 2
    at_rh = course_stats.figures(db_session, date_from=DAY, date_to=DAY, hospital_id=rh_id)
    assert at_rh["n"] == 1 and at_rh["counts"]["admitted"] == 1
    cancelled = _course(db_session, user)
    courses.add_session(db_session, user, cancelled, held_on=DAY)
    courses.set_status(db_session, user, cancelled, "cancelled")
    assert course_stats.figures(db_session, date_from=DAY, date_to=DAY)["n"] == 1  # a cancelled course is not counted
    before = course_stats.figures(db_session, date_from=DAY - timedelta(days=30), date_to=DAY - timedelta(days=1))
    assert before["n"] == 0 and before["counts"]["admitted"] == 0 and before["attendance_rate"] is None
