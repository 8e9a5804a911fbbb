"""The surveys through the test client: the counsellor's slip, the family's
survey in Danish and Arabic, the typed code, a used link, the hospital
staff's link and the lead's page."""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal import db
from portal.models import SurveyInvitation, SurveyResponse, User
from portal.services import surveys
from tests.factories import make_case, make_closed_case

CODE_RE = re.compile(r'class="receipt-code"[^>]*>([^<]+)<')
LINK_RE = re.compile(r'class="leaflet-url survey-link"[^>]*>([^<]+)<')
STAFF_LINK_RE = re.compile(r'class="setup-link staff-survey-link"[^>]*>([^<]+)<')


def _closed_case(app, user: dict, *, closed: bool = True) -> int:
    with app.app_context():
        sess = db.session()
        holder = sess.get(User, user["id"])
        case = make_closed_case(sess, holder) if closed else make_case(sess, holder)
        db.commit()
        return case.id


def _offer(client, case_id: int, lang: str) -> tuple[str, str]:
    """The counsellor makes the survey; returns (link path, printed code) from the slip."""
    response = client.post(f"/staff/cases/{case_id}/survey", data={"survey-language": lang})
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    link, code = LINK_RE.search(html).group(1), CODE_RE.search(html).group(1)
    return re.sub(r"^https?://[^/]+", "", link), code


def _responses(app) -> list[SurveyResponse]:
    """The stored responses, loaded whole (read after the app context ends)."""
    with app.app_context():
        sess = db.session()
        rows = list(sess.scalars(select(SurveyResponse)))
        sess.expunge_all()
        return rows


@pytest.mark.parametrize("lang, direction", [("da", "ltr"), ("ar", "rtl")])
def test_family_answers_once_in_their_language(app, staff_client, lang, direction):
    counsellor, user = staff_client("counsellor")
    case_id = _closed_case(app, user)
    case_page = counsellor.get(f"/staff/cases/{case_id}").get_data(as_text=True)
    assert f"/staff/cases/{case_id}/survey" in case_page
    path, code = _offer(counsellor, case_id, lang)
    assert path.startswith(f"/{lang}/survey/") and path.endswith(code.replace(" ", ""))

    family = app.test_client()
    page = family.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert html.count('type="radio"') == 4 * 5 and html.count("<fieldset") == 4
    response = family.post(path, data={"helped": "strongly_agree", "recommend": "agree", "free_text": "Tak!"})
    assert response.status_code == 303 and response.headers["Location"] == f"/{lang}/survey/thank-you"
    assert family.get(response.headers["Location"]).status_code == 200
    [stored] = _responses(app)
    assert (stored.kind, stored.language, stored.answers, stored.free_text) == (
        "family", lang, {"helped": "strongly_agree", "recommend": "agree"}, "Tak!")

    again = family.post(path, data={"helped": "disagree"})
    assert again.status_code == 404 and len(_responses(app)) == 1
    assert family.get(path).status_code == 404


def test_used_expired_and_wrong_links_get_the_same_kind_page(app, staff_client, monkeypatch):
    counsellor, user = staff_client("counsellor")
    used, _code = _offer(counsellor, _closed_case(app, user), "da")
    expired, _code = _offer(counsellor, _closed_case(app, user), "da")
    app.test_client().post(used, data={"helped": "agree"})
    later = date.today() + timedelta(days=surveys.FAMILY_SURVEY_DAYS + 1)
    monkeypatch.setattr(surveys, "today", lambda: later)
    pages = [app.test_client().get(path) for path in (used, expired, "/da/survey/2222333344445555")]
    assert {page.status_code for page in pages} == {404}
    bodies = {page.get_data(as_text=True).split("<main", 1)[1] for page in pages}
    assert len(bodies) == 1  # nothing tells the three apart


def test_family_types_the_code_from_the_slip(app, staff_client):
    counsellor, user = staff_client("counsellor")
    path, code = _offer(counsellor, _closed_case(app, user), "ar")
    family = app.test_client()
    assert family.get("/da/survey").status_code == 200
    wrong = family.post("/da/survey", data={"code": "2222 3333 4444 5555"})
    assert wrong.status_code == 200 and "form-error-message" in wrong.get_data(as_text=True)
    typed = family.post("/da/survey", data={"code": code.lower().replace(" ", "-")})
    # The family chose Danish on the page; the survey opens in Danish.
    assert typed.status_code == 303 and typed.headers["Location"] == "/da" + path[3:]
    assert family.post(typed.headers["Location"], data={"understood": "neutral"}).status_code == 303
    assert [r.language for r in _responses(app)] == ["da"]


def test_wrong_codes_count_against_a_limit(make_app, make_user):
    app = make_app(RATELIMIT_RECEIPT_FAILURES="3 per minute")
    family = app.test_client()
    for _ in range(3):
        assert family.post("/da/survey", data={"code": "2222 3333 4444 5555"}).status_code == 200
    assert family.get("/da/survey/2222333344445555").status_code == 429
    assert family.post("/da/survey", data={"code": "2222 3333 4444 5555"}).status_code == 429


def test_an_open_case_gets_no_survey_form_and_no_survey(app, staff_client):
    counsellor, user = staff_client("counsellor")
    case_id = _closed_case(app, user, closed=False)
    assert f"/staff/cases/{case_id}/survey" not in counsellor.get(f"/staff/cases/{case_id}").get_data(as_text=True)
    response = counsellor.post(f"/staff/cases/{case_id}/survey", data={"survey-language": "da"})
    assert response.status_code == 303
    assert "alert-error" in counsellor.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(SurveyInvitation)) == 0


def test_double_submit_at_the_same_moment_stores_one_response(app, staff_client):
    counsellor, user = staff_client("counsellor")
    path, _code = _offer(counsellor, _closed_case(app, user), "da")
    threads_count = 6
    barrier = threading.Barrier(threads_count)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            client = app.test_client()
            barrier.wait(timeout=30)
            statuses.append(client.post(path, data={"helped": "agree"}).status_code)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sorted(statuses) == [303] + [404] * (threads_count - 1)
    assert len(_responses(app)) == 1


def test_lead_makes_a_staff_link_staff_answer_it_and_the_lead_reads_the_answers(app, staff_client):
    lead, _user = staff_client("lead")
    page = lead.get("/staff/surveys")
    assert page.status_code == 200 and "/staff/surveys" in page.get_data(as_text=True)
    made = lead.post("/staff/surveys", data={"hospital": "hgh", "days": "14"})
    assert made.status_code == 200
    link = STAFF_LINK_RE.search(made.get_data(as_text=True)).group(1)
    path = re.sub(r"^https?://[^/]+", "", link)
    assert path.startswith("/staff/survey/")
    assert path not in lead.get("/staff/surveys").get_data(as_text=True)  # shown once

    for answer, text in (("agree", "Hurtig tilbagemelding"), ("disagree", None)):
        midwife = app.test_client()  # no account
        form = midwife.get(path + "?lang=en")
        assert form.status_code == 200 and 'lang="en"' in form.get_data(as_text=True)
        sent = midwife.post(path, data={"easy_to_refer": answer, "free_text": text or ""})
        assert sent.status_code == 303 and sent.headers["Location"] == "/staff/survey/thank-you"
    assert {r.kind for r in _responses(app)} == {"staff"} and len(_responses(app)) == 2

    summary = lead.get("/staff/surveys").get_data(as_text=True)
    assert "Hurtig tilbagemelding" in summary
    with app.app_context():
        link_id = db.session().scalar(select(SurveyInvitation.id))
    closed = lead.post(f"/staff/surveys/{link_id}/close")
    assert closed.status_code == 303
    assert app.test_client().get(path).status_code == 404


def test_the_lead_page_refuses_a_bad_link_form(app, staff_client):
    lead, _user = staff_client("lead")
    response = lead.post("/staff/surveys", data={"hospital": "", "days": "0"})
    assert response.status_code == 400 and "error-summary" in response.get_data(as_text=True)


def test_a_family_code_does_not_open_the_staff_survey_and_back(app, staff_client):
    counsellor, user = staff_client("counsellor")
    path, code = _offer(counsellor, _closed_case(app, user), "da")
    assert app.test_client().get(f"/staff/survey/{code.replace(' ', '')}").status_code == 404
    lead, _user = staff_client("lead")
    made = lead.post("/staff/surveys", data={"hospital": "rh", "days": "3"}).get_data(as_text=True)
    token = STAFF_LINK_RE.search(made).group(1).rsplit("/", 1)[1]
    assert app.test_client().get(f"/da/survey/{token}").status_code == 404
    assert app.test_client().get(path).status_code == 200


def test_portal_purge_deletes_expired_survey_links(app, staff_client, monkeypatch):
    counsellor, user = staff_client("counsellor")
    _offer(counsellor, _closed_case(app, user), "da")
    kept, _code = _offer(counsellor, _closed_case(app, user), "da")
    with app.app_context():
        first = db.session().scalars(select(SurveyInvitation).order_by(SurveyInvitation.id)).first()
        first.expires_on = surveys.today() - timedelta(days=1)
        db.commit()
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0 and "     1  expired survey links deleted" in result.output
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(SurveyInvitation)) == 1
    assert app.test_client().get(kept).status_code == 200


def test_only_a_lead_sees_the_surveys_menu_item(app, staff_client):
    lead, _lead = staff_client("lead")
    counsellor, _counsellor = staff_client("counsellor")
    assert 'href="/staff/surveys"' in lead.get("/staff/").get_data(as_text=True)
    assert 'href="/staff/surveys"' not in counsellor.get("/staff/").get_data(as_text=True)


def test_no_table_holds_the_survey_code_or_the_client(app, staff_client, caplog):
    """After offering, opening, typing and answering: no row holds the code
    (in any spelling), the client's address or its user agent."""
    import logging

    from sqlalchemy import inspect, text
    caplog.set_level(logging.DEBUG)
    counsellor, user = staff_client("counsellor")
    path, code = _offer(counsellor, _closed_case(app, user), "tr")
    family = app.test_client()
    family.environ_base.update({"REMOTE_ADDR": "203.0.113.78", "HTTP_USER_AGENT": "SurveyProbe/1.0"})
    family.post("/tr/survey", data={"code": code})
    family.get(path)
    family.post(path, data={"helped": "agree", "free_text": "Çok teşekkürler"})
    with app.app_context():
        sess = db.session()
        everything = "\n".join(" ".join(str(value) for value in row)
                               for table in inspect(sess.get_bind()).get_table_names()
                               for row in sess.execute(text(f'SELECT * FROM "{table}"')))
        stored = sess.scalars(select(SurveyResponse.free_text)).all()
    assert stored == ["Çok teşekkürler"]  # the answer was stored (encrypted: not in the dump)
    assert "Çok teşekkürler" not in everything
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for needle in (code, code.replace(" ", ""), code.replace(" ", "").lower(), "203.0.113.78", "SurveyProbe"):
        assert needle not in everything and needle not in logged, needle
