"""Many rows fast, for the plan, query-count and timing checks: inquiries,
cases and audit events inserted with executemany in a realistic mix — most
of the history closed, a few thousand open at most, spread over hospitals,
kinds, languages and counsellors. Invented data only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from portal.models import AuditEvent, Case, Hospital, Inquiry, User
from portal.models.base import utcnow

BATCH = 10_000
KINDS = ("anonymous_question", "contact_request", "referral", "sparring")
LANGUAGES = ("da", "en", "ar", "uk", "tr", "ur")
OPEN = ("new", "claimed", "in_progress")


@dataclass(frozen=True)
class Bulk:
    """What was made: the counsellors and hospitals used, the first and
    last inquiry ids."""
    users: Sequence[int]
    hospitals: Sequence[int]
    first_inquiry: int
    last_inquiry: int


def _ids(db: Session, model, limit: int) -> list[int]:
    return list(db.scalars(select(model.id).order_by(model.id).limit(limit)))


def _insert(db: Session, model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.execute(insert(model), rows[start:start + BATCH])


def fill(db: Session, rows: int, *, open_rows: int | None = None, users: Sequence[int] = (),
         cases_every: int = 4, audit_per_inquiry: int = 1, now: datetime | None = None,
         analyze: bool = True) -> Bulk:
    """``rows`` inquiries, the newest ``open_rows`` of them (default: a
    tenth, at most 2,000) open, one case per ``cases_every`` inquiries (open
    for open inquiries), ``audit_per_inquiry`` events each; then ANALYZE so
    the planner knows the shape. Flushes, never commits."""
    now = now or utcnow()
    users = list(users) or _ids(db, User, 8)
    hospitals = _ids(db, Hospital, 12) or [None]
    open_rows = min(rows // 10, 2000) if open_rows is None else open_rows
    open_from = rows - open_rows
    first = (db.scalar(select(Inquiry.id).order_by(Inquiry.id.desc()).limit(1)) or 0) + 1
    stamp = f"{now.timestamp():.0f}"
    inquiries, cases, events = [], [], []
    for i in range(rows):
        opened = i >= open_from
        created = now - timedelta(minutes=(rows - i) * 7)
        holder = users[(i // 3) % len(users)] if users and (not opened or i % 3) else None
        inquiries.append({
            "id": first + i, "kind": KINDS[i % len(KINDS)], "status": OPEN[i % 3] if opened else "closed",
            "label": f"bulk-{stamp}-{first + i}", "channel": "anonymous_web", "topics": [],
            "language": LANGUAGES[i % 7 % len(LANGUAGES)], "interpreter_needed": False,
            "hospital_id": hospitals[i % len(hospitals)], "priority": 0 if i % 11 == 0 else 1,
            "attempt_count": 0, "version": 1, "assigned_to_id": holder,
            "first_response_at": None if opened and i % 2 else created + timedelta(hours=5),
            "closed_at": None if opened else created + timedelta(days=9),
            "created_at": created, "updated_at": created, "due_at": created + timedelta(days=2),
        })
        if i % cases_every == 0 and holder is not None:
            cases.append({
                "inquiry_id": first + i, "counsellor_id": holder, "opened_on": created.date(),
                "hospital_id": hospitals[i % len(hospitals)],
                "closed_on": None if opened else created.date() + timedelta(days=30),
                "closure_reason": None if opened else "completed", "created_at": created,
                "updated_at": created, "version": 1,
            })
        for n in range(audit_per_inquiry):
            events.append({"at": created + timedelta(minutes=n), "user_id": holder, "action": "inquiry.view",
                           "object_type": "inquiry", "object_id": first + i})
    _insert(db, Inquiry, inquiries)
    _insert(db, Case, cases)
    _insert(db, AuditEvent, events)
    db.flush()
    if db.get_bind().dialect.name == "postgresql":  # explicit ids leave the sequence behind
        db.execute(text("SELECT setval(pg_get_serial_sequence('inquiries', 'id'), max(id)) FROM inquiries"))
    if analyze:
        db.execute(text("ANALYZE"))
    return Bulk(users=users, hospitals=[h for h in hospitals if h is not None], first_inquiry=first,
                last_inquiry=first + rows - 1)

