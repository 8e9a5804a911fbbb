"""A person's rights through the pages: a lead's JSON download and two-step
erasure (staff/privacy.py), and a family deleting their own question with
its code (public/withdrawal.py)."""

from __future__ import annotations

import json
import re
import time

import pytest
from sqlalchemy import func, inspect, select, text

from portal import db
from portal.models import AuditEvent, Inquiry
from portal.services import cases, triage
from tests.factories import make_case, make_contact_request

TOKEN_RE = re.compile(r'name="token"[^>]*value="([^"]+)"')


@pytest.fixture
def subject(app, make_user):
    """A contact request with a case and a note, held by a counsellor."""
    counsellor = make_user("counsellor")
    with app.app_context():
        sess = db.session()
        from portal.models import User
        holder = sess.get(User, counsellor["id"])
        family = make_contact_request(sess, phone="55667788", nickname="Prøvenavn")
        case = make_case(sess, holder, family)
        cases.add_note(sess, holder, case, body="En note om familiens økonomi")
        db.commit()
        return {"inquiry": family.id, "case": case.id, "label": family.label}


def _token(response) -> str:
    match = TOKEN_RE.search(response.get_data(as_text=True))
    assert match, "no confirmation token on the page"
    return match.group(1)


@pytest.mark.parametrize("kind", ["inquiry", "case"])
def test_lead_downloads_everything_as_json(app, staff_client, subject, kind):
    client, _lead = staff_client("lead", language="en")
    path = f"/staff/inquiries/{subject['inquiry']}" if kind == "inquiry" else f"/staff/cases/{subject['case']}"
    page = client.get(path).get_data(as_text=True)
    assert f'{path}/export.json' in page and f'{path}/erase' in page
    response = client.get(f"{path}/export.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.get_data(as_text=True))
    assert data["contact_details"]["phone"] == "55667788"
    assert [n["body"] for n in data["notes"]] == ["En note om familiens økonomi"]
    with app.app_context():
        events = db.session().scalars(select(AuditEvent.object_id).where(AuditEvent.action == f"{kind}.exported")).all()
    assert events == [subject[kind]]


@pytest.mark.parametrize("role", ["counsellor", "referrer", "association_editor", "admin"])
def test_only_a_lead_exports_or_erases(staff_client, subject, role):
    client, _user = staff_client(role)
    inquiry = f"/staff/inquiries/{subject['inquiry']}"
    assert client.get(f"{inquiry}/export.json").status_code == 403
    assert client.get(f"/staff/cases/{subject['case']}/export.json").status_code == 403
    assert client.post(f"{inquiry}/erase").status_code == 403
    assert client.post(f"{inquiry}/erase/confirm", data={"token": "x", "label": subject["label"]}).status_code == 403
    if role == "counsellor":
        assert f"{inquiry}/export.json" not in client.get(inquiry).get_data(as_text=True)


def _remaining(app, inquiry_id: int, case_id: int) -> dict[str, int]:
    """Rows in any table that still point at the inquiry or the case."""
    keys = {"inquiry_id": inquiry_id, "case_id": case_id}
    found = {}
    with app.app_context():
        sess = db.session()
        for table in inspect(sess.get_bind()).get_table_names():
            if table == "alembic_version":
                continue
            columns = {c["name"] for c in inspect(sess.get_bind()).get_columns(table)}
            where = [f"{column} = :{column}" for column in keys if column in columns]
            if table == "inquiries":
                where.append("id = :inquiry_id")
            if table == "cases":
                where.append("id = :case_id")
            if table == "audit_events":
                where.append("(object_type IN ('inquiry', 'case') AND object_id IN (:inquiry_id, :case_id))")
            if where:
                found[table] = sess.execute(text(f"SELECT count(*) FROM {table} WHERE {' OR '.join(where)}"),  # noqa: S608 - names from the schema
                                            keys).scalar_one()
    return {table: count for table, count in found.items() if count}


def test_two_step_erasure(app, staff_client, subject):
    client, _lead = staff_client("lead", language="en")
    inquiry = f"/staff/inquiries/{subject['inquiry']}"
    first = client.post(f"{inquiry}/erase")
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and subject["label"] in page
    assert "no longer count in the evaluation" in page and "Notes" in page
    token = _token(first)
    # A wrong label keeps the lead on the form, with an error; nothing is erased.
    wrong = client.post(f"{inquiry}/erase/confirm", data={"token": token, "label": "Et andet navn"})
    assert wrong.status_code == 400 and "Type the name exactly" in wrong.get_data(as_text=True)
    assert _token(wrong) == token
    assert "cases" in _remaining(app, subject["inquiry"], subject["case"])
    done = client.post(f"{inquiry}/erase/confirm", data={"token": token, "label": subject["label"]})
    assert done.status_code == 303 and done.headers["Location"] == "/staff/"
    assert _remaining(app, subject["inquiry"], subject["case"]) == {}
    with app.app_context():
        erased = db.session().execute(select(AuditEvent.action, AuditEvent.object_type)
                                      .where(AuditEvent.action.like("%.erased"))).all()
    assert {tuple(e) for e in erased} == {("inquiry.erased", "erased_inquiry"),
                                                           ("case.erased", "erased_case")}
    assert client.get(inquiry).status_code == 404


def test_an_expired_confirmation_erases_nothing(app, staff_client, subject):
    client, _lead = staff_client("lead", language="en")
    case = f"/staff/cases/{subject['case']}"
    token = _token(client.post(f"{case}/erase"))
    app.config["ERASE_CONFIRM_MINUTES"] = 0
    time.sleep(1.1)
    response = client.post(f"{case}/erase/confirm", data={"token": token, "label": subject["label"]})
    assert response.status_code == 303 and response.headers["Location"] == case
    assert "The confirmation has expired" in client.get(case).get_data(as_text=True)
    assert "cases" in _remaining(app, subject["inquiry"], subject["case"])


def test_a_forged_token_erases_nothing(app, staff_client, subject):
    client, _lead = staff_client("lead", language="en")
    case = f"/staff/cases/{subject['case']}"
    response = client.post(f"{case}/erase/confirm", data={"token": "forged.token", "label": subject["label"]})
    assert response.status_code == 303
    assert "cases" in _remaining(app, subject["inquiry"], subject["case"])


# --- the family deletes their own question ---------------------------------------

def test_family_deletes_their_question_with_its_code(app, client, ask, staff_client):
    code = ask("Et spørgsmål vi vil slette igen")
    thread = client.post("/da/answer", data={"code": code})
    assert "/da/answer/delete" in thread.get_data(as_text=True)
    confirm = client.post("/da/answer/delete", data={"code": code})
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and code in page  # in a hidden field, never a URL
    gone = client.post("/da/answer/delete/confirm", data={"code": code})
    assert gone.status_code == 303 and gone.headers["Location"] == "/da/answer/deleted"
    assert code not in gone.headers["Location"]
    assert client.get("/da/answer/deleted").status_code == 200
    with app.app_context():
        sess = db.session()
        [kept] = sess.scalars(select(Inquiry)).all()
        assert kept.withdrawn_at is not None and kept.receipt_digest is None and kept.messages == []
        assert sess.scalar(select(func.count()).select_from(AuditEvent)
                           .where(AuditEvent.action == "inquiry.withdrawn")) == 1
        inquiry_id = kept.id
    again = client.post("/da/answer", data={"code": code})
    assert "Tjek den" in again.get_data(as_text=True) or "could not find" in again.get_data(as_text=True)
    # Staff see that the family deleted it.
    lead, _user = staff_client("lead", language="en")
    staff_page = lead.get(f"/staff/inquiries/{inquiry_id}").get_data(as_text=True)
    assert "deleted this question and its answers themselves" in staff_page
    assert "Et spørgsmål vi vil slette igen" not in staff_page


def test_family_may_change_their_mind(client, ask):
    code = ask("Et spørgsmål vi beholder")
    back = client.post("/da/answer/delete/cancel", data={"code": code})
    assert back.status_code == 200 and "Et spørgsmål vi beholder" in back.get_data(as_text=True)


def test_a_wrong_code_deletes_nothing(app, client, ask):
    ask("Et spørgsmål der skal blive")
    for path in ("/da/answer/delete", "/da/answer/delete/confirm"):
        response = client.post(path, data={"code": "FORKERT-KODE-1234"})
        assert response.status_code == 200 and 'class="receipt' not in response.get_data(as_text=True)
    with app.app_context():
        [kept] = db.session().scalars(select(Inquiry)).all()
        assert kept.withdrawn_at is None and len(kept.messages) == 1


def test_an_answered_question_is_deleted_by_the_family(app, client, ask, make_user):
    code = ask("Et spørgsmål med svar")
    counsellor = make_user("counsellor")
    with app.app_context():
        sess = db.session()
        from portal.models import User
        user = sess.get(User, counsellor["id"])
        inquiry = sess.scalars(select(Inquiry)).one()
        triage.claim(sess, user, inquiry.id)
        triage.answer(sess, user, inquiry, "Her er vores svar")
        db.commit()
    client.post("/da/answer/delete/confirm", data={"code": code})
    with app.app_context():
        assert db.session().scalars(select(Inquiry)).one().messages == []


def test_wrong_codes_on_the_delete_pages_count_against_the_thread_limit(make_app):
    """Deleting is rate-limited like reading: wrong codes on the delete
    pages and on the thread page share one limit."""
    app = make_app(RATELIMIT_RECEIPT_FAILURES="3 per minute")
    client = app.test_client()
    statuses = [client.post(path, data={"code": f"2222 3333 4444 5555 {n:04d}"}).status_code
                for n, path in enumerate(("/da/answer/delete", "/da/answer/delete/confirm", "/da/answer",
                                          "/da/answer/delete"))]
    assert statuses == [200, 200, 200, 429]
