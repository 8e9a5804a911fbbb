"""Families are told when their anonymous question goes (THREAD_RETENTION_DAYS),
on the page with the new code and on the thread page; once ``portal purge``
has deleted the thread, the code opens nothing."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

from flask_babel import force_locale, ngettext
from sqlalchemy import func, select

from portal import db
from portal.models import Inquiry, Message
from portal.models.base import utcnow
from portal.services import retention, triage
from tests.conftest import receipt_from
from tests.factories import make_counsellor

QUESTION = "Hvem kan hjælpe mig med at søge om boligstøtte?"
ANSWER = "Du kan søge hos kommunen. Vi hjælper gerne."
NINETY = "Your question and the answers are deleted 90 days after the last message."


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _answer_it(app) -> None:
    with app.app_context():
        session = db.session()
        counsellor = make_counsellor(session)
        [question] = session.scalars(select(Inquiry)).all()
        triage.claim(session, counsellor, question.id)
        triage.answer(session, counsellor, question, ANSWER)
        db.commit()


def test_the_family_is_told_on_the_code_page_and_the_thread_page(client):
    sent = client.post("/en/ask", data={"question": QUESTION})
    assert NINETY in _text(sent)
    thread = client.post("/en/answer", data={"code": receipt_from(sent.get_data(as_text=True))})
    assert QUESTION in _text(thread) and NINETY in _text(thread)


def test_the_sentence_follows_the_setting_in_singular_and_plural(make_app):
    for days, sentence in ((1, "deleted 1 day after the last message."),
                           (30, "deleted 30 days after the last message.")):
        client = make_app(THREAD_RETENTION_DAYS=days).test_client()
        sent = client.post("/en/ask", data={"question": QUESTION})
        assert sentence in _text(sent)
        assert sentence in _text(client.post("/en/answer", data={"code": receipt_from(sent.get_data(as_text=True))}))


def test_every_family_language_has_the_sentence_on_both_pages(app, client):
    for lang in ("da", "en", "ar", "uk", "tr", "ur"):
        with app.test_request_context(), force_locale(lang):
            sentence = ngettext("Your question and the answers are deleted %(days)s day after the last message.",
                                "Your question and the answers are deleted %(days)s days after the last message.",
                                90, days=90)
        sent = client.post(f"/{lang}/ask", data={"question": QUESTION})
        code = receipt_from(sent.get_data(as_text=True))
        for page in (_text(sent), _text(client.post(f"/{lang}/answer", data={"code": code}))):
            assert sentence in page, lang


def test_after_the_purge_the_code_opens_nothing_and_no_message_is_left(app, client):
    sent = client.post("/da/ask", data={"question": QUESTION})
    code = receipt_from(sent.get_data(as_text=True))
    _answer_it(app)
    assert ANSWER in _text(client.post("/da/answer", data={"code": code}))
    with app.app_context():
        counts = retention.purge(db.session(), now=utcnow() + timedelta(days=90))
        db.commit()
    assert counts["anonymous_threads"] == 1
    gone = client.post("/da/answer", data={"code": code})
    assert gone.status_code == 200
    page = _text(gone)
    assert QUESTION not in page and ANSWER not in page
    assert client.post("/en/answer", data={"code": code}).get_data(as_text=True).count(
        "We could not find that code.") >= 1
    reply = client.post("/da/answer/reply", data={"code": code, "message": "Er I der?"})
    assert "Er I der?" not in _text(reply)
    with app.app_context():
        session = db.session()
        assert session.scalar(select(func.count()).select_from(Message)) == 0
        [stub] = session.scalars(select(Inquiry)).all()
        assert (stub.status, stub.receipt_digest, stub.first_response_at is not None) == ("closed", None, True)
        assert not any(retention.purge(session, now=utcnow() + timedelta(days=400)).values())
