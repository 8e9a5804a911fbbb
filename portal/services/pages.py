"""Keyset pagination for the lists staff open: a page starts after (or
ends before) the sort key of a row, so the database walks an index from
that row instead of counting past every earlier one as OFFSET does; the
first page and the thousandth cost the same.

A cursor is the sort key of a row written as text, its parts joined by "_"
(dates and moments in ISO form, which holds no "_")."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, literal, tuple_
from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of rows and the cursors of its neighbours (None: no such page)."""
    rows: Sequence[T]
    next_cursor: str | None = None
    prev_cursor: str | None = None


def encode(*parts: object) -> str:
    """A cursor from the sort key of a row."""
    return "_".join(part.isoformat() if isinstance(part, date) else str(part) for part in parts)


def parse_moment(text: str) -> datetime:
    """A moment of a cursor, in UTC when it says no zone."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def parse_id(text: str) -> int:
    """A row id of a cursor: a positive integer that fits the database."""
    number = int(text)
    if not 0 < number < 2**62:
        raise ValueError(text)
    return number


def decode(cursor: str, parsers: Sequence[Callable[[str], Any]]) -> tuple[Any, ...] | None:
    """The sort key a cursor holds; None for anything malformed."""
    parts = (cursor or "").split("_")
    if len(parts) != len(parsers):
        return None
    try:
        return tuple(parse(part) for parse, part in zip(parsers, parts, strict=True))
    except (ValueError, TypeError, OverflowError):
        return None


def start(after: str, before: str, parsers: Sequence[Callable[[str], Any]]) -> tuple[bool, tuple[Any, ...] | None]:
    """Whether the page runs backwards (``before`` given, no ``after``) and
    the sort key it starts from (None: the first page, or a bad cursor)."""
    backwards = bool(before) and not after
    position = decode(before if backwards else after, parsers)
    return backwards and position is not None, position


def seek(query: Select, keys: Sequence[Any], position: Sequence[Any] | None, *,
         descending: bool = False, backwards: bool = False) -> Select:
    """``query`` ordered by ``keys`` (all ascending or all descending),
    starting after ``position``, or, ``backwards``, ending before it (then
    in reverse order: :func:`fetch` turns it round)."""
    ascending = descending == backwards
    if position is not None:
        bound = tuple_(*(literal(value, key.type) for key, value in zip(keys, position, strict=True)))
        query = query.where(tuple_(*keys) > bound if ascending else tuple_(*keys) < bound)
    return query.order_by(*(key if ascending else key.desc() for key in keys))


def paged(rows: Sequence[T], limit: int, cursor_of: Callable[[T], str], *, backwards: bool,
          positioned: bool) -> Page[T]:
    """The page from up to ``limit + 1`` rows a :func:`seek` query gave
    (the extra one only says there is more)."""
    more = len(rows) > limit
    shown = list(rows[:limit])
    if backwards:
        shown.reverse()
    if not shown:
        return Page(rows=shown)
    has_next = positioned if backwards else more
    has_prev = more if backwards else positioned
    return Page(rows=shown, next_cursor=cursor_of(shown[-1]) if has_next else None,
                prev_cursor=cursor_of(shown[0]) if has_prev else None)


def fetch(db: Session, query: Select, limit: int, cursor_of: Callable[[Any], str], *, backwards: bool = False,
          positioned: bool = False) -> Page[Any]:
    """Run a :func:`seek` query for one page."""
    return paged(db.scalars(query.limit(limit + 1)).all(), limit, cursor_of, backwards=backwards,
                 positioned=positioned)
