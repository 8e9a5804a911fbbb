"""Families asking at the same moment draw the same label: each checked it
free before either inserted. Every question is still stored, each under a
label of its own, and nobody sees an error. Real threads through the app;
PostgreSQL when PORTAL_TEST_DATABASE_URL is set, else the SQLite file."""

from __future__ import annotations

import itertools
import threading

from sqlalchemy import func, select

from portal import db
from portal.models import Inquiry
from portal.services import inquiries
from tests.conftest import receipt_from

FAMILIES = 6
TAKEN = "Blå ugle 7"


def test_questions_asked_at_once_with_the_same_label_are_all_stored(app, monkeypatch):
    # Every family's first draw is the same label, as when each request
    # checked it before any of them inserted; later draws are free ones.
    lock, seen, fresh = threading.Lock(), threading.local(), itertools.count(1)

    def drawn(_db) -> str:
        if not getattr(seen, "drawn", False):
            seen.drawn = True
            return TAKEN
        with lock:
            return f"Grøn mos {next(fresh)}"

    monkeypatch.setattr(inquiries, "new_label", drawn)
    barrier = threading.Barrier(FAMILIES)
    statuses: list[int] = []
    codes: list[str] = []
    errors: list[BaseException] = []

    def ask(number: int) -> None:
        try:
            family = app.test_client()
            barrier.wait(timeout=30)
            response = family.post("/da/ask", data={"question": f"Hvad gør jeg nu? Spørgsmål nummer {number}"})
            statuses.append(response.status_code)
            codes.append(receipt_from(response.get_data(as_text=True)))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(FAMILIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)

    assert not errors, errors
    assert statuses == [200] * FAMILIES
    assert len(set(codes)) == FAMILIES
    with app.app_context():
        labels = db.session().scalars(select(Inquiry.label)).all()
        assert db.session().scalar(select(func.count()).select_from(Inquiry)) == FAMILIES
    assert len(set(labels)) == FAMILIES
    assert TAKEN in labels


def test_a_label_still_taken_after_every_try_is_a_conflict_not_a_crash(db_session, monkeypatch):
    first, _ = inquiries.create_anonymous_question(db_session, text="Det første spørgsmål her", language="da")
    db.commit()
    monkeypatch.setattr(inquiries, "new_label", lambda _db: first.label)
    try:
        inquiries.create_anonymous_question(db_session, text="Det andet spørgsmål her", language="da")
    except inquiries.ServiceError as err:
        assert err.message == inquiries.CONFLICT_MESSAGE
    else:
        raise AssertionError("a second inquiry took a label already in use")
    db_session.rollback()
    assert db_session.scalar(select(func.count()).select_from(Inquiry)) == 1
