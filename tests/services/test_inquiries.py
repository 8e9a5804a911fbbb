"""The inquiry services, called directly."""

from __future__ import annotations

import pytest

from portal.models import InquiryStatus
from portal.security import (
    RECEIPT_ALPHABET,
    format_receipt_code,
    new_receipt_code,
    normalise_receipt_code,
    receipt_digest,
)
from portal.services import ServiceError, inquiries, triage
from portal.text import clean_text
from tests.factories import make_contact_request, make_counsellor


def test_receipt_code_has_at_least_80_bits_and_no_look_alikes():
    import math
    code = new_receipt_code()
    assert len(code) * math.log2(len(RECEIPT_ALPHABET)) >= 80
    assert not set("01ILOUV") & set(RECEIPT_ALPHABET)
    assert len({new_receipt_code() for _ in range(200)}) == 200


def test_normalising_ignores_case_spaces_and_dashes(app):
    code = new_receipt_code()
    pretty = format_receipt_code(code)
    assert [len(group) for group in pretty.split(" ")] == [4, 4, 4, 4, 4]
    with app.app_context():
        assert receipt_digest(pretty.lower().replace(" ", "-")) == receipt_digest(code)
    assert normalise_receipt_code(" ab-cd  ef ") == "ABCDEF"


def test_digest_depends_on_pepper(make_app):
    code = new_receipt_code()
    with make_app(RECEIPT_PEPPER="one").app_context():
        first = receipt_digest(code)
    with make_app(RECEIPT_PEPPER="two").app_context():
        second = receipt_digest(code)
    assert first != second and len(first) == 64


def test_create_find_answer_and_follow_up(db_session):
    inquiry, code = inquiries.create_anonymous_question(
        db_session, text="Hjælp til boligstøtte?", language="da", topics=["housing"], hospital_code="rh")
    assert inquiry.receipt_digest and code not in inquiry.receipt_digest
    assert inquiry.label and code not in inquiry.label
    assert inquiries.find_by_receipt(db_session, code.lower()) is inquiry
    assert inquiries.find_by_receipt(db_session, "2222") is None
    counsellor = make_counsellor(db_session)
    new = triage.QueueFilter(status="new")
    assert triage.queue(db_session, counsellor, new).rows == [inquiry]
    triage.claim(db_session, counsellor, inquiry.id)
    triage.answer(db_session, counsellor, inquiry, "Her er et svar.")
    assert inquiry.status == InquiryStatus.IN_PROGRESS.value
    assert triage.queue(db_session, counsellor, new).rows == []
    assert inquiries.add_family_message(db_session, inquiry, "Tak!") is not None
    assert inquiries.add_family_message(db_session, inquiry, "Tak!") is None
    assert [m.author for m in inquiry.messages] == ["family", "staff", "family"]


def test_unknown_hospital_is_a_service_error(db_session):
    with pytest.raises(ServiceError) as err:
        inquiries.create_anonymous_question(db_session, text="Et spørgsmål her", language="da",
                                            hospital_code="nope")
    assert err.value.field == "hospital"


def test_contact_request_needs_phone_or_email(db_session):
    with pytest.raises(ServiceError):
        inquiries.create_contact_request(
            db_session, inquiries.ContactRequest(language="da"), retention_months=6)


def test_only_anonymous_questions_get_thread_answers(db_session):
    inquiry = make_contact_request(db_session, phone="12345678")
    assert inquiry.contact.phone == "12345678"
    counsellor = make_counsellor(db_session)
    triage.claim(db_session, counsellor, inquiry.id)
    with pytest.raises(ServiceError):
        triage.answer(db_session, counsellor, inquiry, "Svar")


def test_labels_are_unique(db_session):
    labels = {inquiries.create_anonymous_question(db_session, text=f"Spørgsmål nummer {i}", language="da")[0].label
              for i in range(60)}
    assert len(labels) == 60


@pytest.mark.parametrize("raw, cleaned", [
    ("hej\x00 med\x07 dig", "hej med dig"),
    ("linje 1\r\nlinje 2\rlinje 3", "linje 1\nlinje 2\nlinje 3"),
    ("مرحبا 👋 e\u0301 Привіт", "مرحبا 👋 e\u0301 Привіт"),
    ("  \x1b[31mred\x7f  ", "[31mred"),
])
def test_clean_text_drops_control_characters_only(raw, cleaned):
    assert clean_text(raw) == cleaned


def test_bidi_overrides_are_removed_but_marks_kept():
    assert clean_text("abc\u202egnp.exe\u2066x\u2069 \u200fمرحبا") == "abcgnp.exex \u200fمرحبا"
