"""Referrals through the pages: a midwife refers, a counsellor catches it,
the midwife sees that it was caught and nothing of the counselling."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from portal import db
from portal.models import AuditEvent, ContactDetails, Inquiry
from tests.conftest import login

REFERRAL = {"first_name": "Testine", "phone": "23 45 67 89", "may_send_text": "y", "topics": ["housing", "economy"],
            "reason": "Er bekymret for huslejen efter fødslen", "urgency": "urgent",
            "pregnancy_status": "pregnant", "family_agreed": "y"}


def _count(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


def test_refer_catch_and_see_it_was_caught(app, make_user):
    midwife, counsellor = make_user("referrer", name="Jette Testjordemoder"), make_user("counsellor", name="Rikke Test")
    referrer = app.test_client()
    assert login(app, referrer, midwife).headers["Location"] == "/refer/"
    assert referrer.get("/refer/new").status_code == 200
    response = referrer.post("/refer/new", data=REFERRAL)
    assert response.status_code == 303 and response.headers["Location"] == "/refer/"
    page = referrer.get("/refer/").get_data(as_text=True)
    assert "Modtaget" in page and "Testine" in page and "Haster" in page
    with app.app_context():
        inquiry = db.session().scalars(select(Inquiry)).one()
        inquiry_id, label = inquiry.id, inquiry.label
        assert inquiry.contact.phone == "23 45 67 89" and inquiry.hospital.code == "rh"

    staff = app.test_client()
    login(app, staff, counsellor)
    queue = staff.get("/staff/").get_data(as_text=True)
    assert label in queue and "urgent-mark" in queue
    staff.post(f"/staff/inquiries/{inquiry_id}/claim")
    staff.post(f"/staff/inquiries/{inquiry_id}/attempts",
               data={"method": "phone", "reached": "yes", "note": "Talte med mor om boligstøtte"})
    response = staff.post(f"/staff/inquiries/{inquiry_id}/feedback",
                          data={"code": "contact_made", "text": "Vi ses på torsdag"})
    assert response.status_code == 303
    assert "alert-error" not in staff.get(response.headers["Location"]).get_data(as_text=True)

    page = referrer.get("/refer/").get_data(as_text=True)
    assert "Kontakt opnået" in page and "Vi har talt med familien" in page and "Vi ses på torsdag" in page
    detail = referrer.get(f"/refer/referrals/{inquiry_id}").get_data(as_text=True)
    for text in (page, detail):
        assert "boligstøtte" not in text      # the attempt's note: counselling, not for the hospital
        assert "Rikke Test" not in text        # not even who the counsellor is
        assert label not in text               # nor the staff-side label
    with app.app_context():
        actions = set(db.session().scalars(select(AuditEvent.action)))
    assert {"referral.create", "referral.view", "referrals.list", "referral.feedback"} <= actions


def test_a_referral_without_consent_or_contact_is_refused_on_the_field(app, staff_client):
    referrer, _user = staff_client("referrer")
    for missing, field, message in (("family_agreed", "family_agreed", "Bekræft, at familien"),
                                    (("phone",), "phone", "familiens telefonnummer eller e-mailadresse")):
        data = {k: v for k, v in REFERRAL.items() if k not in (missing if isinstance(missing, tuple) else (missing,))}
        response = referrer.post("/refer/new", data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert re.search(rf'id="{field}-error"[^>]*>.*?{message}', html, re.S), field
        assert 'value="Testine"' in html     # what was typed is kept
    assert _count(app, Inquiry) == 0 and _count(app, ContactDetails) == 0


def test_the_form_remembers_nothing_about_the_previous_family(app, staff_client):
    referrer, _user = staff_client("referrer")
    referrer.post("/refer/new", data=REFERRAL)
    blank = referrer.get("/refer/new").get_data(as_text=True)
    assert "Testine" not in blank and "23 45 67 89" not in blank and "huslejen" not in blank
    assert 'autocomplete="off"' in blank


def test_url_guessing_shows_a_referrer_nothing_of_anyone_else(app, make_user, staff_client):
    owner = app.test_client()
    login(app, owner, make_user("referrer"))
    owner.post("/refer/new", data=REFERRAL)
    owner.post("/refer/sparring/new", data={"question": "Hvordan taler vi med en familie om gæld?"})
    with app.app_context():
        referral_id, sparring_id = (i.id for i in db.session().scalars(select(Inquiry).order_by(Inquiry.id)))
    colleague, _user = staff_client("referrer")
    elsewhere, _user = staff_client("referrer", hospital_code="boh")
    for client in (colleague, elsewhere):
        assert client.get(f"/refer/referrals/{referral_id}").status_code == 404
        assert client.get(f"/refer/sparring/{sparring_id}").status_code == 404
        assert client.get(f"/refer/referrals/{referral_id + 1000}").status_code == 404
        for path in ("/staff/", f"/staff/inquiries/{referral_id}", "/staff/cases", "/staff/users"):
            assert client.get(path).status_code == 403, path
        assert "Testine" not in client.get("/refer/").get_data(as_text=True)


def test_sparring_warns_before_sending_what_looks_like_personal_data(app, staff_client):
    referrer, _user = staff_client("referrer")
    text = "Mor (tlf. 12 34 56 78) spørger om hjælp til gæld efter fødslen."
    warned = referrer.post("/refer/sparring/new", data={"question": text})
    html = warned.get_data(as_text=True)
    assert warned.status_code == 200 and "et telefonnummer" in html and "send_anyway" in html
    assert _count(app, Inquiry) == 0
    sent = referrer.post("/refer/sparring/new", data={"question": text, "send_anyway": "y"})
    assert sent.status_code == 303 and _count(app, Inquiry) == 1
    plain = referrer.post("/refer/sparring/new", data={"question": "Hvordan søger en familie om hjælp til husleje?"})
    assert plain.status_code == 303 and _count(app, Inquiry) == 2


def test_sparring_is_answered_in_the_staff_area_and_read_by_the_referrer(app, make_user, staff_client):
    referrer, _user = staff_client("referrer")
    referrer.post("/refer/sparring/new", data={"question": "Hvordan søger en familie om hjælp til husleje?"})
    with app.app_context():
        inquiry_id = db.session().scalars(select(Inquiry.id)).one()
    staff, _user = staff_client("counsellor")
    assert "Sparring" in staff.get("/staff/?kind=sparring").get_data(as_text=True)
    staff.post(f"/staff/inquiries/{inquiry_id}/claim")
    staff.post(f"/staff/inquiries/{inquiry_id}/answer", data={"body": "Kommunen kan give boligstøtte; søg på borger.dk."})
    thread = referrer.get(f"/refer/sparring/{inquiry_id}").get_data(as_text=True)
    assert "søg på borger.dk" in thread
    assert "Besvaret" in referrer.get("/refer/").get_data(as_text=True)


def test_counsellors_and_association_editors_cannot_refer(app, staff_client):
    for role in ("counsellor", "association_editor", "lead", "admin"):
        client, _user = staff_client(role)
        assert client.post("/refer/new", data=REFERRAL).status_code == 403, role
    assert _count(app, Inquiry) == 0
