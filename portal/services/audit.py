"""The audit trail: who did what to which object, when. Never content."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.models import AuditEvent, Case, User
from portal.services import pages

# Events on one page of a trail.
PAGE_SIZE = 500


def event(user: User | None, action: str, obj: object | None = None, *,
          object_type: str | None = None, object_id: int | None = None,
          details: dict[str, int] | None = None) -> AuditEvent:
    """One event, not yet added to a session; ``obj`` gives the object's type and id;
    ``details`` holds counts only (never content)."""
    if obj is not None:
        object_type = object_type or type(obj).__name__.lower()
        object_id = object_id if object_id is not None else getattr(obj, "id")  # noqa: B009 - any model
    return AuditEvent(user_id=user.id if user is not None else None, action=action,
                      object_type=object_type, object_id=object_id, details=details)


def record(db: Session, user: User | None, action: str, obj: object | None = None, *,
           object_type: str | None = None, object_id: int | None = None,
           details: dict[str, int] | None = None) -> AuditEvent:
    """Add one event to the session's unit of work."""
    added = event(user, action, obj, object_type=object_type, object_id=object_id, details=details)
    db.add(added)
    return added


def for_object(db: Session, object_type: str, object_id: int, *, limit: int = 500) -> Sequence[AuditEvent]:
    """The trail of one object, newest first."""
    return db.scalars(
        select(AuditEvent).where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
        .options(selectinload(AuditEvent.user)).order_by(AuditEvent.id.desc()).limit(limit)
    ).all()


def _cursor(event: AuditEvent) -> str:
    return pages.encode(event.id)


def for_user(db: Session, user_id: int, *, after: str = "", before: str = "",
             limit: int = PAGE_SIZE) -> pages.Page[AuditEvent]:
    """What one account did, newest first, one page."""
    backwards, position = pages.start(after, before, [pages.parse_id])
    query = select(AuditEvent).where(AuditEvent.user_id == user_id).options(selectinload(AuditEvent.user))
    query = pages.seek(query, [AuditEvent.id], position, descending=True, backwards=backwards)
    return pages.fetch(db, query, limit, _cursor, backwards=backwards, positioned=position is not None)


def for_case(db: Session, case: Case, *, after: str = "", before: str = "",
             limit: int = PAGE_SIZE) -> pages.Page[AuditEvent]:
    """Who read or changed a case and the inquiry it came from, newest
    first, one page: a page of each trail from its own index, merged."""
    backwards, position = pages.start(after, before, [pages.parse_id])
    subjects = [("case", case.id)] + ([("inquiry", case.inquiry_id)] if case.inquiry_id else [])
    events: list[AuditEvent] = []
    for object_type, object_id in subjects:
        query = (select(AuditEvent).where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
                 .options(selectinload(AuditEvent.user)))
        query = pages.seek(query, [AuditEvent.id], position, descending=True, backwards=backwards)
        events += db.scalars(query.limit(limit + 1)).all()
    events.sort(key=lambda e: e.id, reverse=not backwards)
    return pages.paged(events[:limit + 1], limit, _cursor, backwards=backwards, positioned=position is not None)
