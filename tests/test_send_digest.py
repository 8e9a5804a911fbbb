"""`portal send-digest` end to end: the command, a real SMTP server, and
mails that hold numbers and never a family."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from portal import db
from portal.models import DigestRun, Hospital
from portal.services import cases, digest
from tests.factories import make_counsellor, make_referrer
from tests.services.test_digest import make_referral, reach, utc
from tests.smtp import SMTPServer

# Invented families, each detail distinctive enough to be found anywhere.
FAMILIES = [
    {"first_name": "Ingeborg Testvang", "phone": "+45 61 23 98 47", "email": "ingeborg.testvang@familie.invalid",
     "reason": "Huslejen er steget, og vi har ikke råd til vuggestuen"},
    {"first_name": "Aurora Prøvesen", "phone": "52 84 19 63", "email": "aurora.proevesen@familie.invalid",
     "reason": "Far er flyttet ud efter en voldsom episode"},
    {"first_name": "Malou Eksempelgaard", "phone": "40918273", "email": "malou.eks@familie.invalid",
     "reason": "Usikker på barselsdagpenge som studerende"},
]
RH_ADDRESSES = ["ledende.jordemoder@rh.test.invalid", "afsnitsleder@rh.test.invalid"]
HGH_ADDRESSES = ["jordemoderklinik@hgh.test.invalid"]


@pytest.fixture
def mail_app(make_app, smtp_server: SMTPServer, tmp_path):
    """An app whose mail goes to the test SMTP server."""
    return make_app(MAIL_SERVER=smtp_server.host, MAIL_PORT=smtp_server.port, MAIL_TIMEOUT=5,
                    MAIL_OUTBOX=str(tmp_path / "outbox"), BASE_URL="https://portal.example",
                    COUNSELLING_EMAIL="raadgivning@test.invalid")


@pytest.fixture
def november(mail_app):
    """Two hospitals with addresses, five referrals to Rigshospitalet and
    one to Herlev in November 2026; returns what must never be mailed."""
    with mail_app.app_context():
        session = db.session()
        hospitals = {h.code: h for h in session.scalars(select(Hospital))}
        hospitals["rh"].contact_emails = RH_ADDRESSES
        hospitals["hgh"].contact_emails = HGH_ADDRESSES
        counsellor, midwife = make_counsellor(session), make_referrer(session, hospital_code="rh")
        herlev_midwife = make_referrer(session, hospital_code="hgh")
        secrets: list[str] = []
        made = []
        for day, family in zip((2, 9, 16, 23, 27), FAMILIES + FAMILIES[:2], strict=True):
            made.append(make_referral(session, midwife, created_at=utc(2026, 11, day, 10),
                                      topics=["economy", "housing"] if day < 20 else ["violence"], **family))
        made.append(make_referral(session, herlev_midwife, created_at=utc(2026, 11, 4, 10), **FAMILIES[2]))
        reach(session, counsellor, made[0], utc(2026, 11, 3, 9))
        case = cases.open_case(session, counsellor, made[0])
        case.opened_on = date(2026, 11, 3)
        secrets += [value for family in FAMILIES for value in family.values()]
        secrets += [item.label for item in made]
        secrets += [user.name for user in (counsellor, midwife, herlev_midwife)]
        secrets += [user.email for user in (counsellor, midwife, herlev_midwife)]
        db.commit()
    return secrets


def _run(app, *args: str):
    """Run `portal send-digest` with ``args``."""
    return app.test_cli_runner().invoke(args=["send-digest", *args])


def _runs(app) -> list[tuple[str, str, int]]:
    """The recorded DigestRuns as (hospital code, month, recipients)."""
    with app.app_context():
        rows = db.session().execute(select(Hospital.code, DigestRun.month, DigestRun.recipients)
                                    .join(Hospital, Hospital.id == DigestRun.hospital_id).order_by(Hospital.code))
        return [tuple(row) for row in rows]


def test_one_mail_per_hospital_with_the_counts_and_no_family(mail_app, november, smtp_server: SMTPServer):
    result = _run(mail_app, "--month", "2026-11")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert "Rigshospitalet (rh): sent to 2 addresses" in lines
    assert "Herlev og Gentofte Hospital (hgh): sent to 1 address" in lines
    assert "Bornholms Hospital (boh): no addresses" in lines and len(lines) == 5
    assert sorted(got.rcpt_tos for got in smtp_server.received) == [HGH_ADDRESSES, RH_ADDRESSES]
    rh = next(got for got in smtp_server.received if got.rcpt_tos == RH_ADDRESSES)
    assert rh.message["Subject"] == "Status for november 2026 – Rigshospitalet"
    text = rh.text()
    with mail_app.app_context(), force_locale("da"):
        for label, value in (("Referrals received", 5), ("Families we reached", 1), ("Cases started", 1),
                             ("Cases closed", 0), ("Sparring questions answered", 0)):
            assert f"{gettext(label)}: {value}" in text
    assert "Økonomi" in text and "Bolig" in text and "Vold i nære relationer" in text
    assert "https://portal.example/staff/" in text
    for got in smtp_server.received:
        raw, shown = got.raw.decode("ascii"), got.text()
        for secret in november:
            assert secret not in raw and secret not in shown, secret
        assert "/staff/inquiries/" not in shown
        for digits in ("61239847", "52841963", "40918273"):
            assert digits not in raw.replace(" ", "") and digits not in shown.replace(" ", "")
    assert _runs(mail_app) == [("hgh", "2026-11", 1), ("rh", "2026-11", 2)]


def test_a_month_is_sent_once_unless_forced(mail_app, november, smtp_server: SMTPServer):
    assert _run(mail_app, "--month", "2026-11").exit_code == 0
    again = _run(mail_app, "--month", "2026-11")
    assert again.exit_code == 0 and len(smtp_server.received) == 2
    assert "Rigshospitalet (rh): already sent for 2026-11" in again.output
    forced = _run(mail_app, "--month", "2026-11", "--force")
    assert forced.exit_code == 0 and len(smtp_server.received) == 4
    assert "Rigshospitalet (rh): sent to 2 addresses" in forced.output
    assert _runs(mail_app) == [("hgh", "2026-11", 1), ("rh", "2026-11", 2)]


def test_a_dry_run_writes_the_outbox_and_records_nothing(mail_app, november, smtp_server: SMTPServer, tmp_path):
    result = _run(mail_app, "--month", "2026-11", "--dry-run")
    assert result.exit_code == 0, result.output
    written = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(written) == 2 and smtp_server.received == []
    assert f"Rigshospitalet (rh): written to outbox {tmp_path / 'outbox'}" in result.output
    assert _runs(mail_app) == []
    assert _run(mail_app, "--month", "2026-11").exit_code == 0 and len(smtp_server.received) == 2


def test_the_default_month_is_the_previous_one_in_copenhagen(mail_app, november, smtp_server, monkeypatch):
    # 00:30 on 1 December in Copenhagen.
    monkeypatch.setattr(digest, "utcnow", lambda: datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc))
    assert _run(mail_app).exit_code == 0
    assert _runs(mail_app) == [("hgh", "2026-11", 1), ("rh", "2026-11", 2)]


@pytest.mark.parametrize("bad", ["2026-13", "11-2026", "november"])
def test_a_bad_month_fails_with_one_line(mail_app, smtp_server: SMTPServer, bad):
    result = _run(mail_app, "--month", bad)
    assert result.exit_code == 2 and "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert errors == ["Error: Invalid value for '--month': use the form YYYY-MM, e.g. 2026-11"]
    assert smtp_server.received == []


def test_a_failed_send_is_reported_and_not_recorded(make_app, november, tmp_path):
    from tests.smtp import free_port
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2, MAIL_OUTBOX=str(tmp_path))
    result = _run(app, "--month", "2026-11")
    assert result.exit_code == 1
    assert "Rigshospitalet (rh): NOT sent (ConnectionRefusedError)" in result.output
    assert "Error: some status mails were not sent" in result.output
    assert _runs(app) == []
