"""The queue and the inquiry operations, called directly."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.models.base import utcnow
from portal.services import ServiceError, triage
from tests.factories import make_contact_request, make_counsellor, make_inquiry


@pytest.fixture
def counsellor(db_session):
    return make_counsellor(db_session, name="Q")


def _questions(db_session, n):
    made = []
    for i in range(n):
        item, _code = make_inquiry(
            db_session, text=f"Spørgsmål {i}", language="ar" if i % 2 else "da",
            hospital_code="rh" if i % 3 == 0 else None)
        item.created_at = utcnow() - timedelta(minutes=n - i)
        made.append(item)
    db_session.flush()
    return made


def test_keyset_pagination_walks_every_row_once_in_order(db_session, counsellor):
    made = _questions(db_session, 23)
    seen, cursor = [], ""
    while True:
        page = triage.queue(db_session, counsellor, triage.QueueFilter(), after=cursor, limit=5)
        seen += [row.id for row in page.rows]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == [item.id for item in made]
    newest, cursor = [], ""
    while True:
        page = triage.queue(db_session, counsellor, triage.QueueFilter(newest_first=True), after=cursor, limit=7)
        newest += [row.id for row in page.rows]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert newest == [item.id for item in reversed(made)]


def test_filters(db_session, counsellor):
    made = _questions(db_session, 9)
    triage.claim(db_session, counsellor, made[0].id)
    f = triage.QueueFilter
    assert {r.id for r in triage.queue(db_session, counsellor, f(holder="mine")).rows} == {made[0].id}
    assert len(triage.queue(db_session, counsellor, f(holder="unassigned")).rows) == 8
    assert all(r.language == "ar" for r in triage.queue(db_session, counsellor, f(language="ar")).rows)
    assert all(r.hospital.code == "rh" for r in triage.queue(db_session, counsellor, f(hospital="rh")).rows)
    assert triage.queue(db_session, counsellor, f(kind="self_referral")).rows == []
    assert len(triage.queue(db_session, counsellor, f(status="claimed")).rows) == 1
    assert triage.status_counts(db_session) == {"new": 8, "claimed": 1, "in_progress": 0, "closed": 0}
    bad = triage.queue(db_session, counsellor, f(), after="garbage")
    assert len(bad.rows) == 9


def test_claim_twice_names_the_holder(db_session, counsellor):
    item = _questions(db_session, 1)[0]
    other = make_counsellor(db_session, name="Olga")
    triage.claim(db_session, counsellor, item.id)
    with pytest.raises(ServiceError) as err:
        triage.claim(db_session, other, item.id)
    assert "Q" in str(err.value.message)


def test_only_the_holder_works_an_inquiry(db_session, counsellor):
    item = _questions(db_session, 1)[0]
    other = make_counsellor(db_session, name="Other")
    triage.claim(db_session, counsellor, item.id)
    with pytest.raises(ServiceError):
        triage.answer(db_session, other, item, "Hej")
    triage.answer(db_session, counsellor, item, "Hej")
    assert item.status == "in_progress"


def test_attempt_counters(db_session, counsellor):
    item = make_contact_request(db_session)
    triage.claim(db_session, counsellor, item.id)
    earlier = utcnow() - timedelta(days=2)
    triage.log_attempt(db_session, counsellor, item, method="phone", reached=False, at=earlier)
    triage.log_attempt(db_session, counsellor, item, method="text", reached=False, at=earlier - timedelta(days=1))
    assert item.attempt_count == 2 and item.last_attempt_at == earlier
    with pytest.raises(ServiceError):
        triage.log_attempt(db_session, counsellor, item, method="pigeon", reached=False)
    triage.close(db_session, counsellor, item, "no_contact")
    assert item.status == "closed" and item.closed_at is not None
    with pytest.raises(ServiceError):
        triage.close(db_session, counsellor, item, "completed")
