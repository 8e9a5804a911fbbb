"""Encryption at rest: what families and staff write, contact details and
TOTP secrets never reach the database files in clear (the SQLite file and
its WAL, or pg_dump), the portal still reads them, and ``portal rotate-key``
moves every value to a new key. Runs on PostgreSQL too
(PORTAL_TEST_DATABASE_URL)."""

from __future__ import annotations

import base64
import re

import pyotp
import pytest
from alembic import command
from sqlalchemy import select, text

from portal import db
from portal.crypto import DecryptionError, generate_key, key_id
from portal.models import CaseNote, ContactDetails, Inquiry, Message, SurveyResponse, User
from portal.schema import alembic_config
from portal.services import accounts
from portal.services import crypto as crypto_service
from tests.conftest import PG_URL
from tests.dump import raw_dump
from tests.factories import make_closed_case

# Invented, distinctive strings: none can occur in a database by chance.
QUESTION = "Kan min papegøje Zorbalina arve min barselsdagpenge?"
NICKNAME = "Quillaminta"
PHONE = "+45 71 93 58 26"
EMAIL = "quillaminta.vrist@example.dk"
CALL_NOTE = "Ring helst mens Zorbalina sover, efter kl. 13"
CASE_NOTE = "Talte om Xylofonvej-lejligheden og huslejen"
SURVEY_TEXT = "Tak til Grethe-Marzipan for den varme snak"
KEY_1 = base64.b64encode(bytes(range(32))).decode()
KEY_2 = base64.b64encode(bytes(range(64, 96))).decode()


def _fill(app, client, staff_client, ask) -> dict:
    """A question, a call-back request, a case note, a TOTP enrolment and a
    survey answer, all through the real pages; returns the TOTP secret."""
    ask(QUESTION)
    assert client.post("/da/contact-me", data={
        "nickname": NICKNAME, "phone": PHONE, "email": EMAIL, "best_times": ["morning"], "hospital": "rh",
        "pregnancy_status": "pregnant", "topics": ["housing"], "note": CALL_NOTE, "consent": "y",
    }).status_code == 303
    counsellor, user = staff_client("counsellor")
    with app.app_context():
        case = make_closed_case(db.session(), db.session().get(User, user["id"]))
        db.commit()
        case_id = case.id
    assert counsellor.post(f"/staff/cases/{case_id}/notes",
                           data={"note-noted_on": "2026-11-21", "note-body": CASE_NOTE}).status_code == 303
    # Two-factor enrolment through the set-up link.
    with app.app_context():
        _user, token = accounts.create_user(db.session(), email="ny.zorba@test.invalid", role="counsellor")
        db.commit()
    newcomer = app.test_client()
    newcomer.get(f"/staff/setup?t={token}")
    assert newcomer.post("/staff/setup", data={"password": "grøn-cykel-under-broen",
                                               "confirm": "grøn-cykel-under-broen"}).status_code == 303
    assert newcomer.get("/staff/setup/2fa").status_code == 200
    with app.app_context():
        secret = db.session().scalar(select(User.totp_secret).where(User.email == "ny.zorba@test.invalid"))
    assert newcomer.post("/staff/setup/2fa", data={"code": pyotp.TOTP(secret).now()}).status_code == 302
    # A survey answer.
    slip = counsellor.post(f"/staff/cases/{case_id}/survey", data={"survey-language": "da"}).get_data(as_text=True)
    link = re.sub(r"^https?://[^/]+", "", re.search(r'class="leaflet-url survey-link"[^>]*>([^<]+)<', slip).group(1))
    family = app.test_client()
    family.get(link)
    assert family.post(link, data={"helped": "agree", "free_text": SURVEY_TEXT}).status_code == 303
    return {"secret": secret}


def _read_back(app) -> dict:
    with app.app_context():
        sess = db.session()
        return {
            "question": sess.scalars(select(Message.body)).all(),
            "contact": [(c.nickname, c.phone, c.email, c.note) for c in sess.scalars(select(ContactDetails))],
            "note": sess.scalars(select(CaseNote.body)).all(),
            "secret": sess.scalar(select(User.totp_secret).where(User.email == "ny.zorba@test.invalid")),
            "survey": sess.scalars(select(SurveyResponse.free_text)).all(),
        }


def _plaintexts(secret: str) -> list[str]:
    return [QUESTION, NICKNAME, PHONE, EMAIL, CALL_NOTE, CASE_NOTE, SURVEY_TEXT, secret]


def _assert_read(values: dict, secret: str) -> None:
    assert QUESTION in values["question"]
    assert (NICKNAME, PHONE, EMAIL, CALL_NOTE) in values["contact"]
    assert values["note"] == [CASE_NOTE]
    assert values["secret"] == secret
    assert values["survey"] == [SURVEY_TEXT]


@pytest.fixture
def app(make_app):
    return make_app(DATA_KEY=KEY_1)


def test_no_plaintext_reaches_the_database_files(app, client, staff_client, ask):
    secret = _fill(app, client, staff_client, ask)["secret"]
    _assert_read(_read_back(app), secret)
    dump = raw_dump(app.config["DATABASE_URL"])
    assert b"v1:" + key_id(base64.b64decode(KEY_1)).encode() in dump  # the ciphertexts are there
    for plain in _plaintexts(secret):
        assert plain.encode("utf-8") not in dump, plain
        # Nor stored in another encoding (the phone without spaces, the e-mail's name).
        assert plain.replace(" ", "").encode("utf-8") not in dump, plain
    assert b"Zorbalina" not in dump and b"quillaminta" not in dump.lower()


def test_rotate_key_moves_every_value_to_the_new_key(app, make_app, client, staff_client, ask):
    secret = _fill(app, client, staff_client, ask)["secret"]
    rotating = make_app(DATA_KEY=KEY_2, DATA_KEYS_OLD=KEY_1)
    _assert_read(_read_back(rotating), secret)  # the old key still reads before the rotation
    result = rotating.test_cli_runner().invoke(args=["rotate-key", "--batch-size", "1"])
    assert result.exit_code == 0, result.output
    assert re.search(r"messages\.body: [1-9]\d* re-encrypted, 0 already current", result.output)
    assert re.search(r"contact_details\.phone: [1-9]\d* re-encrypted", result.output)
    assert "users.totp_secret: 2 re-encrypted, 0 already current" in result.output  # both counsellors
    new_id = key_id(base64.b64decode(KEY_2))
    with rotating.app_context():
        sess = db.session()
        for table, column in crypto_service.encrypted_columns():
            stored = sess.execute(text(f'SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL')).scalars()
            assert all(value.startswith(f"v1:{new_id}:") for value in stored), f"{table}.{column}"
    # Once rotated the old key can go: the new key alone reads everything.
    _assert_read(_read_back(make_app(DATA_KEY=KEY_2)), secret)
    with pytest.raises(DecryptionError, match="not configured"):
        _read_back(make_app(DATA_KEY=KEY_1))
    again = rotating.test_cli_runner().invoke(args=["rotate-key"])
    assert again.exit_code == 0, again.output
    assert re.search(r"messages\.body: 0 re-encrypted, [1-9]\d* already current", again.output)
    assert raw_dump(app.config["DATABASE_URL"]).count(f"v1:{new_id}:".encode()) >= len(_plaintexts(secret))


def test_migration_0010_encrypts_rows_already_there_and_downgrade_decrypts(tmp_path, monkeypatch, make_app):
    """Rows written before 0010 are encrypted under PORTAL_DATA_KEY; the app reads them; 0009 gets them back."""
    from contextlib import nullcontext

    from portal.db import make_engine
    from tests.pg import fresh_database
    monkeypatch.setenv("PORTAL_DATA_KEY", KEY_1)
    with fresh_database(PG_URL, "portal_crypto") if PG_URL else nullcontext(f"sqlite:///{tmp_path}/old.sqlite3") \
            as url:
        cfg = alembic_config(url)
        command.upgrade(cfg, "0009")
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO inquiries (id, kind, status, label, channel, topics, language, priority, "
                "interpreter_needed, attempt_count, created_at, updated_at, due_at, version, feedback_text) VALUES "
                "(1, 'self_referral', 'new', 'Grøn and 1', 'web', '[]', 'da', 1, false, 0, "
                "'2026-11-02 10:00:00', '2026-11-02 10:00:00', '2026-11-04 10:00:00', 1, NULL)"))
            for n in range(3):
                conn.execute(text("INSERT INTO messages (inquiry_id, author, body, created_at) "
                                  "VALUES (1, 'family', :body, '2026-11-02 10:00:00')"), {"body": f"{QUESTION} {n}"})
            conn.execute(text(
                "INSERT INTO contact_details (inquiry_id, nickname, phone, email, may_leave_voicemail, "
                "may_send_text, best_times, note, consent_at, consent_by, erase_after) VALUES "
                "(1, :nick, :phone, NULL, false, false, '[]', :note, '2026-11-02 10:00:00', 'family', "
                "'2027-05-02 10:00:00')"), {"nick": NICKNAME, "phone": PHONE, "note": CALL_NOTE})
        engine.dispose()
        command.upgrade(cfg, "head")
        dump = raw_dump(url)
        for plain in (QUESTION, NICKNAME, PHONE, CALL_NOTE):
            assert plain.encode() not in dump, plain
        reader = make_app(DATABASE_URL=url, DATA_KEY=KEY_1)
        with reader.app_context():
            inquiry = db.session().get(Inquiry, 1)
            assert [m.body for m in inquiry.messages] == [f"{QUESTION} {n}" for n in range(3)]
            assert (inquiry.contact.nickname, inquiry.contact.phone, inquiry.contact.email) == (NICKNAME, PHONE, None)
        reader.extensions["db_engine"].dispose()
        command.downgrade(cfg, "0009")
        engine = make_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT phone, note FROM contact_details")).one() == (PHONE, CALL_NOTE)
            assert conn.execute(text("SELECT body FROM messages ORDER BY id")).scalars().all()[0] == f"{QUESTION} 0"
        engine.dispose()


def test_generated_keys_are_32_random_bytes():
    first, second = generate_key(), generate_key()
    assert first != second and len(base64.b64decode(first)) == 32
