"""Spor 2 through the pages: a course with three places and four proposed
families — three admitted, one waiting; one leaves and the waiting family
gets the place by itself, which its counsellor sees on the start page;
attendance for two sessions (one family misses both and is flagged to its
counsellor); the course finishes with the right counts."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from portal import db
from portal.models import AuditEvent, Enrollment, User
from portal.services import course_stats
from tests.conftest import login
from tests.factories import make_case, make_contact_request, make_referral

TODAY = date.today()
EN = "en"  # the assertions read the English pages


def _client(app, user):
    client = app.test_client()
    login(app, client, user)
    return client


def _cases(app, user: dict, names: list[str]) -> list[tuple[int, str]]:
    """Open cases for ``user``, one per first name: (inquiry id, label)."""
    with app.app_context():
        sess = db.session()
        holder = sess.get(User, user["id"])
        made = []
        for name in names:
            case = make_case(sess, holder, make_contact_request(sess, nickname=name))
            made.append(case)
        db.commit()
        return [(c.inquiry_id, sess.get(type(c), c.id).inquiry_id and _label(sess, c.inquiry_id)) for c in made]


def _label(sess, inquiry_id: int) -> str:
    from portal.models import Inquiry
    return sess.get(Inquiry, inquiry_id).label


def _enrollment_id(app, inquiry_id: int) -> int:
    with app.app_context():
        return db.session().scalar(select(Enrollment.id).where(Enrollment.inquiry_id == inquiry_id))


def _create_course(lead, **extra) -> int:
    data = {"title": "Netværksgruppe for nye forældre", "description": "Vi mødes og taler om hverdagen.",
            "theme": "network", "form": "group", "audience": "both", "language": "da", "place_kind": "mh",
            "place": "Nørrebrogade 1, 2200 København N", "hospital_id": "", "facilitators": "Rikke, Jonas (frivillig)",
            "capacity": "3", **extra}
    response = lead.post("/staff/courses/new", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return int(re.search(r"/staff/courses/(\d+)", response.headers["Location"]).group(1))


def test_course_flow_capacity_waiting_list_attendance_and_counts(app, make_user):
    lead = _client(app, make_user("lead", name="Lone Leder", language=EN))
    first, second = make_user("counsellor", name="Rikke Rådgiver", language=EN), make_user("counsellor", name="Rasmus Rådgiver", language=EN)
    mine = _cases(app, first, ["Mille", "Sara", "Ayla"])
    theirs = _cases(app, second, ["Oksana"])
    c1, c2 = _client(app, first), _client(app, second)

    course_id = _create_course(lead)
    for offset in (7, 14):
        response = lead.post(f"/staff/courses/{course_id}/sessions",
                             data={"session-held_on": (TODAY + timedelta(days=offset)).isoformat(),
                                   "session-starts_at": "10:00", "session-ends_at": "12:00"})
        assert response.status_code == 303
    assert lead.post(f"/staff/courses/{course_id}/status", data={"status": "open"}).status_code == 303

    # Four families proposed by their counsellors.
    for client, (inquiry_id, _label) in [(c1, mine[0]), (c1, mine[1]), (c1, mine[2]), (c2, theirs[0])]:
        response = client.post(f"/staff/courses/{course_id}/propose",
                               data={"propose-family": str(inquiry_id), "propose-reason": "Savner netværk."})
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    page = lead.get(f"/staff/courses/{course_id}").get_data(as_text=True)
    assert "Mille" in page and "Oksana" in page
    assert "12345678" not in page  # the phone number of the contact request: never on a course

    ids = [_enrollment_id(app, inquiry_id) for inquiry_id, _l in mine + theirs]
    for enrollment_id in ids:
        response = lead.post(f"/staff/courses/{course_id}/enrollments/{enrollment_id}/admit", follow_redirects=True)
        assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "number 1 on the waiting list" in page
    with app.app_context():
        statuses = [db.session().get(Enrollment, i).status for i in ids]
    assert statuses == ["enrolled", "enrolled", "enrolled", "waitlisted"]
    assert _notices(c2) == ""  # nothing to tell yet

    assert lead.post(f"/staff/courses/{course_id}/status", data={"status": "running"}).status_code == 303
    sessions = _session_ids(app, course_id)
    # Session 1: Mille and Ayla came, Sara did not.
    _attend(lead, course_id, sessions[0], [ids[0], ids[2]])
    # Mille leaves; Oksana gets the place by herself.
    response = lead.post(f"/staff/courses/{course_id}/enrollments/{ids[0]}/withdraw", follow_redirects=True)
    assert "The place went to the first on the waiting list" in response.get_data(as_text=True)
    start = _notices(c2)
    assert theirs[0][1] in start and "from the waiting list" in start
    assert theirs[0][1] not in _notices(c1)  # only on her own counsellor's start page

    # Session 2: Ayla and Oksana came; Sara missed both, so her counsellor sees a flag.
    form = lead.get(f"/staff/courses/{course_id}/sessions/{sessions[1]}/attendance").get_data(as_text=True)
    assert "Mille" not in form and "Oksana" in form
    _attend(lead, course_id, sessions[1], [ids[2], ids[3]])
    start = _notices(c1)
    assert mine[1][1] in start and "missed the last two sessions" in start and mine[2][1] not in start

    assert lead.post(f"/staff/courses/{course_id}/status", data={"status": "finished"}).status_code == 303
    with app.app_context():
        sess = db.session()
        statuses = [sess.get(Enrollment, i).status for i in ids]
        figures = course_stats.figures(sess, date_from=TODAY, date_to=TODAY + timedelta(days=30))
        actions = sess.scalars(select(AuditEvent.action)).all()
    assert statuses == ["dropped_out", "completed", "completed", "completed"]
    assert figures["n"] == 1
    assert {k: figures["counts"][k] for k in ("admitted", "completed", "dropped_out", "waiting", "present",
                                              "sessions_marked")} == {
        "admitted": 4, "completed": 3, "dropped_out": 1, "waiting": 0, "present": 4, "sessions_marked": 6}
    assert figures["attendance_rate"] == 67
    assert {"course.create", "enrollment.propose", "enrollment.enrolled", "enrollment.waitlisted",
            "enrollment.withdraw", "enrollment.auto_admit", "course.attendance", "course.view"} <= set(actions)
    page = lead.get(f"/staff/courses/{course_id}").get_data(as_text=True)
    assert "67 %" in page
    # Finished: kept as it was.
    response = lead.post(f"/staff/courses/{course_id}/sessions", data={"session-held_on": TODAY.isoformat()})
    assert response.status_code == 400


def _notices(client) -> str:
    """The start page's box of news about the counsellor's families on courses."""
    page = client.get("/staff/").get_data(as_text=True)
    found = re.search(r'<ul class="course-notices">(.*?)</ul>', page, re.S)
    return found.group(1) if found else ""


def _session_ids(app, course_id: int) -> list[int]:
    from portal.models import CourseSession
    with app.app_context():
        return list(db.session().scalars(select(CourseSession.id).where(CourseSession.course_id == course_id)
                                         .order_by(CourseSession.held_on)))


def _attend(client, course_id: int, session_id: int, present: list[int]) -> None:
    response = client.post(f"/staff/courses/{course_id}/sessions/{session_id}/attendance",
                           data={"present": [str(i) for i in present]})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]


def test_family_sheet_is_in_the_familys_language(app, make_user):
    lead_user = make_user("lead", language=EN)
    lead = _client(app, lead_user)
    with app.app_context():
        sess = db.session()
        case = make_case(sess, sess.get(User, lead_user["id"]),
                         make_contact_request(sess, nickname="Oksana", language="uk", conversation_language="uk"))
        db.commit()
        inquiry_id = case.inquiry_id
    course_id = _create_course(lead)
    lead.post(f"/staff/courses/{course_id}/sessions", data={"session-held_on": "2027-03-04", "session-starts_at": "10:00"})
    lead.post(f"/staff/courses/{course_id}/propose", data={"propose-family": str(inquiry_id), "propose-reason": "Netværk"})
    enrollment_id = _enrollment_id(app, inquiry_id)
    response = lead.get(f"/staff/courses/{course_id}/enrollments/{enrollment_id}/sheet")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and '<html lang="uk"' in page
    assert "Nørrebrogade 1" in page and "2027" in page and "Oksana" in page
    assert "12345678" not in page
    assert '<html lang="ar" dir="rtl"' in lead.get(
        f"/staff/courses/{course_id}/enrollments/{enrollment_id}/sheet?lang=ar").get_data(as_text=True)


def test_a_referrer_proposes_only_families_she_referred_and_sees_only_their_status(app, make_user):
    lead = _client(app, make_user("lead", language=EN))
    midwife_user, other_user = make_user("referrer", name="Jette Jordemoder", language=EN), make_user("referrer", language=EN)
    with app.app_context():
        sess = db.session()
        own = make_referral(sess, sess.get(User, midwife_user["id"]), first_name="Amira")
        others = make_referral(sess, sess.get(User, other_user["id"]), first_name="Louise")
        db.commit()
        own_id, others_id = own.id, others.id
    course_id = _create_course(lead)
    lead.post(f"/staff/courses/{course_id}/status", data={"status": "open"})
    midwife = _client(app, midwife_user)
    form = midwife.get(f"/refer/courses/{course_id}/propose").get_data(as_text=True)
    assert "Amira" in form and "Louise" not in form
    refused = midwife.post(f"/refer/courses/{course_id}/propose", data={"family": str(others_id), "reason": "Netværk"})
    assert refused.status_code == 400
    response = midwife.post(f"/refer/courses/{course_id}/propose", data={"family": str(own_id), "reason": "Netværk"})
    assert response.status_code == 303
    lead.post(f"/staff/courses/{course_id}/enrollments/{_enrollment_id(app, own_id)}/admit")
    page = midwife.get("/refer/courses").get_data(as_text=True)
    assert "Amira" in page and "Admitted" in page and "Louise" not in page
    assert midwife.get(f"/staff/courses/{course_id}").status_code == 403
