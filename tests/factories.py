"""Rows for tests, made through the real services (never built by hand).

Each factory calls the services and flushes; none commits. A caller that
needs the rows in another session commits with ``portal.db.commit()``."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.orm import Session

from portal.models import Case, Inquiry, User
from portal.services import accounts, cases, inquiries, referrals, triage
from tests.conftest import PASSWORD

_numbers = itertools.count(1)


def make_inquiry(db: Session, *, text: str = "Hvad har jeg ret til, når jeg går på barsel?",
                 language: str = "da", topics: Sequence[str] = (),
                 hospital_code: str | None = None, now: datetime | None = None) -> tuple[Inquiry, str]:
    """An anonymous question, as the public form stores it (arriving at
    ``now``, default this moment); returns (inquiry, receipt code)."""
    return inquiries.create_anonymous_question(db, text=text, language=language, topics=topics,
                                               hospital_code=hospital_code, now=now)


def make_contact_request(db: Session, *, phone: str | None = "12345678", email: str | None = None,
                         language: str = "da", retention_months: int = 6, now: datetime | None = None,
                         **fields) -> Inquiry:
    """A request to be contacted (arriving at ``now``); ``fields`` are the other ContactRequest fields."""
    request = inquiries.ContactRequest(language=language, phone=phone, email=email, **fields)
    return inquiries.create_contact_request(db, request, retention_months=retention_months, now=now)


def make_counsellor(db: Session, *, role: str = "counsellor", name: str | None = None) -> User:
    """A staff account with PASSWORD, set up (no TOTP: service tests do not log in)."""
    number = next(_numbers)
    user, _token = accounts.create_user(db, email=f"{role}-{number}@test.invalid", role=role,
                                        name=name or f"Test {role.title()} {number}")
    accounts.complete_setup(user, PASSWORD)
    db.flush()
    return user


def make_case(db: Session, user: User, inquiry: Inquiry | None = None) -> Case:
    """A case opened by ``user`` on ``inquiry`` (a new contact request if none),
    which the user claims first unless they already hold it."""
    if inquiry is None:
        inquiry = make_contact_request(db)
    if inquiry.assigned_to_id != user.id:
        inquiry = triage.claim(db, user, inquiry.id)
    return cases.open_case(db, user, inquiry)


def make_closed_case(db: Session, user: User, *, hospital_code: str | None = "rh",
                     closure_reason: str = "completed") -> Case:
    """A case opened and closed today by ``user`` (on a new contact request at the hospital)."""
    case = make_case(db, user, make_contact_request(db, hospital_code=hospital_code))
    cases.update_evaluation(db, user, case, {"closure_reason": closure_reason, "closed_on": date.today()})
    return case


def make_referrer(db: Session, *, hospital_code: str = "rh", name: str | None = None) -> User:
    """A referrer (midwife) account at a hospital, set up (no TOTP: service tests do not log in)."""
    number = next(_numbers)
    user, _token = accounts.create_user(db, email=f"referrer-{number}@test.invalid", role="referrer",
                                        name=name or f"Test Jordemoder {number}", hospital_code=hospital_code)
    accounts.complete_setup(user, PASSWORD)
    db.flush()
    return user


def make_referral(db: Session, referrer: User, *, urgent: bool = False, phone: str | None = "23456789",
                  now: datetime | None = None, **fields) -> Inquiry:
    """A professional referral through the real service (the family has agreed), arriving at ``now``."""
    fields.setdefault("topics", ["housing"])
    referral = referrals.Referral(phone=phone, urgent=urgent, family_agreed=True, **fields)
    return referrals.refer(db, referrer, referral, retention_months=6, now=now)
