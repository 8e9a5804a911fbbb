"""Due and overdue in the staff area, through the pages: the queue's due
column, filters and start-page counts; the inquiry shows when the promise
was kept or missed. The clock is frozen on Thursday 26 November 2026 noon."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale, gettext, ngettext

from portal import db
from portal.blueprints.staff import inquiries as inquiry_pages
from portal.blueprints.staff import queue as queue_page
from portal.services import triage
from tests.factories import make_contact_request, make_inquiry

CPH = ZoneInfo("Europe/Copenhagen")
MONDAY, THURSDAY_NOON = datetime(2026, 11, 23, 10, tzinfo=CPH), datetime(2026, 11, 26, 12, tzinfo=CPH)


@pytest.fixture
def thursday(monkeypatch):
    """Every clock the staff pages and the answer read says Thursday noon."""
    for module in (queue_page, inquiry_pages, triage):
        monkeypatch.setattr(module, "utcnow", lambda: THURSDAY_NOON)


@pytest.fixture
def week(app):
    """A call-back from Monday (overdue), a question from Monday (due today),
    a question from Thursday morning (due Tuesday)."""
    with app.app_context():
        session = db.session()
        call_back = make_contact_request(session, now=MONDAY)
        question, _ = make_inquiry(session, text="Mandagens spørgsmål", now=MONDAY)
        later, _ = make_inquiry(session, text="Torsdagens spørgsmål", now=datetime(2026, 11, 26, 9, 30, tzinfo=CPH))
        made = {"call_back": (call_back.id, call_back.label), "question": (question.id, question.label),
                "later": (later.id, later.label)}
        db.commit()
    return made


def _text(app, message: str, plural: str | None = None, num: int = 0) -> str:
    """The staff page's words in Danish (the staff default language)."""
    with app.test_request_context(), force_locale("da"):
        return ngettext(message, plural, num) if plural else gettext(message)


def test_the_queue_shows_due_and_overdue_and_counts_them(app, staff_client, thursday, week):
    staff, _user = staff_client("counsellor")
    html = staff.get("/staff/").get_data(as_text=True)
    order = [html.index(week[name][1]) for name in ("call_back", "question", "later")]
    assert order == sorted(order), "soonest due first"
    assert _text(app, "Overdue by %(num)d working day", "Overdue by %(num)d working days", 1) % {"num": 1} in html
    assert _text(app, "Due today") in html
    assert '<span class="count">1</span> ' + _text(app, "overdue") in html
    assert '<span class="count">1</span> ' + _text(app, "due today") in html
    overdue = staff.get("/staff/?due=overdue").get_data(as_text=True)
    assert week["call_back"][1] in overdue and week["question"][1] not in overdue
    today = staff.get("/staff/?due=today").get_data(as_text=True)
    assert week["question"][1] in today and week["call_back"][1] not in today


def test_answering_records_the_time_and_whether_the_promise_was_kept(app, staff_client, thursday, week):
    staff, _user = staff_client("counsellor")
    question_id, call_back_id = week["question"][0], week["call_back"][0]
    assert staff.post(f"/staff/inquiries/{question_id}/claim").status_code == 303
    assert staff.post(f"/staff/inquiries/{question_id}/answer",
                      data={"body": "Du kan søge om hjælp hos kommunen."}).status_code == 303
    page = staff.get(f"/staff/inquiries/{question_id}").get_data(as_text=True)
    assert _text(app, "Promise kept") in page
    assert staff.post(f"/staff/inquiries/{call_back_id}/claim").status_code == 303
    assert staff.post(f"/staff/inquiries/{call_back_id}/attempts",
                      data={"method": "phone", "reached": "no"}).status_code == 303
    page = staff.get(f"/staff/inquiries/{call_back_id}").get_data(as_text=True)
    missed = _text(app, "Promise missed by %(num)d working day", "Promise missed by %(num)d working days", 1)
    assert missed % {"num": 1} in page
    with app.app_context():
        from portal.models import Inquiry
        for ident in (question_id, call_back_id):
            assert db.session().get(Inquiry, ident).first_response_at == THURSDAY_NOON
    counts = staff.get("/staff/").get_data(as_text=True)
    assert '<span class="count">0</span> ' + _text(app, "overdue") in counts
