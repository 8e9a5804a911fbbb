"""Retention: contact details are erased when their time is up, and only then."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal.models import AuditEvent, ContactDetails, Inquiry
from portal.models.base import utcnow
from portal.services import retention
from tests.factories import make_contact_request, make_inquiry


def _phones(db) -> list[str]:
    return db.scalars(select(ContactDetails.phone).order_by(ContactDetails.id)).all()


def _purge_events(db) -> list[AuditEvent]:
    return db.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purge")).all()


def test_nothing_is_erased_before_its_time(db_session):
    make_contact_request(db_session, retention_months=1)
    assert retention.purge(db_session) == 0
    assert _phones(db_session) == ["12345678"]
    assert _purge_events(db_session) == []


def test_purge_erases_the_contact_details_past_erase_after_and_only_those(db_session):
    short = make_contact_request(db_session, phone="11111111", retention_months=1)
    make_contact_request(db_session, phone="22222222", retention_months=12)
    question, _code = make_inquiry(db_session)
    due = short.contact.erase_after
    assert retention.purge(db_session, now=due - timedelta(seconds=1)) == 0
    assert retention.purge(db_session, now=due) == 1
    db_session.expire_all()
    assert _phones(db_session) == ["22222222"]
    assert db_session.get(Inquiry, short.id).contact is None
    # The inquiries stay (they hold no personal data), and so do their messages.
    assert db_session.scalar(select(func.count()).select_from(Inquiry)) == 3
    assert len(db_session.get(Inquiry, question.id).messages) == 1


def test_one_audit_event_per_run_and_a_second_run_erases_nothing(db_session):
    for months in (1, 1, 12):
        make_contact_request(db_session, retention_months=months)
    later = utcnow() + timedelta(days=31 * 2)
    assert retention.purge(db_session, now=later) == 2
    [event] = _purge_events(db_session)
    assert (event.user_id, event.object_type, event.object_id) == (None, "contact_details", None)
    assert retention.purge(db_session, now=later) == 0
    assert len(_purge_events(db_session)) == 1
    assert len(_phones(db_session)) == 1
