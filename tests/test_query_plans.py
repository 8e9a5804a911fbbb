"""Every list a counsellor opens walks an index and stops after a page:
no full scan and no sort of the inquiries, cases or audit events, for each
filter and order of the queue, the case list, both audit trails and the
start page's counts (services/queue.py, cases.py, audit.py).

The statements are the ones the services really send (caught with
``before_cursor_execute``) and are explained with their own parameters.
SQLite: ``EXPLAIN QUERY PLAN``. PostgreSQL: plain ``EXPLAIN`` (the planner
free to choose, no ``enable_seqscan`` trick) after 20,000 inquiries in a
realistic mix and ANALYZE, so its choices are those of a real history:
a tiny table would be read whole whatever the indexes."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from portal.models import Case, Hospital, User
from portal.models.base import utcnow
from portal.services import audit, cases, triage
from tests import bulk
from tests.sql_capture import statements_with_parameters

ROWS = 20_000
BIG = ("inquiries", "cases", "audit_events")
F = triage.QueueFilter
QUEUES = {
    "open by due time": F(), "open oldest first": F(order="oldest"), "open newest first": F(order="newest"),
    "all by due time": F(status="all"), "all oldest first": F(status="all", order="oldest"),
    "all newest first": F(status="all", order="newest"),
    "closed by due time": F(status="closed"), "closed oldest first": F(status="closed", order="oldest"),
    "closed newest first": F(status="closed", order="newest"), "new by due time": F(status="new"),
    "mine": F(holder="mine"), "mine, all": F(holder="mine", status="all", order="newest"),
    "unassigned": F(holder="unassigned"), "kind": F(kind="referral"), "kind, all": F(kind="referral", status="all"),
    "hospital": F(hospital="HOSPITAL"), "hospital, all": F(hospital="HOSPITAL", status="all"),
    "language": F(language="ar"), "language, all": F(language="ar", status="all", order="oldest"),
    "overdue": F(due="overdue"), "due today": F(due="today", order="oldest"),
}

# Open, unanswered and due before tonight, in another order than by due
# time: the planner may sort that handful (bounded by the open inquiries,
# never the history) rather than walk the open ones in order; so may their
# next and previous pages, which exist only when more than a page is due
# today: the data is laid out back from the clock (tests/bulk.py), so the
# time the test runs at decides.
SORTS_A_FEW = {"queue due today", "queue overdue"}
# PostgreSQL, at 1,500 open rows of 20,000, often prefers a bitmap scan of
# the open partial indexes and a sort of the few open rows that match to an
# ordered index walk. That work is bounded by the open inquiries (or open
# cases), which do not grow with the history, so there a sort is allowed
# for the lists restricted to open rows; never for "all" or "closed".


def _explain(conn, statement: str, parameters) -> list[str]:
    if conn.dialect.name == "sqlite":
        return [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
    return [row[0] for row in conn.exec_driver_sql("EXPLAIN " + statement, parameters)]


def _bad(dialect: str, plan: list[str], *, may_sort: bool) -> list[str]:
    """The lines of a plan that read a big table whole, or sort rows. On
    PostgreSQL a sequential scan right under a Limit without a sort stops
    after the limit (the capped count of closed inquiries) and passes."""
    tables = "|".join(BIG)
    if dialect == "sqlite":
        scan = re.compile(rf"^SCAN ({tables})(?: AS \w+)?$")
        return [line for line in plan if scan.match(line.strip()) or ("TEMP B-TREE" in line and not may_sort)]
    scan = re.compile(rf"Seq Scan on ({tables})\b")
    return [line for above, line in zip(["", *plan], plan, strict=False)
            if (scan.search(line) and "Limit" not in above) or (re.search(r"\bSort\b", line) and not may_sort)]


def _plans(db, call: Callable[[], object]) -> list[tuple[str, list[str]]]:
    """Each statement ``call`` sends, with its plan."""
    with statements_with_parameters(db.get_bind()) as sent:
        call()
    conn = db.connection()
    return [(statement, _explain(conn, statement, parameters)) for statement, parameters in sent]


def test_every_list_walks_an_index(db_session, make_user):
    users = [make_user("counsellor")["id"] for _ in range(4)]
    made = bulk.fill(db_session, ROWS, open_rows=1500, users=users)
    db_session.commit()
    me = db_session.get(User, users[1])
    hospital = db_session.scalar(select(Hospital.code).where(Hospital.id == made.hospitals[1]))
    case = db_session.scalar(select(Case).where(Case.inquiry_id.is_not(None)).order_by(Case.id.desc()).limit(1))
    now = utcnow() - timedelta(days=1)
    calls: dict[str, Callable[[], object]] = {}
    open_only: set[str] = set()  # the lists bounded by the open rows
    for name, wanted in QUEUES.items():
        if wanted.hospital:
            wanted = F(**{**wanted.__dict__, "hospital": hospital})
        first = triage.queue(db_session, me, wanted, now=now)
        assert first.rows, name  # the mix has rows for every filter
        calls[f"queue {name}"] = lambda w=wanted: triage.queue(db_session, me, w, now=now)
        if wanted.status not in ("all", "closed") or wanted.due:
            open_only.update(f"queue {name}{page}" for page in ("", ", next page", ", previous page"))
        if first.next_cursor:
            calls[f"queue {name}, next page"] = lambda w=wanted, c=first.next_cursor: triage.queue(
                db_session, me, w, after=c, now=now)
            calls[f"queue {name}, previous page"] = lambda w=wanted, c=first.next_cursor: triage.queue(
                db_session, me, w, before=c, now=now)
    calls["status counts"] = lambda: triage.status_counts(db_session)
    calls["due counts"] = lambda: triage.due_counts(db_session, now)
    for mine in (True, False):
        for still_open in (True, False):
            page = cases.list_cases(db_session, me, mine=mine, open_only=still_open, limit=20)
            assert page.next_cursor, (mine, still_open)
            name = f"cases mine={mine} open={still_open}"
            calls[name] = lambda m=mine, o=still_open: cases.list_cases(db_session, me, mine=m, open_only=o, limit=20)
            calls[f"{name}, next page"] = lambda m=mine, o=still_open, c=page.next_cursor: (
                cases.list_cases(db_session, me, mine=m, open_only=o, limit=20, after=c))
            if still_open:
                open_only.update((name, f"{name}, next page"))
    trail = audit.for_user(db_session, me.id, limit=20)
    calls["audit of a user"] = lambda: audit.for_user(db_session, me.id, limit=20)
    calls["audit of a user, next page"] = lambda: audit.for_user(db_session, me.id, limit=20, after=trail.next_cursor)
    calls["audit of a case"] = lambda: audit.for_case(db_session, case)

    dialect = db_session.get_bind().dialect.name
    failures = []
    for name, call in calls.items():
        for statement, plan in _plans(db_session, call):
            # A list's next and previous pages sort the same handful as its first.
            may_sort = name.split(", ")[0] in SORTS_A_FEW or (dialect == "postgresql" and name in open_only)
            if _bad(dialect, plan, may_sort=may_sort):
                failures.append(f"{name}:\n  {statement}\n  " + "\n  ".join(plan))
    assert not failures, "\n\n".join(failures)
