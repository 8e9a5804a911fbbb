"""One unit of work per request: committed when the handler returns a
non-error response, rolled back otherwise; a staff view is audited apart and
kept even when the action that follows fails."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal import db
from portal.models import AuditEvent, Message, User
from portal.services import triage
from tests.factories import make_inquiry
from tests.sql_capture import statements_sent


def _actions(app) -> list[tuple[str, int | None]]:
    with app.app_context():
        return [(e.action, e.object_id) for e in db.session().scalars(select(AuditEvent).order_by(AuditEvent.id))]


def _messages(app, inquiry_id: int) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Message).where(Message.inquiry_id == inquiry_id))


@pytest.fixture
def question(app):
    with app.app_context():
        inquiry, _code = make_inquiry(db.session(), text="Et spørgsmål om økonomi")
        db.commit()
        return inquiry.id


def test_a_refused_action_is_rolled_back_but_its_view_is_kept(app, staff_client, question):
    client, _user = staff_client("counsellor")
    response = client.post(f"/staff/inquiries/{question}/answer", data={"body": "Et svar"})
    assert response.status_code == 303  # refused: the inquiry is not taken
    assert _messages(app, question) == 1
    actions = _actions(app)
    assert ("inquiry.view", question) in actions
    assert ("inquiry.answer", question) not in actions


def test_a_form_error_writes_nothing_but_the_view(app, staff_client, question):
    client, user = staff_client("counsellor")
    client.post(f"/staff/inquiries/{question}/claim")
    before = _actions(app)
    response = client.post(f"/staff/inquiries/{question}/answer", data={"body": ""})
    assert response.status_code == 400
    assert _actions(app)[len(before):] == [("inquiry.view", question)]


def test_a_failing_action_keeps_the_view_and_nothing_else(app, staff_client, question, monkeypatch):
    client, user = staff_client("counsellor")
    client.post(f"/staff/inquiries/{question}/claim")

    def half_done_then_broken(db_session, acting, inquiry, text):
        inquiry.messages.append(Message(author="staff", body=text, staff_user_id=acting.id))
        db_session.flush()
        raise RuntimeError("the action broke after writing")

    monkeypatch.setattr(triage, "answer", half_done_then_broken)
    before = _actions(app)
    response = client.post(f"/staff/inquiries/{question}/answer", data={"body": "Et svar"})
    assert response.status_code == 500
    assert _messages(app, question) == 1  # the half-written answer was rolled back
    assert _actions(app)[len(before):] == [("inquiry.view", question)]


def test_a_successful_action_commits_once_with_its_audit(app, staff_client, question):
    client, user = staff_client("counsellor")
    client.post(f"/staff/inquiries/{question}/claim")
    response = client.post(f"/staff/inquiries/{question}/answer", data={"body": "Et svar"})
    assert response.status_code == 303
    assert _messages(app, question) == 2
    assert {("inquiry.view", question), ("inquiry.answer", question)} <= set(_actions(app))
    with app.app_context():
        assert db.session().get(User, user["id"]) is not None


def test_get_pages_do_not_take_the_write_lock(app, staff_client, question):
    """Staff GETs read; their audit record is written apart afterwards, so a
    GET never begins a write transaction (SQLite: no BEGIN IMMEDIATE)."""
    client, _user = staff_client("counsellor")
    with statements_sent(app.extensions["db_engine"]) as sent:
        assert client.get(f"/staff/inquiries/{question}").status_code == 200
    begins = [statement for statement in sent if statement.startswith("BEGIN")]
    if app.config["DATABASE_URL"].startswith("sqlite"):
        assert begins and "BEGIN IMMEDIATE" not in begins
    assert ("inquiry.view", question) in _actions(app)
