"""Retention (``retention.purge``) with a frozen clock: contact details and
anonymous threads, one just inside and one just outside each limit; the
one audit event; a second run; the dry run."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select

from portal.models import AuditEvent, ContactDetails, Inquiry, Message
from portal.models.base import utcnow
from portal.services import cases, retention, triage
from tests.factories import make_case, make_contact_request, make_counsellor, make_inquiry

T0 = datetime(2025, 3, 10, 11, 0, tzinfo=timezone.utc)
POLICY = retention.Policy()
SECOND = timedelta(seconds=1)


def _phones(db) -> list[str]:
    return db.scalars(select(ContactDetails.phone).order_by(ContactDetails.id)).all()


def _purge_events(db) -> list[AuditEvent]:
    return db.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purge")).all()


def _count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def _closed(db, inquiry: Inquiry, at: datetime) -> Inquiry:
    counsellor = make_counsellor(db)
    inquiry = triage.claim(db, counsellor, inquiry.id)
    triage.close(db, counsellor, inquiry, "completed")
    inquiry.closed_at = at
    db.flush()
    return inquiry


def test_nothing_is_erased_before_its_time(db_session):
    make_contact_request(db_session, retention_months=1)
    assert not any(retention.purge(db_session).values())
    assert _phones(db_session) == ["12345678"]
    assert _purge_events(db_session) == []


def test_purge_erases_the_contact_details_past_erase_after_and_only_those(db_session):
    short = make_contact_request(db_session, phone="11111111", retention_months=1)
    make_contact_request(db_session, phone="22222222", retention_months=12)
    question, _code = make_inquiry(db_session)
    due = short.contact.erase_after
    assert retention.purge(db_session, now=due - SECOND)["contact_details"] == 0
    assert retention.purge(db_session, now=due)["contact_details"] == 1
    assert _phones(db_session) == ["22222222"]
    assert db_session.get(Inquiry, short.id).contact is None
    # The inquiries stay (they hold no personal data), and so do their messages.
    assert _count(db_session, Inquiry) == 3
    assert len(db_session.get(Inquiry, question.id).messages) == 1


def test_contact_details_go_30_days_after_the_inquiry_closed(db_session):
    inside = _closed(db_session, make_contact_request(db_session, phone="11111111", now=T0), T0)
    _closed(db_session, make_contact_request(db_session, phone="22222222", now=T0), T0 + SECOND)
    make_contact_request(db_session, phone="33333333", now=T0)  # still open
    counts = retention.purge(db_session, POLICY, now=T0 + timedelta(days=30))
    assert counts["contact_details"] == 1
    assert _phones(db_session) == ["22222222", "33333333"]
    assert db_session.get(Inquiry, inside.id).contact is None
    assert retention.purge(db_session, POLICY, now=T0 + timedelta(days=30) + SECOND)["contact_details"] == 1
    assert _phones(db_session) == ["33333333"]


def test_contact_details_go_30_days_after_the_case_closed_never_while_it_is_open(db_session):
    counsellor = make_counsellor(db_session)
    now = utcnow()
    closed_on = retention.local_date(now) - timedelta(days=30)
    inside = make_case(db_session, counsellor, make_contact_request(db_session, phone="11111111"))
    outside = make_case(db_session, counsellor, make_contact_request(db_session, phone="22222222"))
    still_open = make_case(db_session, counsellor, make_contact_request(db_session, phone="33333333"))
    cases.update_evaluation(db_session, counsellor, inside, {"closure_reason": "completed", "closed_on": closed_on})
    cases.update_evaluation(db_session, counsellor, outside,
                            {"closure_reason": "completed", "closed_on": closed_on + timedelta(days=1)})
    # The inquiry of an open case closed long ago: the case still needs the phone number.
    db_session.get(Inquiry, still_open.inquiry_id).status = "closed"
    db_session.get(Inquiry, still_open.inquiry_id).closed_at = now - timedelta(days=300)
    assert retention.purge(db_session, POLICY, now=now)["contact_details"] == 1
    assert _phones(db_session) == ["22222222", "33333333"]


def _thread_at(db, at: datetime, text: str = "Hvad har jeg ret til?") -> Inquiry:
    inquiry, _code = make_inquiry(db, text=text, now=at)
    return inquiry


def _stub(db, inquiry_id: int) -> tuple:
    inquiry = db.get(Inquiry, inquiry_id)
    messages = db.scalar(select(func.count()).select_from(Message).where(Message.inquiry_id == inquiry_id))
    return inquiry.status, inquiry.receipt_digest, messages


def test_an_anonymous_thread_goes_90_days_after_its_last_message(db_session):
    inside = _thread_at(db_session, T0).id
    answered = _thread_at(db_session, T0)
    counsellor = make_counsellor(db_session)
    triage.claim(db_session, counsellor, answered.id)
    triage.answer(db_session, counsellor, answered, "Du kan ringe til os.")
    answered.messages[-1].created_at = T0 + timedelta(days=10)  # the answer restarts the clock
    db_session.flush()
    assert retention.purge(db_session, POLICY, now=T0 + timedelta(days=90) - SECOND)["anonymous_threads"] == 0
    counts = retention.purge(db_session, POLICY, now=T0 + timedelta(days=90))
    assert counts["anonymous_threads"] == 1
    # The thread is gone (messages, the digest the code opened); a closed, coded stub stays for the figures.
    assert _stub(db_session, inside) == ("closed", None, 0)
    assert len(db_session.get(Inquiry, answered.id).messages) == 2
    assert retention.purge(db_session, POLICY, now=T0 + timedelta(days=100) - SECOND)["anonymous_threads"] == 0
    assert retention.purge(db_session, POLICY, now=T0 + timedelta(days=100))["anonymous_threads"] == 1
    assert _stub(db_session, answered.id) == ("closed", None, 0)
    assert _count(db_session, Inquiry) == 2 and _count(db_session, Message) == 0
    assert retention.purge(db_session, POLICY, now=T0 + timedelta(days=400))["anonymous_threads"] == 0


def test_a_family_writing_again_restarts_the_clock(db_session):
    from portal.services import inquiries
    thread = _thread_at(db_session, T0)
    inquiries.add_family_message(db_session, thread, "Tak. Et spørgsmål mere.")
    thread.messages[-1].created_at = T0 + timedelta(days=89)
    db_session.flush()
    assert retention.purge(db_session, POLICY, now=T0 + timedelta(days=170))["anonymous_threads"] == 0
    assert retention.purge(db_session, POLICY, now=T0 + timedelta(days=179))["anonymous_threads"] == 1


def test_one_audit_event_per_run_with_counts_only_and_a_second_run_removes_nothing(db_session):
    for months in (1, 1, 12):
        make_contact_request(db_session, retention_months=months)
    _thread_at(db_session, utcnow() - timedelta(days=200), text="Min søster hedder Mette Testesen")
    later = utcnow() + timedelta(days=31 * 2)
    counts = retention.purge(db_session, POLICY, now=later)
    assert (counts["contact_details"], counts["anonymous_threads"]) == (2, 1)
    [event] = _purge_events(db_session)
    assert (event.user_id, event.object_type, event.object_id) == (None, "retention", None)
    assert event.details == counts
    assert set(event.details) == set(retention.KINDS)
    assert all(isinstance(value, int) for value in event.details.values())
    assert not any(retention.purge(db_session, POLICY, now=later).values())
    assert len(_purge_events(db_session)) == 1
    assert len(_phones(db_session)) == 1


def test_a_dry_run_counts_the_same_and_changes_nothing(db_session):
    make_contact_request(db_session, retention_months=1)
    _thread_at(db_session, T0)
    later = utcnow() + timedelta(days=62)
    before = (_phones(db_session), _count(db_session, Inquiry), _count(db_session, Message))
    dry = retention.purge(db_session, POLICY, now=later, dry_run=True)
    assert (dry["contact_details"], dry["anonymous_threads"]) == (1, 1)
    assert (_phones(db_session), _count(db_session, Inquiry), _count(db_session, Message)) == before
    assert _purge_events(db_session) == []
    assert retention.purge(db_session, POLICY, now=later) == dry


def test_the_settings_give_the_policy():
    policy = retention.Policy.from_settings({"THREAD_RETENTION_DAYS": "7", "CASE_RETENTION_MONTHS": 36})
    assert (policy.thread_days, policy.case_months, policy.contact_days_after_close) == (7, 36, 30)
    from portal.config import Config
    assert retention.Policy.from_settings(Config.from_env()) == retention.Policy()
    assert date(2025, 3, 10) == retention.local_date(T0)


def test_a_thread_written_to_between_finding_and_deleting_stays(db_session):
    from portal.services import inquiries, retention_threads, sparring
    from tests.factories import make_referrer
    thread = _thread_at(db_session, T0)
    advice = sparring.ask(db_session, make_referrer(db_session), "Hvordan taler jeg med familien om penge?", now=T0)
    now = T0 + timedelta(days=200)
    found = retention_threads.due_anonymous_threads(db_session, now=now, days=90)
    found_sparring = retention_threads.due_sparring(db_session, now=now, days=180)
    assert (found, found_sparring) == ([thread.id], [advice.id])
    inquiries.add_family_message(db_session, thread, "Er I der stadig?")
    advice.messages.append(Message(author="professional", body="Og en ting mere", created_at=now))
    thread.messages[-1].created_at = now
    db_session.flush()
    assert retention_threads.delete_threads(db_session, found, now=now, days=90) == 0
    assert retention_threads.strip_sparring(db_session, found_sparring, now=now, days=180) == 0
    assert _count(db_session, Message) == 4
