"""The cipher of encryption at rest (portal/crypto.py) and its column type."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import select

from portal import crypto
from portal.crypto import DecryptionError, Keyring, key_id, keyring_from_config, parse_key
from portal.models import ContactDetails, Message, User

KEY_A = bytes(range(32))
KEY_B = bytes(range(100, 132))


def test_a_value_round_trips_and_names_its_key():
    ring = Keyring(KEY_A)
    stored = ring.encrypt("Ring efter kl. 15, tak", "contact_details.note")
    version, kid, body = stored.split(":", 2)
    assert (version, kid) == ("v1", key_id(KEY_A)) and len(kid) == 8
    assert "Ring" not in stored and base64.urlsafe_b64decode(body)
    assert ring.decrypt(stored, "contact_details.note") == "Ring efter kl. 15, tak"


def test_the_same_text_never_gives_the_same_ciphertext():
    ring = Keyring(KEY_A)
    assert ring.encrypt("ja", "messages.body") != ring.encrypt("ja", "messages.body")


def test_a_tampered_value_fails():
    ring = Keyring(KEY_A)
    stored = ring.encrypt("Hej", "messages.body")
    prefix, body = stored.rsplit(":", 1)
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[-1] ^= 1
    with pytest.raises(DecryptionError):
        ring.decrypt(f"{prefix}:{base64.urlsafe_b64encode(bytes(raw)).decode()}", "messages.body")


def test_a_value_moved_to_another_column_fails():
    ring = Keyring(KEY_A)
    stored = ring.encrypt("12 34 56 78", "contact_details.phone")
    with pytest.raises(DecryptionError, match="another column"):
        ring.decrypt(stored, "contact_details.note")


def test_old_keys_read_and_the_current_key_writes():
    old_ring = Keyring(KEY_A)
    stored = old_ring.encrypt("gammel", "case_notes.body")
    ring = Keyring(KEY_B, [KEY_A])
    assert ring.decrypt(stored, "case_notes.body") == "gammel"
    assert not ring.is_current(stored)
    assert ring.is_current(ring.encrypt("ny", "case_notes.body"))
    with pytest.raises(DecryptionError, match="not configured"):
        Keyring(KEY_B).decrypt(stored, "case_notes.body")


def test_keys_come_from_the_config_or_are_derived_outside_production():
    text = base64.b64encode(KEY_B).decode()
    old = base64.urlsafe_b64encode(KEY_A).decode().rstrip("=")
    ring = keyring_from_config({"ENV": "production", "DATA_KEY": text, "DATA_KEYS_OLD": f" {old} ,"})
    assert ring.current == KEY_B and ring.old == [KEY_A] and not ring.derived
    derived = keyring_from_config({"ENV": "development", "SECRET_KEY": "s"})
    assert derived.derived and derived.current == crypto.derive_key("s") != crypto.derive_key("t")
    with pytest.raises(RuntimeError, match="PORTAL_DATA_KEY"):
        keyring_from_config({"ENV": "production", "SECRET_KEY": "s"})
    with pytest.raises(RuntimeError, match="32 bytes"):
        keyring_from_config({"ENV": "production", "DATA_KEY": base64.b64encode(b"short").decode()})
    assert len(parse_key(crypto.generate_key())) == 32


def test_encrypted_columns_refuse_sql_comparison():
    with pytest.raises(TypeError, match="encrypted"):
        select(Message).where(Message.body == "hej")
    with pytest.raises(TypeError, match="encrypted"):
        select(ContactDetails).where(ContactDetails.phone.like("12%"))
    with pytest.raises(TypeError, match="encrypted"):
        select(ContactDetails).order_by(ContactDetails.email.desc())
    with pytest.raises(TypeError, match="encrypted"):
        select(User).where(User.totp_secret.in_(["x"]))
    # Whether a value is there at all is still a question SQL can answer.
    select(User).where(User.totp_secret.is_(None), ContactDetails.note.is_not(None), Message.body != None)  # noqa: E711


def test_the_column_type_stores_ciphertext_and_reads_plaintext(db_session):
    from sqlalchemy import text

    from tests.factories import make_inquiry
    inquiry, _code = make_inquiry(db_session, text="Et spørgsmål om barsel ved tvillinger")
    db_session.commit()
    raw = db_session.execute(text("SELECT body FROM messages WHERE inquiry_id = :i"), {"i": inquiry.id}).scalar()
    assert raw.startswith("v1:") and "tvillinger" not in raw
    db_session.expire_all()
    assert db_session.get(Message, inquiry.messages[0].id).body == "Et spørgsmål om barsel ved tvillinger"
