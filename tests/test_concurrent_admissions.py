"""The last places of a course are race-free: sixteen counsellors admit
sixteen proposed families at the same moment for the last three places.
Exactly three get a place, the other thirteen wait in one order without
gaps or doubles, and no request fails. Runs on PostgreSQL when
PORTAL_TEST_DATABASE_URL is set (CI's second pass; SELECT … FOR UPDATE on
the course row), else on the SQLite file (BEGIN IMMEDIATE); real threads,
real HTTP requests through the app."""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from portal import db
from portal.models import AuditEvent, Enrollment, User
from portal.services import admissions, courses
from tests.conftest import login
from tests.factories import make_case, make_contact_request

THREADS = 16
CAPACITY, ALREADY_IN = 5, 2


def test_sixteen_admissions_at_once_never_exceed_the_capacity(app, make_user):
    users = [make_user("counsellor", name=f"Samtidig {i}") for i in range(THREADS)]
    clients = []
    for user in users:
        client = app.test_client()
        login(app, client, user)
        clients.append(client)
    with app.app_context():
        sess = db.session()
        first = sess.get(User, users[0]["id"])
        course = courses.create_course(sess, first, courses.CourseDetails(
            title="Økonomi i hverdagen", theme="economy", form="group", audience="both", language="da",
            place_kind="mh", capacity=CAPACITY))
        courses.set_status(sess, first, course, "open")
        proposed = []
        for index in range(ALREADY_IN + THREADS):
            holder = sess.get(User, users[index % THREADS]["id"])
            case = make_case(sess, holder, make_contact_request(sess))
            proposed.append(admissions.propose(sess, holder, course, case_inquiry(sess, case), reason="Gæld"))
        for enrollment in proposed[:ALREADY_IN]:
            admissions.admit(sess, first, course, enrollment)
        db.commit()
        course_id, waiting_ids = course.id, [e.id for e in proposed[ALREADY_IN:]]

    barrier = threading.Barrier(THREADS)
    statuses: list[int] = [0] * THREADS
    seconds: list[float] = [0.0] * THREADS
    errors: list[BaseException] = []

    def admit(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            started = time.perf_counter()
            response = clients[index].post(f"/staff/courses/{course_id}/enrollments/{waiting_ids[index]}/admit")
            seconds[index] = time.perf_counter() - started
            statuses[index] = response.status_code
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=admit, args=(i,)) for i in range(THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    wall = time.perf_counter() - started
    assert not errors, errors
    assert statuses == [303] * THREADS, statuses  # no 5xx, no refusal

    with app.app_context():
        sess = db.session()
        rows = sess.execute(select(Enrollment.status, Enrollment.waitlist_number, Enrollment.decided_at)
                            .where(Enrollment.course_id == course_id)).all()
        decisions = sess.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action.in_(("enrollment.enrolled", "enrollment.waitlisted"))))
    enrolled = [r for r in rows if r.status == "enrolled"]
    waiting = sorted((r for r in rows if r.status == "waitlisted"), key=lambda r: r.waitlist_number)
    print(f"{db_name(app)}: {THREADS} admissions in {wall:.2f} s (slowest {max(seconds):.2f} s): "
          f"{len(enrolled)} enrolled, {len(waiting)} waiting")
    assert len(enrolled) == CAPACITY
    assert [r.waitlist_number for r in waiting] == list(range(1, THREADS - (CAPACITY - ALREADY_IN) + 1))
    # One order: whoever was decided later waits further back.
    assert [r.decided_at for r in waiting] == sorted(r.decided_at for r in waiting)
    assert decisions == ALREADY_IN + THREADS


def case_inquiry(sess, case):
    from portal.models import Inquiry
    return sess.get(Inquiry, case.inquiry_id)


def db_name(app) -> str:
    return "PostgreSQL" if app.config["DATABASE_URL"].startswith("postgresql") else "SQLite"


def test_leaving_and_admitting_at_once_keep_the_course_full_and_the_line_in_order(app, make_user):
    """Eight families leave while eight more are admitted, all at once: every
    freed place goes to a waiting family, none twice, and the course ends
    exactly full with the rest in one line."""
    half = THREADS // 2
    users = [make_user("counsellor", name=f"Samtidig {i}") for i in range(THREADS)]
    clients = []
    for user in users:
        client = app.test_client()
        login(app, client, user)
        clients.append(client)
    with app.app_context():
        sess = db.session()
        first = sess.get(User, users[0]["id"])
        course = courses.create_course(sess, first, courses.CourseDetails(
            title="Forældreskab", theme="parenthood", form="group", audience="both", language="da",
            place_kind="online", capacity=half))
        made = []
        for index in range(half * 4):  # half admitted, half waiting, half proposed, and half to spare
            holder = sess.get(User, users[index % THREADS]["id"])
            case = make_case(sess, holder, make_contact_request(sess))
            made.append(admissions.propose(sess, holder, course, case_inquiry(sess, case), reason="Netværk"))
        for enrollment in made[:half * 2]:
            admissions.admit(sess, first, course, enrollment)
        db.commit()
        leaving, coming = [e.id for e in made[:half]], [e.id for e in made[half * 2:half * 3]]
        course_id = course.id

    jobs = [f"/staff/courses/{course_id}/enrollments/{i}/withdraw" for i in leaving]
    jobs += [f"/staff/courses/{course_id}/enrollments/{i}/admit" for i in coming]
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = [0] * THREADS
    errors: list[BaseException] = []

    def post(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            statuses[index] = clients[index].post(jobs[index]).status_code
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert statuses == [303] * THREADS, statuses
    with app.app_context():
        rows = db.session().execute(select(Enrollment.id, Enrollment.status, Enrollment.waitlist_number)
                                    .where(Enrollment.course_id == course_id)).all()
    by_status: dict[str, list] = {}
    for row in rows:
        by_status.setdefault(row.status, []).append(row)
    assert len(by_status["enrolled"]) == half
    assert len(by_status["withdrawn"]) == half
    waiting = sorted(r.waitlist_number for r in by_status["waitlisted"])
    assert len(waiting) == half and len(set(waiting)) == half
    numbers = sorted(r.waitlist_number for r in rows if r.waitlist_number is not None)
    assert numbers == list(range(1, half * 2 + 1))  # one line: every number handed out once
