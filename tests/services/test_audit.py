"""The audit trail, called directly: who did what to which object."""

from __future__ import annotations

from portal.services import audit
from tests.factories import make_counsellor, make_inquiry


def _write(db, user, action, obj=None):
    """One event, flushed, so later events are newer."""
    event = audit.record(db, user, action, obj)
    db.flush()
    return event


def test_record_takes_the_objects_type_and_id(db_session):
    user = make_counsellor(db_session)
    inquiry, _code = make_inquiry(db_session)
    event = _write(db_session, user, "inquiry.view", inquiry)
    assert (event.user_id, event.action, event.object_type, event.object_id) == (
        user.id, "inquiry.view", "inquiry", inquiry.id)
    assert event.at is not None


def test_record_without_an_object_or_a_user(db_session):
    user = make_counsellor(db_session)
    plain = _write(db_session, user, "queue.view")
    assert (plain.object_type, plain.object_id) == (None, None)
    system = audit.record(db_session, None, "retention.purge", object_type="contact_details")
    db_session.flush()
    assert (system.user_id, system.object_type, system.object_id) == (None, "contact_details", None)


def test_for_object_is_one_objects_trail_newest_first(db_session):
    user = make_counsellor(db_session, name="Revisor Rådgiver")
    first, _code = make_inquiry(db_session)
    second, _code = make_inquiry(db_session)
    for action in ("inquiry.view", "inquiry.claim", "inquiry.answer"):
        _write(db_session, user, action, first)
    _write(db_session, user, "inquiry.view", second)
    trail = audit.for_object(db_session, "inquiry", first.id)
    assert [e.action for e in trail] == ["inquiry.answer", "inquiry.claim", "inquiry.view"]
    assert {e.object_id for e in trail} == {first.id}
    assert trail[0].user.name == "Revisor Rådgiver"
    assert [e.action for e in audit.for_object(db_session, "inquiry", first.id, limit=2)] == [
        "inquiry.answer", "inquiry.claim"]
    assert audit.for_object(db_session, "case", first.id) == []


def test_for_user_is_what_one_account_did_newest_first(db_session):
    user = make_counsellor(db_session)
    other = make_counsellor(db_session)
    inquiry, _code = make_inquiry(db_session)
    _write(db_session, user, "login.success")
    _write(db_session, other, "login.success")
    _write(db_session, user, "queue.view")
    _write(db_session, user, "inquiry.view", inquiry)
    assert [e.action for e in audit.for_user(db_session, user.id).rows] == [
        "inquiry.view", "queue.view", "login.success"]
    assert [e.action for e in audit.for_user(db_session, user.id, limit=1).rows] == ["inquiry.view"]
    assert [e.action for e in audit.for_user(db_session, other.id).rows] == ["login.success"]
