"""Hospitals (fødesteder) are data: a lead keeps who gets each one's
monthly status mail and whether urgent referrals are announced."""

from __future__ import annotations

import re
from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import access, limits
from portal.models import Hospital, User
from portal.services import ServiceError, audit, flush

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_CONTACTS = 10


def by_code(db: Session, code: str) -> Hospital | None:
    """The hospital with this code, active or not."""
    return db.scalar(select(Hospital).where(Hospital.code == code))


def all_hospitals(db: Session) -> Sequence[Hospital]:
    """Every hospital in display order."""
    return db.scalars(select(Hospital).order_by(Hospital.sort_order, Hospital.name)).all()


def parse_addresses(text: str) -> list[str]:
    """Addresses from a text field: one per line (or separated by commas)."""
    return [part.strip().lower() for part in re.split(r"[\s,;]+", text or "") if part.strip()]


def update_settings(db: Session, lead: User, hospital: Hospital, *, contact_emails: Sequence[str],
                    urgent_notice: bool) -> None:
    """Save the status-mail addresses and the urgent-referral notice flag."""
    access.ensure(access.edits_hospitals(lead), _l("Only a lead changes the hospitals' settings."))
    addresses = list(dict.fromkeys(contact_emails))
    bad = [a for a in addresses if len(a) > limits.EMAIL_MAX or not _EMAIL.fullmatch(a)]
    if bad:
        raise ServiceError(_l("Not an e-mail address: %(address)s", address=bad[0]), field="contact_emails")
    if len(addresses) > MAX_CONTACTS:
        raise ServiceError(_l("At most %(max)d addresses.", max=MAX_CONTACTS), field="contact_emails")
    hospital.contact_emails = addresses
    hospital.urgent_notice = urgent_notice
    audit.record(db, lead, "hospital.settings", hospital)
    flush(db)
