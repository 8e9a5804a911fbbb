"""Every kind of bad input, on every public form: the form comes back with
an error summary (links to the fields, translated "Error:" in the title),
with what the person typed kept; nothing ever becomes a 500."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from flask_babel import force_locale, gettext
from markupsafe import escape
from sqlalchemy import func, select

from portal import db
from portal.i18n import LANGUAGES
from portal.models import Inquiry, Message
from tests.conftest import receipt_from

VALID_CONTACT = {"phone": "12 34 56 78", "pregnancy_status": "pregnant", "consent": "y",
                 "conversation_language": "da"}

# form name -> (path, valid data, the text field to abuse, its limit)
FORMS = {
    "ask": ("/{lang}/ask", {"question": "Et helt almindeligt spørgsmål"}, "question", 5000),
    "contact": ("/{lang}/contact-me", {**VALID_CONTACT, "note": "Ring gerne"}, "note", 500),
    "reply": ("/{lang}/answer/reply", {"message": "Tak for svaret"}, "message", 5000),
}


def _translated(app, lang: str, text: str) -> str:
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        return gettext(text)


def _title(html: str) -> str:
    return htmllib.unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))


def _summary_links(html: str) -> list[str]:
    summary = re.search(r'data-module="error-summary".*?</ul>', html, re.S)
    assert summary, "no error summary"
    return re.findall(r'href="#([^"]+)"', summary.group(0))


@pytest.fixture
def form_data(client, ask):
    """Valid data per form (the reply form needs a real code)."""
    code = ask()

    def _data(name: str) -> dict:
        path, data, field, limit = FORMS[name]
        data = dict(data)
        if name == "reply":
            data["code"] = code
        return data

    return _data


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("name", list(FORMS))
def test_empty_or_too_long_text_is_a_form_error_in_the_language(app, client, form_data, name, lang):
    path, _data, field, limit = FORMS[name]
    data = form_data(name)
    data[field] = "x" * (limit + 1)
    response = client.post(path.format(lang=lang), data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    prefix = _translated(app, lang, "Error:")
    assert _title(html).startswith(prefix + " ")
    if lang != "en":
        assert prefix != "Error:", f"'Error:' is not translated into {lang}"
    assert field in _summary_links(html)
    assert f'id="{field}-error"' in html
    assert "x" * (limit + 1) in html  # the typed text is kept


@pytest.mark.parametrize("name", list(FORMS))
def test_any_script_is_stored_and_shown_exactly_and_escaped(app, client, form_data, name):
    path, _data, field, limit = FORMS[name]
    text = "مرحبا Привіт 👶🏽 é (e\u0301) ﷽ <script>alert(1)</script> & \"quotes\""
    data = form_data(name)
    data[field] = text
    response = client.post(path.format(lang="ar"), data=data)
    assert response.status_code in (200, 303)
    with app.app_context():
        stored = db.session().scalars(select(Message.body)).all()
        notes = db.session().scalars(select(Inquiry)).all()
        everything = stored + [i.contact.note for i in notes if i.contact]
    assert text in everything
    if name != "contact":
        code = receipt_from(response.get_data(as_text=True)) if name == "ask" else data["code"]
        html = client.post("/ar/answer", data={"code": code}).get_data(as_text=True)
        assert str(escape(text)) in html
        assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize("name", list(FORMS))
def test_control_characters_are_removed(app, client, form_data, name):
    path, _data, field, _limit = FORMS[name]
    data = form_data(name)
    data[field] = "Hej\x00 med\x08 dig\x1b og tak\x7f"
    client.post(path.format(lang="da"), data=data)
    with app.app_context():
        stored = db.session().scalars(select(Message.body)).all()
        stored += [i.contact.note for i in db.session().scalars(select(Inquiry)) if i.contact]
    assert "Hej med dig og tak" in stored
    assert not any("\x00" in (s or "") for s in stored)


@pytest.mark.parametrize("name", list(FORMS))
def test_text_at_the_limit_is_accepted(app, client, form_data, name):
    path, _data, field, limit = FORMS[name]
    data = form_data(name)
    data[field] = "æ" * limit
    response = client.post(path.format(lang="da"), data=data)
    assert response.status_code in (200, 303)
    assert "error-summary" not in response.get_data(as_text=True)


def test_ask_requires_a_question_of_ten_characters(client):
    for question in ("", "   ", "kort"):
        response = client.post("/da/ask", data={"question": question, "topics": ["economy"]})
        html = response.get_data(as_text=True)
        assert _summary_links(html) == ["question"]
        assert 'value="economy" checked' in html or 'checked value="economy"' in html or re.search(r'<input[^>]*checked[^>]*value="economy"|<input[^>]*value="economy"[^>]*checked', html)


@pytest.mark.parametrize("data, field", [
    ({"question": "Et godt spørgsmål her", "topics": ["not_a_topic"]}, "topics-0"),
    ({"question": "Et godt spørgsmål her", "hospital": "xyz"}, "hospital"),
])
def test_ask_refuses_unknown_choices(client, data, field):
    response = client.post("/da/ask", data=data)
    assert response.status_code == 200
    assert field in _summary_links(response.get_data(as_text=True))


def test_answer_needs_a_code(client):
    html = client.post("/da/answer", data={"code": "   "}).get_data(as_text=True)
    assert _summary_links(html) == ["code"]
    html = client.post("/da/answer", data={"code": "A" * 65}).get_data(as_text=True)
    assert _summary_links(html) == ["code"]


def test_wrong_code_keeps_what_was_typed(client):
    html = client.post("/da/answer", data={"code": "abcd efgh"}).get_data(as_text=True)
    assert 'value="abcd efgh"' in html
    assert _summary_links(html) == ["code"]


@pytest.mark.parametrize("changes, links", [
    ({"phone": "", "email": ""}, ["phone"]),
    ({"phone": "12"}, ["phone"]),
    ({"phone": "abc defg hij"}, ["phone"]),
    ({"phone": "", "email": "not-an-address"}, ["email"]),
    ({"consent": ""}, ["consent"]),
    ({"pregnancy_status": ""}, ["pregnancy_status-0"]),
    ({"pregnancy_status": "maybe"}, ["pregnancy_status-0"]),
    ({"hospital": "xyz"}, ["hospital"]),
    ({"child_month": "1999-01"}, ["child_month"]),
    ({"conversation_language": "xx"}, ["conversation_language"]),
    ({"best_times": ["midnight"]}, ["best_times-0"]),
    ({"nickname": "n" * 81}, ["nickname"]),
    ({"email": "a" * 250 + "@example.dk"}, ["email"]),
])
def test_contact_form_errors_link_to_their_fields_and_keep_input(app, client, changes, links):
    data = {**VALID_CONTACT, "nickname": "Mille", "note": "Bedst efter kl. 10", **changes}
    response = client.post("/da/contact-me", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _summary_links(html) == links
    assert 'value="Mille"' in html or "nickname" in changes
    assert "Bedst efter kl. 10" in html
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Inquiry)) == 0


def test_contact_accepts_email_only(client):
    data = {**VALID_CONTACT, "phone": "", "email": "mille@example.dk"}
    assert client.post("/da/contact-me", data=data).status_code == 303


@pytest.mark.parametrize("name", list(FORMS))
def test_honeypot_refuses_bots(app, client, form_data, name):
    path, *_ = FORMS[name]
    data = {**form_data(name), "website": "http://spam.example"}
    response = client.post(path.format(lang="da"), data=data)
    assert response.status_code == 200
    assert "error-summary" in response.get_data(as_text=True)
    with app.app_context():
        # Only the question the fixture asked exists.
        assert db.session().scalar(select(func.count()).select_from(Message)) == 1


def test_minimum_fill_time(make_app):
    app = make_app(MIN_FILL_SECONDS=3)
    client = app.test_client()
    html = client.get("/da/ask").get_data(as_text=True)
    started = re.search(r'name="started" type="hidden" value="([^"]+)"', html).group(1)
    too_fast = client.post("/da/ask", data={"question": "Et hurtigt spørgsmål", "started": started})
    html = too_fast.get_data(as_text=True)
    assert "receipt-code" not in html and "error-summary" in html
    assert "Et hurtigt spørgsmål" in html
    missing = client.post("/da/ask", data={"question": "Et spørgsmål uden stempel"})
    assert "receipt-code" not in missing.get_data(as_text=True)

    import time

    from portal.forms import _serializer
    with app.app_context():
        old = _serializer().dumps(time.time() - 10)
    ok = client.post("/da/ask", data={"question": "Et roligt spørgsmål", "started": old})
    assert "receipt-code" in ok.get_data(as_text=True)


def test_post_rate_limit_per_client(make_app):
    client = make_app(RATELIMIT_POST="3 per 10 minutes").test_client()
    codes = [client.post("/da/ask", data={"question": "Spørgsmål om barsel"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


@pytest.mark.parametrize("path", ["/xx/", "/zz/ask", "/english/contact-me"])
def test_bad_language_prefix_gives_translated_404(app, client, path):
    response = client.get(path, headers={"Accept-Language": "uk,en;q=0.5"})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert 'lang="uk"' in html
    assert _translated(app, "uk", "We could not find the page") in html


def test_unknown_page_under_a_language_is_404_in_that_language(app, client):
    response = client.get("/ar/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and 'dir="rtl"' in html
    assert _translated(app, "ar", "We could not find the page") in html
