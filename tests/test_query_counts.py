"""No N+1: the pages a counsellor opens send the same number of SQL
statements with 24 rows as with 50 (12 and 25 open) (the queue with each filter and order,
the case list, both audit trails), and a case or inquiry page the same
with notes and contact attempts by 2 counsellors as by 8; counted with ``before_cursor_execute``."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal import db
from portal.models import Case, CaseNote, ContactAttempt, Hospital, Inquiry, User
from portal.services import accounts, audit
from tests import bulk
from tests.sql_capture import statements_sent

QUEUE = ["", "?sort=oldest", "?sort=newest", "?status=all", "?status=closed&sort=oldest", "?status=new",
         "?holder=mine", "?holder=unassigned", "?kind=referral", "?hospital=HOSPITAL&status=all", "?language=ar",
         "?due=overdue", "?due=today&sort=newest"]


def _add(app, rows: int, users: list[int]) -> None:
    with app.app_context():
        sess = db.session()
        bulk.fill(sess, rows, open_rows=rows // 2, users=users, cases_every=1, analyze=False)
        case = sess.scalar(select(Case).order_by(Case.id).limit(1))
        for _ in range(rows):
            audit.record(sess, sess.get(User, users[0]), "case.view", case)
        db.commit()


def _counts(app, client, urls: list[str]) -> dict[str, int]:
    engine = app.extensions["db_engine"]
    counts = {}
    for url in urls:
        with statements_sent(engine) as sent:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(sent)
    return counts


def test_pages_send_as_many_statements_for_50_rows_as_for_24(app, staff_client, make_user):
    client, lead = staff_client("lead")
    other = make_user("counsellor")
    _add(app, 24, [lead["id"], other["id"]])
    with app.app_context():
        hospital = db.session().scalar(select(Hospital.code).order_by(Hospital.id).limit(1))
        case_id = db.session().scalar(select(Case.id).order_by(Case.id).limit(1))
    urls = [f"/staff/{q.replace('HOSPITAL', hospital)}" for q in QUEUE] + [
        "/staff/cases", "/staff/cases?holder=all", "/staff/cases?holder=all&closed=1",
        f"/staff/cases/{case_id}/audit", f"/staff/users/{lead['id']}/audit"]
    few = _counts(app, client, urls)
    _add(app, 26, [lead["id"], other["id"]])
    many = _counts(app, client, urls)
    assert many == few
    assert max(few.values()) < 25, few


def _by_many(app, case_id: int, inquiry_id: int, authors: int, start: int) -> None:
    """Notes on the case and contact attempts on the inquiry, each by another counsellor."""
    with app.app_context():
        sess = db.session()
        for n in range(start, start + authors):
            user, _ = accounts.create_user(sess, email=f"author{n}@test.invalid", role="counsellor", name=f"A {n}")
            sess.flush()
            sess.add(CaseNote(case_id=case_id, author_id=user.id, noted_on=date.today(), body=f"Note {n}"))
            sess.add(ContactAttempt(inquiry_id=inquiry_id, user_id=user.id, method="phone", reached=False))
        db.commit()


def test_note_and_attempt_authors_load_in_one_statement(app, staff_client):
    client, lead = staff_client("lead")
    _add(app, 4, [lead["id"]])
    with app.app_context():
        case = db.session().scalar(select(Case).join(Inquiry, Inquiry.id == Case.inquiry_id)
                                   .where(Inquiry.kind == "contact_request").order_by(Case.id).limit(1))
        case_id, inquiry_id = case.id, case.inquiry_id
    urls = [f"/staff/cases/{case_id}", f"/staff/inquiries/{inquiry_id}"]
    _by_many(app, case_id, inquiry_id, 2, 0)
    few = _counts(app, client, urls)
    _by_many(app, case_id, inquiry_id, 6, 2)
    assert _counts(app, client, urls) == few
