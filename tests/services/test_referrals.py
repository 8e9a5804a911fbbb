"""Referrals and sparring, through the services."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.models import ContactDetails, Inquiry, InquiryKind, Priority
from portal.services import ServiceError, referrals, sparring, triage
from tests.factories import make_case, make_counsellor, make_referral, make_referrer


def test_a_referral_lands_in_the_queue_with_hospital_urgency_and_erasable_contact(db_session):
    midwife = make_referrer(db_session, hospital_code="hgh")
    inquiry = make_referral(db_session, midwife, urgent=True, first_name="Testa", reason="Bekymret for økonomien")
    assert inquiry.kind == InquiryKind.PROFESSIONAL_REFERRAL
    assert inquiry.hospital.code == "hgh" and inquiry.referred_by_id == midwife.id
    assert inquiry.priority == Priority.URGENT and inquiry.urgent
    assert inquiry.contact.nickname == "Testa" and inquiry.contact.consent_by == "professional"
    assert inquiry.contact.erase_after > inquiry.contact.consent_at
    counsellor = make_counsellor(db_session)
    page = triage.queue(db_session, counsellor, triage.QueueFilter())
    assert page.rows[0].id == inquiry.id


@pytest.mark.parametrize("change, field", [
    ({"family_agreed": False}, "family_agreed"),
    ({"phone": None, "email": None}, "phone"),
    ({"topics": []}, "topics"),
    ({"topics": ["not-a-topic"]}, "topics"),
    ({"reason": "x" * 501}, "reason"),
])
def test_a_referral_without_what_it_needs_is_refused_and_nothing_stored(db_session, change, field):
    midwife = make_referrer(db_session)
    data = {"phone": "23456789", "topics": ["housing"], "family_agreed": True, **change}
    with pytest.raises(ServiceError) as refused:
        referrals.refer(db_session, midwife, referrals.Referral(**data), retention_months=6)
    assert refused.value.field == field
    db_session.rollback()
    assert db_session.scalar(select(func.count()).select_from(ContactDetails)) == 0


def test_only_referrers_refer_or_ask_for_sparring(db_session):
    counsellor = make_counsellor(db_session)
    with pytest.raises(ServiceError):
        referrals.refer(db_session, counsellor, referrals.Referral(phone="23456789", topics=["housing"],
                                                                   family_agreed=True), retention_months=6)
    with pytest.raises(ServiceError):
        sparring.ask(db_session, counsellor, "Et spørgsmål om en familie")


def test_status_follows_what_the_counsellor_does(db_session):
    midwife = make_referrer(db_session)
    counsellor = make_counsellor(db_session)
    inquiry = make_referral(db_session, midwife)
    assert referrals.referral_for(db_session, midwife, inquiry.id).status == referrals.RECEIVED
    triage.claim(db_session, counsellor, inquiry.id)
    assert referrals.referral_for(db_session, midwife, inquiry.id).status == referrals.RECEIVED
    triage.log_attempt(db_session, counsellor, inquiry, method="phone", reached=False)
    assert referrals.referral_for(db_session, midwife, inquiry.id).status == referrals.RECEIVED
    triage.log_attempt(db_session, counsellor, inquiry, method="phone", reached=True)
    assert referrals.referral_for(db_session, midwife, inquiry.id).status == referrals.CONTACT_MADE
    assert inquiry.first_response_at <= inquiry.reached_at
    make_case(db_session, counsellor, inquiry)
    assert referrals.referral_for(db_session, midwife, inquiry.id).status == referrals.IN_COUNSELLING
    triage.close(db_session, counsellor, inquiry, "completed")
    view = referrals.referral_for(db_session, midwife, inquiry.id)
    assert view.status == referrals.CLOSED and view.inquiry.closure_reason == "completed"


def test_a_referrer_sees_only_her_own_and_only_at_her_hospital(db_session):
    mine, colleague = make_referrer(db_session), make_referrer(db_session)
    elsewhere = make_referrer(db_session, hospital_code="boh")
    own = make_referral(db_session, mine)
    theirs = make_referral(db_session, colleague)
    other_hospital = make_referral(db_session, elsewhere)
    assert [v.inquiry.id for v in referrals.own_referrals(db_session, mine)] == [own.id]
    assert referrals.referral_for(db_session, mine, theirs.id) is None
    assert referrals.referral_for(db_session, mine, other_hospital.id) is None
    question = sparring.ask(db_session, colleague, "Hvordan taler vi om gæld?")
    assert sparring.thread_for(db_session, mine, question.id) is None
    assert sparring.thread_for(db_session, colleague, question.id) is not None
    # Moved to another hospital: the old hospital's referrals are no longer hers to see.
    mine.hospital_id = elsewhere.hospital_id
    assert referrals.own_referrals(db_session, mine) == []


def test_feedback_line_by_the_holder_only_with_a_known_code(db_session):
    midwife, counsellor, other = make_referrer(db_session), make_counsellor(db_session), make_counsellor(db_session)
    inquiry = make_referral(db_session, midwife)
    with pytest.raises(ServiceError):
        referrals.give_feedback(db_session, counsellor, inquiry, code="contact_made")
    triage.claim(db_session, counsellor, inquiry.id)
    with pytest.raises(ServiceError):
        referrals.give_feedback(db_session, other, inquiry, code="contact_made")
    with pytest.raises(ServiceError) as refused:
        referrals.give_feedback(db_session, counsellor, inquiry, code="secret")
    assert refused.value.field == "code"
    referrals.give_feedback(db_session, counsellor, inquiry, code="contact_made", text="  Vi ringer igen  ")
    assert (inquiry.feedback_code, inquiry.feedback_text) == ("contact_made", "Vi ringer igen")


def test_sparring_is_its_own_kind_answered_in_its_thread(db_session):
    midwife, counsellor = make_referrer(db_session), make_counsellor(db_session)
    question = sparring.ask(db_session, midwife, "Hvad kan en familie få hjælp til, når de mister boligen?")
    assert question.kind == InquiryKind.SPARRING and question.contact is None
    triage.claim(db_session, counsellor, question.id)
    triage.answer(db_session, counsellor, question, "Kommunen har pligt til at anvise ...")
    assert question.first_response_at is not None
    assert [m.author for m in question.messages] == ["professional", "staff"]
    with pytest.raises(ServiceError):
        triage.log_attempt(db_session, counsellor, question, method="phone", reached=True)
    assert db_session.scalar(select(func.count()).select_from(Inquiry)
                             .where(Inquiry.kind == InquiryKind.PROFESSIONAL_REFERRAL)) == 0


@pytest.mark.parametrize("text, hints", [
    ("Mor har spurgt, om hun kan skrive til mette.test@example.dk", ["email"]),
    ("Hun kan ringes op på 12 34 56 78 efter kl. 15", ["phone"]),
    ("Ring på +45 23456789", ["phone"]),
    ("Nummeret er 1234 5678.", ["phone"]),
    ("Hendes CPR er 010190-1234", ["cpr"]),
    ("CPR 0101901234 står i journalen", ["cpr"]),
])
def test_sparring_warns_about_what_looks_like_personal_data(text, hints):
    assert sparring.personal_data_hints(text) == hints


@pytest.mark.parametrize("text", [
    "En mor på 24 år i uge 30 har to børn på 3 og 5 år og er bange for at miste boligen.",
    "Termin 12.03.2027; hun får 12.500 kr. om måneden og skylder 85 000 kr.",
    "Hvordan søger man om enkeltydelse efter § 81? Mødet er 2026-11-20 kl. 10.30.",
    "Familien bor på 3. sal og har haft 4 flytninger på 2 år.",
])
def test_sparring_does_not_warn_about_ordinary_text(text):
    assert sparring.personal_data_hints(text) == []
