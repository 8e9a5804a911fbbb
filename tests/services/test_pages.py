"""Keyset pages (services/pages.py) of the queue, the case list and the
audit trails: forward to the end and back again, every row once, the
previous page of a page the one that led to it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from portal.models import Case, User
from portal.services import audit, cases, pages, triage
from tests import bulk

F = triage.QueueFilter


def _walk(fetch: Callable[..., pages.Page]) -> None:
    """Forward by next_cursor, then back by prev_cursor: the same pages."""
    forward, page = [], fetch()
    assert page.prev_cursor is None
    forward.append([row.id for row in page.rows])
    while page.next_cursor:
        page = fetch(after=page.next_cursor)
        forward.append([row.id for row in page.rows])
    assert len(forward) >= 2
    ids = [i for chunk in forward for i in chunk]
    assert len(ids) == len(set(ids))
    backward = [[row.id for row in page.rows]]
    while page.prev_cursor:
        page = fetch(before=page.prev_cursor)
        backward.append([row.id for row in page.rows])
    assert backward[::-1] == forward


@pytest.fixture
def filled(db_session, make_user):
    users = [make_user("counsellor")["id"] for _ in range(3)]
    bulk.fill(db_session, 400, open_rows=120, users=users)
    db_session.commit()
    return db_session.get(User, users[1])


@pytest.mark.parametrize("wanted", [F(), F(order="oldest"), F(order="newest"), F(status="all"),
                                    F(status="closed", order="oldest"), F(status="all", order="newest")],
                         ids=["due", "oldest", "newest", "all-due", "closed-oldest", "all-newest"])
def test_queue_pages_forward_and_back(db_session, filled, wanted):
    _walk(lambda **at: triage.queue(db_session, filled, wanted, limit=17, **at))


@pytest.mark.parametrize("mine, open_only", [(True, True), (False, True), (False, False)])
def test_case_pages_forward_and_back(db_session, filled, mine, open_only):
    _walk(lambda **at: cases.list_cases(db_session, filled, mine=mine, open_only=open_only, limit=2, **at))


def test_audit_pages_forward_and_back(db_session, filled):
    _walk(lambda **at: audit.for_user(db_session, filled.id, limit=9, **at))
    case = db_session.query(Case).filter(Case.inquiry_id.is_not(None)).first()
    for _ in range(7):
        audit.record(db_session, filled, "case.view", case)
    db_session.flush()
    _walk(lambda **at: audit.for_case(db_session, case, limit=2, **at))


def test_bad_cursors_give_the_first_page(db_session, filled):
    first = cases.list_cases(db_session, filled, mine=False, open_only=False, limit=5)
    for bad in ("x", "2026-13-01_5", "2026-01-01_-3", "2026-01-01_5_6", "_"):
        assert cases.list_cases(db_session, filled, mine=False, open_only=False, limit=5, after=bad).rows == first.rows
        assert audit.for_user(db_session, filled.id, limit=5, before=bad).rows == audit.for_user(
            db_session, filled.id, limit=5).rows
