"""The mail service against a real SMTP server, the outbox, and the
urgent-referral notice."""

from __future__ import annotations

import logging
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import select

from portal.models import Hospital
from portal.services import mail, notices
from tests.factories import make_contact_request
from tests.smtp import SMTPServer, start

MAIL = mail.Mail(to=["jordemoder@test.invalid", "afdeling@test.invalid"],
                 subject="Status for december 2026 – Nordsjællands Hospital",
                 text="Hej\n\nHenvisninger modtaget: 3 – økonomi og bolig.\n",
                 html="<p>Hej</p><p>Henvisninger modtaget: <b>3</b> – økonomi og bolig.</p>",
                 reply_to="raadgivning@test.invalid")


def test_send_delivers_text_and_html_with_a_utf8_subject(smtp_server: SMTPServer, tmp_path):
    result = mail.send(smtp_server.settings(MAIL_OUTBOX=str(tmp_path / "outbox")), MAIL)
    assert len(smtp_server.received) == 1
    got = smtp_server.received[0]
    assert got.mail_from == "no-reply@moedrehjaelpen.dk"
    assert got.rcpt_tos == ["jordemoder@test.invalid", "afdeling@test.invalid"]
    message = got.message
    assert message["Subject"] == "Status for december 2026 – Nordsjællands Hospital"
    assert str(message["From"]) == "Mødrehjælpen rådgivning <no-reply@moedrehjaelpen.dk>"
    assert message["Reply-To"] == "raadgivning@test.invalid"
    assert message["Message-ID"] == result and result.endswith("@moedrehjaelpen.dk>")
    assert message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and plain.get_content().replace("\r\n", "\n") == MAIL.text  # SMTP line ends
    assert html is not None and "<b>3</b> – økonomi" in html.get_content()
    # Everything on the wire is 7-bit: non-ASCII is encoded, whatever the relay supports.
    assert got.raw.isascii()
    assert not (tmp_path / "outbox").exists()


def test_without_a_server_the_mail_goes_to_the_outbox(tmp_path):
    outbox = tmp_path / "missing" / "outbox"
    path = Path(mail.send({"MAIL_SERVER": None, "MAIL_OUTBOX": str(outbox),
                           "MAIL_SENDER": "Rådgivning <no-reply@moedrehjaelpen.dk>"}, MAIL))
    assert path.parent == outbox and path.suffix == ".eml"
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["Subject"] == MAIL.subject
    assert message.get_body(("plain",)).get_content() == MAIL.text  # type: ignore[union-attr]


def test_a_dry_run_writes_to_the_outbox_even_with_a_server(smtp_server: SMTPServer, tmp_path):
    path = mail.send(smtp_server.settings(MAIL_OUTBOX=str(tmp_path)), MAIL, dry_run=True)
    assert Path(path).exists() and smtp_server.received == []


def test_login_when_a_username_is_set(tmp_path):
    logins = []

    def authenticate(_server, _session, _envelope, mechanism, data):
        logins.append((mechanism, data.login, data.password) if isinstance(data, LoginPassword) else None)
        return AuthResult(success=isinstance(data, LoginPassword) and data.password == b"hemmelig")

    # Plain-text AUTH is allowed here only because the test server is on 127.0.0.1.
    server, controller = start(authenticator=authenticate, auth_require_tls=False)
    try:
        mail.send(server.settings(MAIL_USERNAME="portal", MAIL_PASSWORD="hemmelig"), MAIL)
    finally:
        controller.stop()
    assert len(server.received) == 1 and logins and logins[0][1:] == (b"portal", b"hemmelig")


def test_bodies_never_reach_the_log(smtp_server: SMTPServer, caplog, tmp_path):
    with caplog.at_level(logging.DEBUG):
        mail.send(smtp_server.settings(), MAIL)
        mail.send({"MAIL_OUTBOX": str(tmp_path), "MAIL_SENDER": "x@moedrehjaelpen.dk", "ENV": "production"}, MAIL)
    # Our own log lines only (the test server logs what it receives).
    ours = "\n".join(record.getMessage() for record in caplog.records if record.name.startswith("portal"))
    assert "sent to 2 recipients" in ours and "Henvisninger" not in ours and "økonomi" not in ours
    assert "PORTAL_MAIL_SERVER is not set" in ours  # production without a server says so


def test_a_mail_needs_a_recipient():
    with pytest.raises(ValueError):
        mail.build({"MAIL_SENDER": "x@moedrehjaelpen.dk"}, mail.Mail(to=[], subject="s", text="t"))


# --- the urgent-referral notice --------------------------------------------------

FAMILY = {"nickname": "Solvejg Testrup", "phone": "+45 71 93 28 46", "email": "solvejg.testrup@familie.invalid",
          "note": "Bekymret for huslejen og vuggestuen"}


def _rh(db) -> Hospital:
    return db.scalars(select(Hospital).where(Hospital.code == "rh")).one()


@pytest.mark.parametrize("flag, address", [(False, "raadgivere@test.invalid"), (True, None), (False, None)])
def test_no_notice_unless_the_hospital_wants_one_and_there_is_an_address(db_session, flag, address):
    rh = _rh(db_session)
    rh.urgent_notice = flag
    assert notices.urgent_referral_notice({"COUNSELLORS_EMAIL": address}, "https://portal.example", 7, rh) is None
    assert notices.urgent_referral_notice({"COUNSELLORS_EMAIL": "r@test.invalid"}, "https://p.example", 7, None) is None


def test_the_notice_says_only_where_it_came_from_and_links_to_it(db_session):
    rh = _rh(db_session)
    rh.urgent_notice = True
    inquiry = make_contact_request(db_session, hospital_code="rh", topics=["violence"], **FAMILY)
    notice = notices.urgent_referral_notice({"COUNSELLORS_EMAIL": "raadgivere@test.invalid"},
                                            "https://portal.example/", inquiry.id, rh)
    assert notice is not None and notice.to == ["raadgivere@test.invalid"] and notice.html is None
    assert "Rigshospitalet" in notice.subject and "Rigshospitalet" in notice.text
    assert f"https://portal.example/staff/inquiries/{inquiry.id}\n" in notice.text
    shown = notice.subject + notice.text
    for secret in [*FAMILY.values(), "71932846", inquiry.label, "Vold", "violence"]:
        assert secret not in shown


def test_the_notice_is_sent_over_smtp(db_session, smtp_server: SMTPServer, tmp_path):
    rh = _rh(db_session)
    rh.urgent_notice = True
    inquiry = make_contact_request(db_session, hospital_code="rh", **FAMILY)
    settings = smtp_server.settings(COUNSELLORS_EMAIL="raadgivere@test.invalid",
                                     MAIL_OUTBOX=str(tmp_path / "outbox"))
    notices.send_urgent_referral_notice(settings, "https://portal.example", inquiry.id, rh)
    assert [got.rcpt_tos for got in smtp_server.received] == [["raadgivere@test.invalid"]]
    raw = smtp_server.received[0].raw.decode("ascii")
    assert f"/staff/inquiries/{inquiry.id}" in smtp_server.received[0].text()
    for secret in [*FAMILY.values(), "71 93", inquiry.label]:
        assert secret not in raw and secret not in smtp_server.received[0].text()
    rh.urgent_notice = False
    notices.send_urgent_referral_notice(settings, "https://portal.example", inquiry.id, rh)
    assert len(smtp_server.received) == 1 and not (tmp_path / "outbox").exists()
