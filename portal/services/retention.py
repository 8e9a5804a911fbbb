"""Retention: contact details are erased when their time is up."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from portal.models import ContactDetails
from portal.models.base import utcnow
from portal.services import audit


def purge(db: Session, *, now: datetime | None = None) -> int:
    """Delete every contact-details row past its erase_after; return how many.

    The inquiry itself stays (it holds no personal data) so the counts the
    evaluation needs are kept."""
    now = now or utcnow()
    due = db.scalar(select(func.count()).select_from(ContactDetails).where(ContactDetails.erase_after <= now))
    if due:
        db.execute(delete(ContactDetails).where(ContactDetails.erase_after <= now)
                   .execution_options(synchronize_session=False))
        audit.record(db, None, "retention.purge", object_type="contact_details")
    return int(due or 0)
