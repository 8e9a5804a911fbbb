"""The queue by due time: order, keyset pages, the overdue and due-today
filters and counts, with a frozen clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.services import deadlines, triage
from portal.services.queue import DUE_TODAY, OVERDUE
from portal.services.workdays import Calendar
from tests.factories import make_contact_request, make_counsellor, make_inquiry

CPH = ZoneInfo("Europe/Copenhagen")
MONDAY, THURSDAY_NOON = datetime(2026, 11, 23, 10, tzinfo=CPH), datetime(2026, 11, 26, 12, tzinfo=CPH)


@pytest.fixture
def counsellor(db_session):
    return make_counsellor(db_session, name="Due")


@pytest.fixture
def week(db_session):
    """A later question first, then a question and a call-back from Monday:
    on Thursday noon the call-back is overdue, the Monday question due today."""
    later, _ = make_inquiry(db_session, text="Senere spørgsmål", now=datetime(2026, 11, 26, 11, tzinfo=CPH))
    question, _ = make_inquiry(db_session, text="Mandagens spørgsmål", now=MONDAY)
    call_back = make_contact_request(db_session, now=MONDAY)
    return {"later": later, "question": question, "call_back": call_back}


def _ids(page) -> list[int]:
    return [row.id for row in page.rows]


def test_the_default_order_is_soonest_due_first(db_session, counsellor, week):
    page = triage.queue(db_session, counsellor, triage.QueueFilter(), now=THURSDAY_NOON)
    assert _ids(page) == [week["call_back"].id, week["question"].id, week["later"].id]
    oldest = triage.queue(db_session, counsellor, triage.QueueFilter(order="oldest"), now=THURSDAY_NOON)
    assert _ids(oldest) == [week["question"].id, week["call_back"].id, week["later"].id]


def test_overdue_and_due_today_filters_and_counts(db_session, counsellor, week):
    def rows(due: str) -> list[int]:
        return _ids(triage.queue(db_session, counsellor, triage.QueueFilter(due=due), now=THURSDAY_NOON))

    assert rows(OVERDUE) == [week["call_back"].id]
    assert rows(DUE_TODAY) == [week["question"].id]
    assert triage.due_counts(db_session, THURSDAY_NOON) == {OVERDUE: 1, DUE_TODAY: 1}
    # After closing on Thursday the Monday question is overdue too, the same day.
    evening = datetime(2026, 11, 26, 17, tzinfo=CPH)
    assert triage.due_counts(db_session, evening) == {OVERDUE: 2, DUE_TODAY: 0}
    state = deadlines.due_state(week["question"], evening, Calendar())
    assert (state.code, state.late_working_days) == (deadlines.OVERDUE, 0)


def test_a_first_response_keeps_or_misses_the_promise(db_session, counsellor, week):
    call_back, question = week["call_back"], week["question"]
    triage.claim(db_session, counsellor, call_back.id)
    triage.log_attempt(db_session, counsellor, call_back, method="phone", reached=False, at=THURSDAY_NOON)
    triage.claim(db_session, counsellor, question.id)
    triage.answer(db_session, counsellor, question, "Du kan søge om hjælp til huslejen hos kommunen.")
    question.first_response_at = THURSDAY_NOON  # the answer's moment, frozen
    db_session.flush()
    assert triage.due_counts(db_session, THURSDAY_NOON) == {OVERDUE: 0, DUE_TODAY: 0}
    assert deadlines.promise_kept(question) is True and deadlines.promise_kept(call_back) is False
    missed = deadlines.due_state(call_back, THURSDAY_NOON, Calendar())
    assert (missed.code, missed.late_working_days) == (deadlines.MISSED, 1)
    # A closed inquiry is no longer waiting, kept or not.
    triage.close(db_session, counsellor, call_back, "no_contact")
    assert _ids(triage.queue(db_session, counsellor, triage.QueueFilter(due=OVERDUE, status="all"),
                             now=THURSDAY_NOON)) == []


def test_keyset_pages_by_due_time_walk_every_row_once(db_session, counsellor):
    made = []
    for hour in range(14):
        # Several share a due time: the id breaks the tie.
        arrived = MONDAY + timedelta(hours=hour * 7)
        made.append(make_inquiry(db_session, text=f"Spørgsmål {hour}", now=arrived)[0])
    expected = [item.id for item in sorted(made, key=lambda item: (item.due_at, item.id))]
    seen, cursor = [], ""
    while True:
        page = triage.queue(db_session, counsellor, triage.QueueFilter(), after=cursor, limit=4,
                            now=THURSDAY_NOON)
        seen += _ids(page)
        if not page.next_cursor:
            break
        assert page.next_cursor.startswith("d_")
        cursor = page.next_cursor
    assert seen == expected
    # A cursor of another order, or a broken one, starts from the top.
    for odd in ("1_2026-11-23T09:00:00+00:00_3", "d_garbage_3", "d_2026-11-23T09:00:00+00:00_0"):
        assert _ids(triage.queue(db_session, counsellor, triage.QueueFilter(), after=odd, limit=4))[:1] == expected[:1]
