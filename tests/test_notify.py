"""`portal notify` end to end: the command, a real SMTP server, notices that
hold counts, neutral labels and links and never a family's words or contact
details; a second run sends nothing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import select

from portal import db
from portal.models import Inquiry, Notice
from portal.services import notify
from tests.factories import make_contact_request, make_counsellor, make_inquiry, make_referral, make_referrer
from tests.smtp import SMTPServer

CPH = ZoneInfo("Europe/Copenhagen")
MONDAY, THURSDAY_NOON = datetime(2026, 11, 23, 10, tzinfo=CPH), datetime(2026, 11, 26, 12, tzinfo=CPH)
TEAM = "raadgivere@test.invalid"
QUESTION = "Min kæreste Frederik Prøvelund slår, hvad gør jeg?"
FAMILY = {"nickname": "Ingeborg Testvang", "phone": "+45 61 23 98 47", "email": "ingeborg.testvang@familie.invalid",
          "note": "Ring efter klokken 14, når børnene sover"}
REFERRED = {"first_name": "Aurora Prøvesen", "phone": "52 84 19 63", "email": "aurora.proevesen@familie.invalid",
            "reason": "Huslejen er steget, og der er ikke råd til vuggestuen"}


@pytest.fixture
def mail_app(make_app, smtp_server: SMTPServer, tmp_path):
    """An app whose mail goes to the test SMTP server, with the counsellors' address."""
    return make_app(MAIL_SERVER=smtp_server.host, MAIL_PORT=smtp_server.port, MAIL_TIMEOUT=5,
                    MAIL_OUTBOX=str(tmp_path / "outbox"), BASE_URL="https://portal.example",
                    COUNSELLORS_EMAIL=TEAM)


@pytest.fixture
def clock(monkeypatch):
    """The notices' clock: Thursday 26 November 2026, noon, unless moved."""
    now = {"at": THURSDAY_NOON}
    monkeypatch.setattr(notify, "utcnow", lambda: now["at"])
    return now


@pytest.fixture
def week(mail_app):
    """A question and a call-back from Monday (due today and overdue on
    Thursday), an urgent referral from Thursday morning; what must never be mailed."""
    with mail_app.app_context():
        session = db.session()
        question, code = make_inquiry(session, text=QUESTION, now=MONDAY)
        call_back = make_contact_request(session, now=MONDAY, **FAMILY)
        midwife = make_referrer(session, name="Jordemoder Hemmeligsen")
        referral = make_referral(session, midwife, urgent=True, now=datetime(2026, 11, 26, 9, tzinfo=CPH), **REFERRED)
        secrets = [QUESTION, code, code.replace(" ", ""), midwife.name, midwife.email,
                   *FAMILY.values(), *REFERRED.values()]
        made = {"labels": [question.label, call_back.label], "ids": [question.id, call_back.id, referral.id],
                "referral_label": referral.label, "secrets": secrets}
        db.commit()
    return made


def _run(app, *args: str):
    return app.test_cli_runner().invoke(args=["notify", *args])


def test_new_inquiries_and_the_daily_list_without_any_family(mail_app, clock, week, smtp_server: SMTPServer):
    result = _run(mail_app)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["New inquiries (3): sent", "Due today or overdue (2): sent"]
    assert [got.rcpt_tos for got in smtp_server.received] == [[TEAM], [TEAM]]
    new, daily = smtp_server.received
    with mail_app.app_context(), force_locale("da"):
        assert new.message["Subject"] == ngettext("%(num)d new inquiry", "%(num)d new inquiries", 3)
        assert daily.message["Subject"] == gettext("Due today: %(today)d, overdue: %(overdue)d", today=1, overdue=1)
    text = new.text()
    assert "https://portal.example/staff/" in text
    assert "/staff/inquiries/" not in text          # the new-inquiry notice holds counts only
    for label in week["labels"] + [week["referral_label"]]:
        assert label not in text
    daily_text = daily.text()
    # The daily list: neutral labels and links, the overdue call-back first.
    call_back_label, question_label = week["labels"][1], week["labels"][0]
    assert daily_text.index(call_back_label) < daily_text.index(question_label)
    assert f"https://portal.example/staff/inquiries/{week['ids'][1]}" in daily_text
    assert week["referral_label"] not in daily_text  # due on Monday, not today
    for got in smtp_server.received:
        raw, shown = got.raw.decode("ascii"), got.text()
        for secret in week["secrets"]:
            assert secret not in raw and secret not in shown, secret
        for digits in ("61239847", "52841963"):
            assert digits not in raw.replace(" ", "") and digits not in shown.replace(" ", "")


def test_a_second_run_sends_nothing_and_only_new_arrivals_are_told(mail_app, clock, week, smtp_server):
    assert _run(mail_app).exit_code == 0 and len(smtp_server.received) == 2
    again = _run(mail_app)
    assert again.exit_code == 0 and again.output.strip() == "Nothing new: no notice sent"
    assert len(smtp_server.received) == 2
    with mail_app.app_context():
        make_inquiry(db.session(), text="Endnu et spørgsmål om barsel", now=THURSDAY_NOON)
        db.commit()
    clock["at"] = datetime(2026, 11, 26, 12, 15, tzinfo=CPH)
    third = _run(mail_app)
    assert third.output.splitlines() == ["New inquiries (1): sent"]  # the daily list went out already
    assert len(smtp_server.received) == 3
    # The next working day brings a new daily list, from opening time.
    clock["at"] = datetime(2026, 11, 27, 8, 0, tzinfo=CPH)
    assert _run(mail_app).output.strip() == "Nothing new: no notice sent"
    clock["at"] = datetime(2026, 11, 27, 9, 15, tzinfo=CPH)
    assert _run(mail_app).output.splitlines() == ["Due today or overdue (3): sent"]
    clock["at"] = datetime(2026, 11, 28, 10, 0, tzinfo=CPH)   # Saturday: no daily list
    assert _run(mail_app).output.strip() == "Nothing new: no notice sent"


def test_inquiries_already_taken_are_not_announced(mail_app, clock, week, smtp_server):
    with mail_app.app_context():
        from portal.services import triage
        session = db.session()
        counsellor = make_counsellor(session)
        for ident in week["ids"]:
            triage.claim(session, counsellor, ident)
        db.commit()
    result = _run(mail_app)
    # Taken, so nobody needs telling; still waiting for a first response, so on the daily list.
    assert result.output.splitlines() == ["Due today or overdue (2): sent"]


def test_a_dry_run_writes_the_outbox_and_records_nothing(mail_app, clock, week, smtp_server, tmp_path):
    result = _run(mail_app, "--dry-run")
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 2 and smtp_server.received == []
    with mail_app.app_context():
        assert db.session().scalars(select(Notice)).all() == []
    assert _run(mail_app).exit_code == 0 and len(smtp_server.received) == 2


def test_without_the_shared_address_it_says_so(make_app, clock, tmp_path):
    app = make_app(COUNSELLORS_EMAIL=None, MAIL_OUTBOX=str(tmp_path))
    result = _run(app)
    assert result.exit_code == 1
    assert "PORTAL_COUNSELLORS_EMAIL is not set" in result.output


def test_a_failed_send_is_reported_and_not_recorded(make_app, clock, week, tmp_path):
    from tests.smtp import free_port
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2, MAIL_OUTBOX=str(tmp_path),
                   COUNSELLORS_EMAIL=TEAM)
    result = _run(app)
    assert result.exit_code == 1
    assert "New inquiries (3): NOT sent (ConnectionRefusedError)" in result.output
    with app.app_context():
        assert db.session().scalars(select(Notice)).all() == []
        assert len(db.session().scalars(select(Inquiry)).all()) == 3
