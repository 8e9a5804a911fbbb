"""The triage queue: one keyset-paginated page of inquiries, filtered, by
default in the order their first response is due; and the counts of the
staff start page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, literal, select, tuple_
from sqlalchemy.orm import Session, selectinload

from portal.models import Hospital, Inquiry, InquiryStatus, Priority, User
from portal.models.base import UTCDateTime, utcnow
from portal.services.workdays import LOCAL_TIME, local_date

PAGE_SIZE = 50
OPEN_STATUSES = (InquiryStatus.NEW.value, InquiryStatus.CLAIMED.value, InquiryStatus.IN_PROGRESS.value)
# Orders of the queue: by due time (the default), oldest first with urgent
# referrals before everything else, newest first.
DUE, OLDEST, NEWEST = "due", "oldest", "newest"
ORDERS = (DUE, OLDEST, NEWEST)
OVERDUE, DUE_TODAY = "overdue", "today"


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


@dataclass(frozen=True)
class QueuePage:
    rows: Sequence[Inquiry]
    next_cursor: str | None


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


def queue(db: Session, user: User, wanted: QueueFilter, *, after: str = "", limit: int = PAGE_SIZE,
          now: datetime | None = None) -> QueuePage:
    """One page of the queue, keyset-paginated: by due time (due_at, id),
    oldest first with urgent referrals first (priority, created_at, id), or
    newest first (created_at, id)."""
    query = select(Inquiry).options(selectinload(Inquiry.hospital), selectinload(Inquiry.assigned_to))
    query = _filtered(query, user, wanted, now or utcnow())
    sort = wanted.sort
    position = _decode_cursor(after, sort) if after else None
    at = literal(position[1], UTCDateTime()) if position else None
    if sort == DUE:
        if position is not None:
            query = query.where(tuple_(Inquiry.due_at, Inquiry.id) > tuple_(at, literal(position[2])))
        query = query.order_by(Inquiry.due_at, Inquiry.id)
    elif sort == NEWEST:
        if position is not None:
            query = query.where(tuple_(Inquiry.created_at, Inquiry.id) < tuple_(at, literal(position[2])))
        query = query.order_by(Inquiry.created_at.desc(), Inquiry.id.desc())
    else:
        if position is not None:
            bound = tuple_(literal(position[0]), at, literal(position[2]))
            query = query.where(tuple_(Inquiry.priority, Inquiry.created_at, Inquiry.id) > bound)
        query = query.order_by(Inquiry.priority, Inquiry.created_at, Inquiry.id)
    rows = db.scalars(query.limit(limit + 1)).all()
    next_cursor = _encode_cursor(rows[limit - 1], sort) if len(rows) > limit else None
    return QueuePage(rows=rows[:limit], next_cursor=next_cursor)


def status_counts(db: Session) -> dict[str, int]:
    """How many inquiries are in each status."""
    counts = {status.value: 0 for status in InquiryStatus}
    for status, count in db.execute(select(Inquiry.status, func.count()).group_by(Inquiry.status)):
        counts[status] = count
    return counts


def due_counts(db: Session, now: datetime) -> dict[str, int]:
    """How many open inquiries wait for a first response past their due
    time, and how many are due later today (one query)."""
    overdue, today = db.execute(select(
        func.count(Inquiry.id).filter(waiting(now, OVERDUE)),
        func.count(Inquiry.id).filter(waiting(now, DUE_TODAY)),
    ).where(is_open())).one()
    return {OVERDUE: overdue, DUE_TODAY: today}
