"""Business rules: plain typed functions that never read ``request`` and
never commit. They raise ServiceError with a translatable message; database
conflicts become ServiceErrors too (``flush``), so a handler catches one type."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

CONFLICT_MESSAGE = _l("Someone else changed this meanwhile. Reload the page and make your change again.")


class ServiceError(Exception):
    """A domain error whose message is shown to the person."""

    def __init__(self, message: str | LazyString, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


def flush(db: Session, *, conflict: str | LazyString = CONFLICT_MESSAGE) -> None:
    """Flush, turning a lost race (a stale version, a unique key taken at
    the same moment) into a ServiceError with ``conflict`` as its message."""
    try:
        db.flush()
    except (StaleDataError, IntegrityError) as exc:
        raise ServiceError(conflict) from exc
