"""Every evaluation field round-trips through the case form, and "not
stated" stays distinct from every answer (blank, never zero)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal import db, limits
from portal.models import EVALUATION_FIELDS, AuditEvent, Case, Hospital, User
from tests.factories import make_case

FULL = {
    "channel": "video", "heard_from": "health_visitor", "gender": "female", "age_band": "20_29",
    "birth_year": "1998", "pregnant_at_start": "yes", "children_0_3": "1", "children_4_6": "0",
    "children_7_12": "2", "children_13_18": "0", "children_unknown": "0", "civil_status": "single",
    "employment": "student", "income_source": "student_grant", "education": "short_higher",
    "contact_reasons": ["economy", "housing"], "onward_referrals": ["public_authority", "barselshus"],
    "closure_reason": "completed", "closed_on": "2026-11-20",
}
EXPECTED = {
    "channel": "video", "heard_from": "health_visitor", "gender": "female", "age_band": "20_29",
    "birth_year": 1998, "pregnant_at_start": True, "children_0_3": 1, "children_4_6": 0,
    "children_7_12": 2, "children_13_18": 0, "children_unknown": 0, "civil_status": "single",
    "employment": "student", "income_source": "student_grant", "education": "short_higher",
    "contact_reasons": ["economy", "housing"], "onward_referrals": ["public_authority", "barselshus"],
    "closure_reason": "completed",
}


@pytest.fixture
def case_setup(app, staff_client):
    client, user = staff_client("counsellor")
    with app.app_context():
        sess = db.session()
        case = make_case(sess, sess.get(User, user["id"]))
        hospital_id = sess.scalar(select(Hospital.id).where(Hospital.code == "boh"))
        db.commit()
        return client, case.id, hospital_id


def _post(client, case_id, data):
    version = re.search(r'name="version" type="hidden" value="(\d+)"',
                        client.get(f"/staff/cases/{case_id}").get_data(as_text=True)).group(1)
    return client.post(f"/staff/cases/{case_id}", data={**data, "version": version})


def _stored(app, case_id):
    with app.app_context():
        case = db.session().get(Case, case_id)
        return {name: getattr(case, name) for name in EVALUATION_FIELDS}


def test_every_field_round_trips_and_back_to_not_stated(app, case_setup):
    client, case_id, hospital_id = case_setup
    response = _post(client, case_id, {**FULL, "hospital_id": str(hospital_id)})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    stored = _stored(app, case_id)
    for name, value in EXPECTED.items():
        assert stored[name] == value, name
    assert stored["hospital_id"] == hospital_id
    assert stored["closed_on"].isoformat() == "2026-11-20"

    page = client.get(f"/staff/cases/{case_id}").get_data(as_text=True)
    assert re.search(r'<option selected value="video">|<option value="video" selected>', page)
    assert 'value="1998"' in page
    assert re.search(r'id="pregnant_at_start-1"[^>]*checked|checked[^>]*id="pregnant_at_start-1"', page)

    response = _post(client, case_id, {})  # everything back to "not stated"
    assert response.status_code == 303
    stored = _stored(app, case_id)
    assert all(value is None for value in stored.values()), stored


def test_zero_children_is_not_the_same_as_not_stated(app, case_setup):
    client, case_id, _h = case_setup
    _post(client, case_id, {"children_0_3": "0"})
    stored = _stored(app, case_id)
    assert stored["children_0_3"] == 0 and stored["children_4_6"] is None
    _post(client, case_id, {"pregnant_at_start": "no"})
    assert _stored(app, case_id)["pregnant_at_start"] is False


@pytest.mark.parametrize("bad, field", [
    ({"children_0_3": "-1"}, "children_0_3"), ({"children_0_3": "mange"}, "children_0_3"),
    ({"birth_year": "1850"}, "birth_year"), ({"gender": "robot"}, "gender"),
    ({"contact_reasons": ["nope"]}, "contact_reasons-0"), ({"closure_reason": "completed"}, "closure_reason"),
])
def test_bad_values_are_form_errors_and_keep_input(app, case_setup, bad, field):
    client, case_id, _h = case_setup
    response = _post(client, case_id, {"heard_from": "midwife", **bad})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'href="#{field}"' in html
    assert re.search(r'<option selected value="midwife">|<option value="midwife" selected>', html)
    assert _stored(app, case_id)["heard_from"] is None


def test_stale_version_is_refused(app, case_setup):
    client, case_id, _h = case_setup
    _post(client, case_id, {"gender": "male"})
    response = client.post(f"/staff/cases/{case_id}", data={"gender": "female", "version": "1"})
    assert response.status_code == 400
    assert _stored(app, case_id)["gender"] == "male"


def test_notes_are_dated_and_audited(app, case_setup):
    client, case_id, _h = case_setup
    response = client.post(f"/staff/cases/{case_id}/notes",
                           data={"note-noted_on": "2026-11-21", "note-body": "Ringede, aftalt møde."})
    assert response.status_code == 303
    page = client.get(f"/staff/cases/{case_id}").get_data(as_text=True)
    assert "2026-11-21" in page and "Ringede, aftalt møde." in page
    assert client.post(f"/staff/cases/{case_id}/notes", data={"note-body": "x" * (limits.CASE_NOTE_MAX + 1)}).status_code == 400
    with app.app_context():
        actions = db.session().scalars(select(AuditEvent.action).where(AuditEvent.object_type == "case")).all()
    assert {"case.open", "case.view", "case.note"} <= set(actions)
    # Content is never in the audit trail.
    with app.app_context():
        rows = db.session().execute(select(AuditEvent.__table__)).all()
    assert "Ringede" not in repr(rows)
