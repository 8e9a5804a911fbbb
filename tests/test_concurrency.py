"""Claiming is race-free: with many counsellors claiming the same inquiry at
once, exactly one wins and the others are told who has it. Runs on
PostgreSQL when PORTAL_TEST_DATABASE_URL is set (CI's second pass), else on
the SQLite file; real threads, real HTTP requests through the app."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from portal import db
from portal.models import AuditEvent, Inquiry
from portal.services import inquiries
from tests.conftest import login

THREADS = 8


def test_concurrent_claims_have_exactly_one_winner(app, make_user):
    users = [make_user("counsellor", name=f"Samtidig {i}") for i in range(THREADS)]
    clients = []
    for user in users:
        client = app.test_client()
        login(app, client, user)
        clients.append(client)
    with app.app_context():
        inquiry, _code = inquiries.create_anonymous_question(db.session(), text="Hvem tager mig?", language="da")
        db.commit()
        inquiry_id = inquiry.id

    barrier = threading.Barrier(THREADS)
    pages: list[str] = [""] * THREADS
    errors: list[BaseException] = []

    def claim(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            response = clients[index].post(f"/staff/inquiries/{inquiry_id}/claim", follow_redirects=True)
            pages[index] = response.get_data(as_text=True)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors

    with app.app_context():
        sess = db.session()
        winner_id = sess.get(Inquiry, inquiry_id).assigned_to_id
        claims = sess.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "inquiry.claim", AuditEvent.object_id == inquiry_id))
    assert claims == 1
    winner = next(u for u in users if u["id"] == winner_id)
    losers = [page for user, page in zip(users, pages, strict=True) if user["id"] != winner_id]
    assert len(losers) == THREADS - 1
    for page in losers:
        assert winner["name"] in page  # "Already taken by <name>"
        assert 'class="alert alert-error"' in page
