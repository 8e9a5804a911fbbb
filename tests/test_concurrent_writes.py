"""Two writes to one inquiry at the same moment: counsellors answering while
the family writes back. Each request loads and changes the inquiry in one
transaction (its row locked), so nothing is lost and nobody sees a 500.
Runs on PostgreSQL when PORTAL_TEST_DATABASE_URL is set (CI's second pass),
else on the SQLite file; real threads through the app."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from portal import db
from portal.models import Author, Message, User
from portal.services import inquiries, triage
from tests.conftest import login

STAFF = 4
FAMILY = 4


def test_answers_and_family_replies_at_once_are_all_kept(app, make_user, client):
    holder = make_user("counsellor", name="Holder")
    staff = [holder] + [make_user("lead", name=f"Leder {i}") for i in range(STAFF - 1)]
    staff_clients = []
    for user in staff:
        staff_client = app.test_client()
        login(app, staff_client, user)
        staff_clients.append(staff_client)
    family_clients = [app.test_client() for _ in range(FAMILY)]
    with app.app_context():
        sess = db.session()
        question, code = inquiries.create_anonymous_question(sess, text="Må jeg skrive igen?", language="da")
        triage.claim(sess, sess.get(User, holder["id"]), question.id)
        db.commit()
        inquiry_id = question.id

    barrier = threading.Barrier(STAFF + FAMILY)
    statuses: list[int] = []
    pages: list[str] = []
    errors: list[BaseException] = []

    def post(target, url: str, data: dict) -> None:
        try:
            barrier.wait(timeout=30)
            response = target.post(url, data=data, follow_redirects=True)
            statuses.append(response.status_code)
            pages.append(response.get_data(as_text=True))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    jobs = [(c, f"/staff/inquiries/{inquiry_id}/answer", {"body": f"Svar nummer {i}"})
            for i, c in enumerate(staff_clients)]
    jobs += [(c, "/da/answer/reply", {"code": code, "message": f"Opfølgning nummer {i}"})
             for i, c in enumerate(family_clients)]
    threads = [threading.Thread(target=post, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)

    assert not errors, errors
    assert sorted(statuses) == [200] * (STAFF + FAMILY), statuses
    assert not any('class="alert alert-error"' in page for page in pages)
    with app.app_context():
        counts = dict(db.session().execute(
            select(Message.author, func.count()).where(Message.inquiry_id == inquiry_id).group_by(Message.author)).all())
    assert counts == {Author.STAFF.value: STAFF, Author.FAMILY.value: FAMILY + 1}
