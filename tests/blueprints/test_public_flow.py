"""The anonymous question flow end to end, in Arabic, through the test client."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal import db
from portal.models import Inquiry
from portal.services import triage
from tests.factories import make_counsellor


def _staff_answers(app, text: str) -> None:
    """A counsellor takes the one new question from the queue and answers it."""
    with app.app_context():
        session = db.session()
        counsellor = make_counsellor(session)
        new = triage.queue(session, counsellor, triage.QueueFilter(status="new")).rows
        assert len(new) == 1
        triage.claim(session, counsellor, new[0].id)
        triage.answer(session, counsellor, new[0], text)
        db.commit()


def test_arabic_flow_ask_answer_read_and_follow_up(app, client, ask):
    question = "مرحبا، أنا حامل في الشهر السادس وأحتاج مساعدة بخصوص السكن."
    code = ask(question, lang="ar", topics=["housing"], hospital="ahh")
    assert len(code.replace(" ", "")) == 20 and code.count(" ") == 4

    page = client.get("/ar/answer").get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in page

    _staff_answers(app, "شكرا لسؤالك. يمكننا مساعدتك في التقديم على دعم السكن.")

    typed = code.lower().replace(" ", "  ")  # lower-case, extra spaces
    response = client.post("/ar/answer", data={"code": " " + typed + " "})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert question in html
    assert "يمكننا مساعدتك في التقديم على دعم السكن" in html
    assert response.headers["Cache-Control"] == "no-store"

    dashed = code.replace(" ", "-")
    response = client.post("/ar/answer/reply", data={"code": dashed, "message": "شكرا! متى يمكنني الاتصال؟"})
    assert response.status_code == 200
    assert "شكرا! متى يمكنني الاتصال؟" in response.get_data(as_text=True)

    with app.app_context():
        rows = db.session().scalars(select(Inquiry)).all()
        assert len(rows) == 1  # the follow-up landed in the same thread
        bodies = [m.body for m in rows[0].messages]
        assert bodies == [question, "شكرا لسؤالك. يمكننا مساعدتك في التقديم على دعم السكن.",
                          "شكرا! متى يمكنني الاتصال؟"]
        assert [m.author for m in rows[0].messages] == ["family", "staff", "family"]
        assert rows[0].language == "ar"
        assert rows[0].topics == ["housing"]
        assert rows[0].hospital.code == "ahh"


def test_wrong_code_is_refused_and_eleventh_wrong_try_gets_429(client, ask):
    ask("Et spørgsmål om økonomi og barsel", lang="ar")
    for attempt in range(10):
        response = client.post("/ar/answer", data={"code": f"2222 3333 4444 5555 {attempt:04d}"})
        assert response.status_code == 200, attempt
        html = response.get_data(as_text=True)
        assert 'class="form-error-message"' in html
        assert "thread-message" not in html
    response = client.post("/ar/answer", data={"code": "2222 3333 4444 5555 6666"})
    assert response.status_code == 429
    assert 'lang="ar"' in response.get_data(as_text=True)


def test_right_codes_do_not_count_as_failures(client, ask):
    code = ask()
    for _ in range(15):
        assert client.post("/da/answer", data={"code": code}).status_code == 200


def test_wrong_code_on_reply_counts_and_is_refused(client, ask):
    ask()
    response = client.post("/da/answer/reply", data={"code": "ZZZZ", "message": "Hej igen"})
    assert response.status_code == 200
    assert "thread-message" not in response.get_data(as_text=True)


def test_reloaded_follow_up_is_stored_once(app, client, ask):
    code = ask()
    for _ in range(2):
        client.post("/da/answer/reply", data={"code": code, "message": "Samme besked to gange"})
    with app.app_context():
        inquiry = db.session().scalars(select(Inquiry)).one()
        assert [m.body for m in inquiry.messages].count("Samme besked to gange") == 1


def test_contact_request_is_stored_with_details_in_their_own_table(app, client):
    response = client.post("/uk/contact-me", data={
        "nickname": "Оксана", "phone": "+45 12 34 56 78", "email": "",
        "may_send_text": "y", "best_times": ["morning"], "hospital": "rh",
        "pregnancy_status": "pregnant", "child_month": "", "topics": ["housing", "economy"],
        "note": "Краще телефонувати до обіду.", "conversation_language": "uk",
        "interpreter_needed": "y", "consent": "y",
    })
    assert response.status_code == 303
    assert re.search(r"/uk/contact-me/sent\?by=\d{4}-\d{2}-\d{2}$", response.headers["Location"])
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    with app.app_context():
        inquiry = db.session().scalars(select(Inquiry)).one()
        assert inquiry.kind == "self_referral"
        assert inquiry.receipt_digest is None
        assert inquiry.interpreter_needed is True
        assert inquiry.conversation_language == "uk"
        assert inquiry.contact.nickname == "Оксана"
        assert inquiry.contact.phone == "+45 12 34 56 78"
        assert inquiry.contact.may_send_text and not inquiry.contact.may_leave_voicemail
        assert inquiry.contact.best_times == ["morning"]
        assert inquiry.contact.erase_after > inquiry.contact.consent_at


def test_landing_page_says_what_is_stored_and_shows_ways_in(client):
    html = client.get("/en/").get_data(as_text=True)
    for href in ('href="/en/ask"', 'href="/en/contact-me"', 'href="/en/activities"', 'href="/en/answer"'):
        assert href in html
    assert "We do not store your name, your IP address" in html
    assert "writes nothing in your hospital record" in html
    assert 'href="tel:33458670"' in html
    assert client.get("/en/activities").status_code == 200


def test_quick_exit_on_every_public_page(client):
    for path in ("/da/", "/da/ask", "/da/answer", "/da/contact-me", "/da/contact-me/sent", "/da/activities", "/da/nowhere"):
        html = client.get(path).get_data(as_text=True)
        assert 'href="https://www.dr.dk/"' in html and "data-quick-exit" in html, path


def test_quick_exit_target_is_configurable(make_app):
    client = make_app(QUICK_EXIT_URL="https://www.yr.no/").test_client()
    assert 'href="https://www.yr.no/"' in client.get("/da/").get_data(as_text=True)


def test_one_persons_wrong_codes_do_not_lock_out_the_rest_of_the_network(app):
    """Ten wrong codes from one phone on the hospital Wi-Fi: that phone
    waits, the next family on the same network does not."""
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        client.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    for attempt in range(10):
        assert first.post("/da/answer", data={"code": f"2222 3333 4444 5555 {attempt:04d}"}).status_code == 200
    assert first.post("/da/answer", data={"code": "2222 3333 4444 5555 9999"}).status_code == 429
    assert second.post("/da/answer", data={"code": "2222 3333 4444 5555 9999"}).status_code == 200


def test_a_network_still_has_a_ceiling(make_app):
    """A client that throws its cookie away meets the per-address limit."""
    app = make_app(RATELIMIT_RECEIPT_FAILURES_PER_ADDRESS="5 per minute")
    codes = []
    for attempt in range(6):
        client = app.test_client()  # a new session every time
        codes.append(client.post("/da/answer", data={"code": f"2222 3333 4444 5555 {attempt:04d}"}).status_code)
    assert codes == [200] * 5 + [429]


# --- honest promises (issue 13, item 4) ------------------------------------
# The duty to notify (underretningspligt): wherever we say what we store and
# pass on, we also say when the law makes us tell the municipality. The
# msgid (portal/templates/public/contact.html and public/index.html; the
# leaflet says it in a shorter point of its own, tests/blueprints/test_leaflets.py) is
#   "Only if we become seriously worried about a child's safety does the law
#    require us to tell the municipality. This also applies to a child who is
#    not born yet."
# Its Danish translation is checked here; the other four languages come with
# the catalogs (tests/test_i18n.py checks that every msgid is translated).

DUTY_TO_NOTIFY = {
    "en": "Only if we become seriously worried about a child's safety does the law require us to tell the municipality.",
    "da": "Kun hvis vi bliver alvorligt bekymrede for et barns sikkerhed, siger loven, at vi skal fortælle det til kommunen.",
}
UNLESS_THE_LAW = {
    "en": "unless you agree or the law requires it.",
    "da": "medmindre du siger ja til det, eller loven kræver det.",
}


def _text(html: str) -> str:
    """The page's text, apostrophes unescaped and whitespace collapsed."""
    return " ".join(html.replace("&#39;", "'").replace("&#x27;", "'").split())


@pytest.mark.parametrize("lang", sorted(DUTY_TO_NOTIFY))
@pytest.mark.parametrize("path", ["/contact-me", "/"])
def test_the_duty_to_notify_is_said_where_we_say_what_we_pass_on(client, lang, path):
    text = _text(client.get(f"/{lang}{path}").get_data(as_text=True))
    assert DUTY_TO_NOTIFY[lang] in text
    assert UNLESS_THE_LAW[lang] in text
    # No unconditional promise is left on the page.
    assert "and we do not pass your details on to the municipality or the hospital." not in text
    assert "Og vi giver ikke dine oplysninger videre til kommunen eller hospitalet." not in text


def test_the_receipt_code_is_kept_unreadable_and_somewhere_only_you_find_it(client):
    response = client.post("/en/ask", data={"question": "What am I entitled to on parental leave?"})
    text = _text(response.get_data(as_text=True))
    assert "Keep it somewhere only you will find it." in text
    assert "We keep only an unreadable version of it, and no one can turn that back into the code." in text
    assert "scrambled" not in text and "encrypted" not in text
    front = _text(client.get("/en/").get_data(as_text=True))
    assert "no one can turn that back into the code" in front and "scrambled" not in front
