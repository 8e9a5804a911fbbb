"""The triage queue: one keyset-paginated page of inquiries, filtered, by
default in the order their first response is due; and the counts of the
staff start page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, literal, select
from sqlalchemy.orm import Session, selectinload

from portal.models import Hospital, Inquiry, InquiryStatus, Priority, User
from portal.models.base import utcnow
from portal.services import pages
from portal.services.workdays import LOCAL_TIME, local_date

PAGE_SIZE = 50
OPEN_STATUSES = (InquiryStatus.NEW.value, InquiryStatus.CLAIMED.value, InquiryStatus.IN_PROGRESS.value)
# Orders of the queue: by due time (the default), oldest first with urgent
# referrals before everything else, newest first.
DUE, OLDEST, NEWEST = "due", "oldest", "newest"
ORDERS = (DUE, OLDEST, NEWEST)
OVERDUE, DUE_TODAY = "overdue", "today"
# Closed inquiries are counted up to this many; more show as "1000+".
COUNT_CAP = 1000


@dataclass(frozen=True)
class QueueFilter:
    status: str = "open"          # "open", "all" or a status code
    kind: str = ""
    hospital: str = ""            # hospital code
    holder: str = ""              # "", "mine" or "unassigned"
    language: str = ""
    newest_first: bool = False    # the same as order=NEWEST
    order: str = DUE
    due: str = ""                 # "", OVERDUE or DUE_TODAY: open and not yet answered

    @property
    def sort(self) -> str:
        """The order in force."""
        return NEWEST if self.newest_first else (self.order if self.order in ORDERS else DUE)


QueuePage = pages.Page


def _encode_cursor(inquiry: Inquiry, sort: str) -> str:
    """Where the next page starts: "d_<due>_<id>" by due time, else the
    "<priority>_<created>_<id>" of the age orders."""
    if sort == DUE:
        return f"d_{inquiry.due_at.isoformat()}_{inquiry.id}"
    return f"{inquiry.priority}_{inquiry.created_at.isoformat()}_{inquiry.id}"


def _decode_cursor(cursor: str, sort: str) -> tuple[int, datetime, int] | None:
    """(priority, moment, id) from a cursor of this order; None for anything
    malformed or made by another order."""
    try:
        head, stamp, ident = cursor.split("_")
        moment, number = datetime.fromisoformat(stamp), int(ident)
        priority = -1 if head == "d" else int(head)
    except (ValueError, AttributeError):
        return None
    if not 0 < number < 2**62 or (priority == -1) != (sort == DUE):
        return None
    if sort != DUE and priority not in (Priority.URGENT, Priority.NORMAL):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return priority, moment, number


def is_open() -> ColumnElement[bool]:
    """Open statuses written into the SQL (not bound), so the database can
    use the partial indexes made for the open queue (ix_inquiries_open_*)."""
    return Inquiry.status.in_(bindparam("open_statuses", OPEN_STATUSES, expanding=True, literal_execute=True))


def end_of_day(now: datetime) -> datetime:
    """The next Copenhagen midnight after ``now``, in UTC."""
    tomorrow = local_date(now) + timedelta(days=1)
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=LOCAL_TIME).astimezone(timezone.utc)


def waiting(now: datetime, due: str) -> ColumnElement[bool]:
    """Open, no first response yet, and overdue at ``now`` or due later today."""
    unanswered = and_(is_open(), Inquiry.first_response_at.is_(None))
    if due == OVERDUE:
        return and_(unanswered, Inquiry.due_at < now)
    return and_(unanswered, Inquiry.due_at >= now, Inquiry.due_at < end_of_day(now))


def _filtered(query: Select, user: User, wanted: QueueFilter, now: datetime) -> Select:
    if wanted.status == "open":
        query = query.where(is_open())
    elif wanted.status and wanted.status != "all":
        query = query.where(Inquiry.status == wanted.status)
    if wanted.due in (OVERDUE, DUE_TODAY):
        query = query.where(waiting(now, wanted.due))
    if wanted.kind:
        query = query.where(Inquiry.kind == wanted.kind)
    if wanted.hospital:
        query = query.join(Hospital, Inquiry.hospital_id == Hospital.id).where(Hospital.code == wanted.hospital)
    if wanted.holder == "mine":
        query = query.where(Inquiry.assigned_to_id == user.id)
    elif wanted.holder == "unassigned":
        query = query.where(Inquiry.assigned_to_id.is_(None))
    if wanted.language:
        query = query.where(Inquiry.language == wanted.language)
    return query


def queue(db: Session, user: User, wanted: QueueFilter, *, after: str = "", before: str = "",
          limit: int = PAGE_SIZE, now: datetime | None = None) -> QueuePage:
    """One page of the queue, keyset-paginated (after or before a cursor):
    by due time (due_at, id), oldest first with urgent referrals first
    (priority, created_at, id), or newest first (created_at, id)."""
    query = select(Inquiry).options(selectinload(Inquiry.hospital), selectinload(Inquiry.assigned_to))
    query = _filtered(query, user, wanted, now or utcnow())
    sort = wanted.sort
    backwards = bool(before) and not after
    position = _decode_cursor(before if backwards else after, sort) if (after or before) else None
    backwards = backwards and position is not None
    keys: list[Any] = [Inquiry.created_at, Inquiry.id]
    if sort == DUE:
        keys = [Inquiry.due_at, Inquiry.id]
    elif sort == OLDEST:
        keys = [Inquiry.priority, *keys]
    # The priority in a cursor counts only where it is a key.
    key = position if sort == OLDEST or position is None else position[1:]
    query = pages.seek(query, keys, key, descending=sort == NEWEST, backwards=backwards)
    return pages.fetch(db, query, limit, lambda row: _encode_cursor(row, sort), backwards=backwards,
                       positioned=position is not None)


def status_counts(db: Session) -> dict[str, int]:
    """How many inquiries are in each open status, and how many are closed
    up to COUNT_CAP + 1 (shown as "1000+"): the closed history only grows,
    and counting all of it would make the start page slower every year."""
    counts = {status.value: 0 for status in InquiryStatus}
    for status, count in db.execute(select(Inquiry.status, func.count()).where(is_open()).group_by(Inquiry.status)):
        counts[status] = count
    closed = select(literal(1)).where(Inquiry.status == InquiryStatus.CLOSED.value).limit(COUNT_CAP + 1)
    counts[InquiryStatus.CLOSED.value] = db.scalar(select(func.count()).select_from(closed.subquery())) or 0
    return counts


def due_counts(db: Session, now: datetime) -> dict[str, int]:
    """How many open inquiries wait for a first response past their due
    time, and how many are due later today (one query over a range of the
    open ones' due times, never the closed history)."""
    overdue, today = db.execute(select(
        func.count(Inquiry.id).filter(Inquiry.due_at < now),
        func.count(Inquiry.id).filter(Inquiry.due_at >= now),
    ).where(is_open(), Inquiry.first_response_at.is_(None), Inquiry.due_at < end_of_day(now))).one()
    return {OVERDUE: overdue, DUE_TODAY: today}
