"""A counsellor's day: log in with password and TOTP, take a new anonymous
question from the queue, answer it, the family reads the answer, close."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal import db
from portal.models import AuditEvent, Inquiry
from tests.conftest import PASSWORD, login, totp_code


def test_counsellor_flow_end_to_end_with_audit(app, client, ask, make_user):
    code = ask("Hvordan søger jeg om boligstøtte, når jeg er på barsel?", topics=["housing"], hospital="nsh")
    user = make_user("counsellor", name="Rikke Testrådgiver")
    staff = app.test_client()

    response = staff.post("/staff/login", data={"email": user["email"], "password": PASSWORD})
    assert response.headers["Location"].startswith("/staff/login/code")
    assert staff.get("/staff/").status_code == 302  # not logged in before the second factor
    response = staff.post("/staff/login/code", data={"code": totp_code(app, user)})
    assert response.headers["Location"] == "/staff/"

    queue = staff.get("/staff/").get_data(as_text=True)
    with app.app_context():
        inquiry = db.session().scalars(select(Inquiry)).one()
        label, inquiry_id = inquiry.label, inquiry.id
    assert label in queue
    assert code not in queue and code.replace(" ", "") not in queue

    detail = staff.get(f"/staff/inquiries/{inquiry_id}")
    assert detail.status_code == 200 and detail.headers["Cache-Control"] == "no-store"
    assert "Hvordan søger jeg om boligstøtte" in detail.get_data(as_text=True)

    assert staff.post(f"/staff/inquiries/{inquiry_id}/claim").status_code == 303
    response = staff.post(f"/staff/inquiries/{inquiry_id}/answer",
                          data={"body": "Du kan søge boligstøtte på borger.dk. Ring gerne til os."})
    assert response.status_code == 303

    family = client.post("/da/answer", data={"code": code.lower()}).get_data(as_text=True)
    assert "Du kan søge boligstøtte på borger.dk" in family

    assert staff.post(f"/staff/inquiries/{inquiry_id}/close", data={"reason": "completed"}).status_code == 303
    with app.app_context():
        inquiry = db.session().get(Inquiry, inquiry_id)
        assert inquiry.status == "closed" and inquiry.closure_reason == "completed"
        actions = [e.action for e in db.session().scalars(select(AuditEvent).order_by(AuditEvent.id))
                   if e.user_id == user["id"]]
    assert actions[0] == "login.success"
    for step in ("inquiry.view", "inquiry.claim", "inquiry.answer", "inquiry.close"):
        assert step in actions, step
    assert actions.index("inquiry.claim") < actions.index("inquiry.answer") < actions.index("inquiry.close")


def test_contact_request_attempts_show_in_queue_and_case_opens(app, client, staff_client):
    client.post("/da/contact-me", data={"phone": "12345678", "pregnancy_status": "parent", "consent": "y",
                                         "conversation_language": "ar", "topics": ["economy"]})
    staff, user = staff_client("counsellor")
    with app.app_context():
        inquiry_id = db.session().scalars(select(Inquiry.id)).one()
    staff.post(f"/staff/inquiries/{inquiry_id}/claim")
    for reached in ("no", "no", "yes"):
        response = staff.post(f"/staff/inquiries/{inquiry_id}/attempts",
                              data={"method": "phone", "reached": reached, "note": "Ingen svar"})
        assert response.status_code == 303
    queue = staff.get("/staff/?holder=mine").get_data(as_text=True)
    assert re.search(r"3 (forsøg|attempts), (senest|last) ", queue)
    detail = staff.get(f"/staff/inquiries/{inquiry_id}").get_data(as_text=True)
    assert "12345678" in detail
    response = staff.post(f"/staff/inquiries/{inquiry_id}/case")
    assert response.status_code == 303 and "/staff/cases/" in response.headers["Location"]
    case_page = staff.get(response.headers["Location"])
    assert case_page.status_code == 200


def test_second_claim_is_refused_with_the_holders_name(app, ask, make_user):
    ask()
    first_user = make_user("counsellor", name="Første Rådgiver")
    second_user = make_user("counsellor", name="Anden Rådgiver")
    first, second = app.test_client(), app.test_client()
    login(app, first, first_user)
    login(app, second, second_user)
    with app.app_context():
        inquiry_id = db.session().scalars(select(Inquiry.id)).one()
    first.post(f"/staff/inquiries/{inquiry_id}/claim")
    page = second.post(f"/staff/inquiries/{inquiry_id}/claim", follow_redirects=True).get_data(as_text=True)
    assert "Første Rådgiver" in page
    with app.app_context():
        assert db.session().get(Inquiry, inquiry_id).assigned_to_id == first_user["id"]


def test_release_and_lead_reassign(app, ask, staff_client, make_user):
    ask()
    counsellor = make_user("counsellor", name="Tredje Rådgiver")
    lead, _lead_user = staff_client("lead")
    with app.app_context():
        inquiry_id = db.session().scalars(select(Inquiry.id)).one()
    lead.post(f"/staff/inquiries/{inquiry_id}/claim")
    lead.post(f"/staff/inquiries/{inquiry_id}/release")
    with app.app_context():
        item = db.session().get(Inquiry, inquiry_id)
        assert item.status == "new" and item.assigned_to_id is None
    response = lead.post(f"/staff/inquiries/{inquiry_id}/reassign", data={"counsellor": str(counsellor["id"])})
    assert response.status_code == 303
    with app.app_context():
        assert db.session().get(Inquiry, inquiry_id).assigned_to_id == counsellor["id"]


def test_answer_needs_text_and_keeps_it_on_error(app, ask, staff_client):
    ask()
    staff, _user = staff_client()
    with app.app_context():
        inquiry_id = db.session().scalars(select(Inquiry.id)).one()
    staff.post(f"/staff/inquiries/{inquiry_id}/claim")
    response = staff.post(f"/staff/inquiries/{inquiry_id}/answer", data={"body": "   "})
    assert response.status_code == 400
    assert "error-summary" in response.get_data(as_text=True)
