"""The family sees the day, not a rule: the confirmation and thread pages
name the promised day in the family's language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from flask_babel import force_locale, gettext
from sqlalchemy import select

from portal import db
from portal.models import Inquiry
from portal.services import inquiries as inquiry_service
from portal.services.workdays import local_date
from tests.conftest import receipt_from

CPH = ZoneInfo("Europe/Copenhagen")
MONDAY_MORNING = datetime(2026, 11, 23, 10, tzinfo=CPH)   # three working days: Thursday 26 November


@pytest.fixture
def monday(monkeypatch):
    """Questions arrive on Monday 23 November 2026 at 10:00."""
    monkeypatch.setattr(inquiry_service, "utcnow", lambda: MONDAY_MORNING)


@pytest.mark.parametrize("lang, day", [
    ("da", "torsdag den 26. november 2026"),
    ("ar", "الخميس، 26 نوفمبر 2026"),
    ("en", "Thursday, November 26, 2026"),
])
def test_the_question_confirmation_names_the_day(client, monday, lang, day):
    html = client.post(f"/{lang}/ask", data={"question": "Hvad får jeg i barselsdagpenge?"}).get_data(as_text=True)
    assert day in html
    assert "working day" not in html


def test_the_thread_names_the_day_and_owns_up_when_it_has_passed(client, monday):
    code = receipt_from(client.post("/da/ask", data={"question": "Kan jeg få hjælp til huslejen?"})
                        .get_data(as_text=True))
    html = client.post("/da/answer", data={"code": code}).get_data(as_text=True)
    # It is December now: the promise has passed, and the page says so kindly.
    assert "torsdag den 26. november" not in html
    with client.application.test_request_context(), force_locale("da"):
        sorry = gettext("There is no answer yet. We are sorry that it is taking longer than we promised. "
                        "A counsellor will answer as soon as possible. Come back later with your code.")
    assert sorry in html


def test_the_thread_names_the_day_while_it_is_ahead(client, ask):
    code = ask(lang="ar")
    html = client.post("/ar/answer", data={"code": code}).get_data(as_text=True)
    with client.application.app_context():
        stored = db.session().scalars(select(Inquiry)).one()
        assert format_date(local_date(stored.due_at), "full", locale="ar") in html


@pytest.mark.parametrize("lang", ["da", "ar"])
def test_the_call_back_confirmation_names_the_stored_day(app, client, lang):
    response = client.post(f"/{lang}/contact-me", data={"phone": "12345678", "pregnancy_status": "pregnant", "consent": "y"})
    assert response.status_code == 303, response.get_data(as_text=True)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        stored = db.session().scalars(select(Inquiry)).one()
        due_on = local_date(stored.due_at)
    assert format_date(due_on, "full", locale=lang) in html
    assert response.headers["Location"].endswith("?by=" + due_on.isoformat())


def test_an_edited_day_in_the_url_falls_back_to_the_promise(client):
    html = client.get("/da/contact-me/sent?by=2099-01-01").get_data(as_text=True)
    assert "2099" not in html
    assert client.get("/da/contact-me/sent?by=nonsense").status_code == 200


def test_the_midwife_sees_the_day_the_family_will_be_called(app, make_user):
    from tests.blueprints.test_referrals_flow import REFERRAL
    from tests.conftest import login
    midwife = make_user("referrer")
    referrer = app.test_client()
    login(app, referrer, midwife)
    assert referrer.post("/refer/new", data=REFERRAL).status_code == 303
    with app.app_context():
        stored = db.session().scalars(select(Inquiry)).one()
        inquiry_id, due_on = stored.id, local_date(stored.due_at)
    detail = referrer.get(f"/refer/referrals/{inquiry_id}").get_data(as_text=True)
    assert format_date(due_on, "full", locale="da") in detail
