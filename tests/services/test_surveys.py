"""The survey services, called directly: codes that work once, the figures
counted by hand, nothing that links an answer to a case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, inspect, select

from portal.models import AuditEvent, Hospital, SurveyInvitation, SurveyResponse
from portal.security import format_receipt_code, survey_digest
from portal.services import ServiceError, surveys
from tests.factories import make_case, make_closed_case, make_counsellor


def _hospital(db, code: str = "rh") -> Hospital:
    return db.scalar(select(Hospital).where(Hospital.code == code))


def _responses(db) -> int:
    return db.scalar(select(func.count()).select_from(SurveyResponse))


def _at(monkeypatch, day: date) -> None:
    """Let the service's clock say ``day`` (Copenhagen)."""
    monkeypatch.setattr(surveys, "today", lambda: day)


def test_a_family_code_works_once_and_the_response_holds_no_case(db_session):
    counsellor = make_counsellor(db_session)
    case = make_closed_case(db_session, counsellor)
    _invitation, code = surveys.offer_family_survey(db_session, counsellor, case, language="ar")
    invitation = db_session.scalar(select(SurveyInvitation))
    assert invitation.token_digest == survey_digest(code) and code not in invitation.token_digest
    assert (invitation.hospital_id, invitation.language, invitation.reusable) == (case.hospital_id, "ar", False)
    assert invitation.month == surveys.today().strftime("%Y-%m")
    assert invitation.expires_on == surveys.today() + timedelta(days=surveys.FAMILY_SURVEY_DAYS)

    # Typed from the slip: groups, small letters.
    response = surveys.answer(db_session, format_receipt_code(code).lower(), kind="family",
                              answers={"felt_welcome": "agree", "helped": "strongly_agree", "understood": ""},
                              free_text="  Tak for hjælpen  ", language="ar")
    assert response.answers == {"felt_welcome": "agree", "helped": "strongly_agree"}
    assert (response.kind, response.hospital_id, response.language, response.free_text) == (
        "family", case.hospital_id, "ar", "Tak for hjælpen")
    assert db_session.scalar(select(func.count()).select_from(SurveyInvitation)) == 0
    with pytest.raises(ServiceError):
        surveys.answer(db_session, code, kind="family", answers={"helped": "agree"}, free_text=None, language="ar")
    assert _responses(db_session) == 1


def test_a_lost_race_stores_no_second_response(db_session, monkeypatch):
    """Two submits found the same invitation; the second's DELETE finds no
    row, so it stores nothing (delete first, then check the row count)."""
    counsellor = make_counsellor(db_session)
    _invitation, code = surveys.offer_family_survey(db_session, counsellor, make_closed_case(db_session, counsellor), language="da")
    stale = surveys.find_invitation(db_session, code, kind="family")
    surveys.answer(db_session, code, kind="family", answers={"helped": "agree"}, free_text=None, language="da")
    monkeypatch.setattr(surveys, "find_invitation", lambda *_a, **_k: stale)
    with pytest.raises(ServiceError):
        surveys.answer(db_session, code, kind="family", answers={"helped": "disagree"}, free_text=None,
                       language="da")
    assert _responses(db_session) == 1


def test_an_expired_code_is_refused_and_purged(db_session, monkeypatch):
    counsellor = make_counsellor(db_session)
    case = make_closed_case(db_session, counsellor)
    _old, old = surveys.offer_family_survey(db_session, counsellor, case, language="da")
    _fresh, fresh = surveys.offer_family_survey(db_session, counsellor, case, language="da")
    _at(monkeypatch, date.today() + timedelta(days=surveys.FAMILY_SURVEY_DAYS))
    assert surveys.find_invitation(db_session, old, kind="family") is not None  # its last day
    _at(monkeypatch, date.today() + timedelta(days=surveys.FAMILY_SURVEY_DAYS + 1))
    with pytest.raises(ServiceError):
        surveys.answer(db_session, old, kind="family", answers={}, free_text="Sent", language="da")
    assert surveys.purge_expired(db_session) == 2
    assert surveys.find_invitation(db_session, fresh, kind="family") is None
    assert db_session.scalar(select(func.count()).select_from(SurveyInvitation)) == 0
    assert _responses(db_session) == 0


def test_purge_keeps_what_is_still_open(db_session):
    counsellor = make_counsellor(db_session)
    _invitation, code = surveys.offer_family_survey(db_session, counsellor, make_closed_case(db_session, counsellor), language="da")
    assert surveys.purge_expired(db_session) == 0
    assert surveys.find_invitation(db_session, code, kind="family") is not None


def test_an_open_case_or_someone_elses_case_gets_no_survey(db_session):
    counsellor, other = make_counsellor(db_session), make_counsellor(db_session)
    with pytest.raises(ServiceError):
        surveys.offer_family_survey(db_session, counsellor, make_case(db_session, counsellor), language="da")
    with pytest.raises(ServiceError):
        surveys.offer_family_survey(db_session, other, make_closed_case(db_session, counsellor), language="da")
    lead = make_counsellor(db_session, role="lead")
    assert surveys.offer_family_survey(db_session, lead, make_closed_case(db_session, counsellor), language="da")
    assert db_session.scalar(select(func.count()).select_from(SurveyInvitation)) == 1


def test_answers_must_be_this_surveys_codes(db_session):
    counsellor = make_counsellor(db_session)
    _invitation, code = surveys.offer_family_survey(db_session, counsellor, make_closed_case(db_session, counsellor), language="da")
    for answers in ({"helped": "very much"}, {"easy_to_refer": "agree"}, {"case_id": "agree"}):
        with pytest.raises(ServiceError):
            surveys.answer(db_session, code, kind="family", answers=answers, free_text=None, language="da")
    with pytest.raises(ServiceError):
        surveys.answer(db_session, code, kind="family", answers={}, free_text="x" * 2001, language="da")
    with pytest.raises(ServiceError):  # a family's code does not open the staff survey
        surveys.answer(db_session, code, kind="staff", answers={}, free_text=None, language="da")
    assert surveys.find_invitation(db_session, code, kind="family") is not None
    assert _responses(db_session) == 0


def test_the_offer_is_audited_on_the_case_without_the_invitation(db_session):
    counsellor = make_counsellor(db_session)
    case = make_closed_case(db_session, counsellor)
    _invitation, code = surveys.offer_family_survey(db_session, counsellor, case, language="da")
    invitation = db_session.scalar(select(SurveyInvitation))
    offer = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "survey.offer"))
    assert (offer.object_type, offer.object_id, offer.user_id) == ("case", case.id, counsellor.id)
    values = [str(getattr(offer, column.key)) for column in inspect(AuditEvent).columns]
    assert not any(code in value or invitation.token_digest in value for value in values)
    other_events = db_session.scalars(select(AuditEvent).where(AuditEvent.object_type == "surveyinvitation")).all()
    assert other_events == []


def test_staff_link_is_reusable_until_closed(db_session):
    lead, counsellor = make_counsellor(db_session, role="lead"), make_counsellor(db_session)
    hospital = _hospital(db_session, "hgh")
    with pytest.raises(ServiceError):
        surveys.create_staff_link(db_session, counsellor, hospital, days=30)
    with pytest.raises(ServiceError):
        surveys.create_staff_link(db_session, lead, hospital, days=0)
    link, code = surveys.create_staff_link(db_session, lead, hospital, days=30)
    for answer in ("agree", "disagree"):
        surveys.answer(db_session, code, kind="staff", answers={"easy_to_refer": answer}, free_text=None,
                       language="da")
    with pytest.raises(ServiceError):  # a staff link does not open the family's survey
        surveys.answer(db_session, code, kind="family", answers={}, free_text=None, language="da")
    assert _responses(db_session) == 2
    assert [(item.id, item.hospital_id) for item in surveys.open_staff_links(db_session)] == [(link.id, hospital.id)]
    surveys.close_staff_link(db_session, lead, link.id)
    assert surveys.open_staff_links(db_session) == []
    with pytest.raises(ServiceError):
        surveys.answer(db_session, code, kind="staff", answers={}, free_text="Godt", language="da")


def _family(db, monkeypatch, counsellor, day: date, answers: dict, *, hospital: str = "rh", text=None):
    _at(monkeypatch, day)
    case = make_closed_case(db, counsellor, hospital_code=hospital)
    _invitation, code = surveys.offer_family_survey(db, counsellor, case, language="da")
    _at(monkeypatch, day + timedelta(days=40))  # answered in a later month: counted in the offer's
    surveys.answer(db, code, kind="family", answers=answers, free_text=text, language="da")


def test_figures_by_hand(db_session, monkeypatch):
    counsellor, lead = make_counsellor(db_session), make_counsellor(db_session, role="lead")
    march, april, may = date(2026, 3, 10), date(2026, 4, 30), date(2026, 5, 2)
    _family(db_session, monkeypatch, counsellor, march, {"helped": "agree", "felt_welcome": "strongly_agree"})
    _family(db_session, monkeypatch, counsellor, march, {"helped": "agree"}, hospital="hgh", text="Tak")
    _family(db_session, monkeypatch, counsellor, april, {"helped": "disagree", "recommend": "neutral"})
    _family(db_session, monkeypatch, counsellor, april, {}, text="Ingen svar på skalaen")
    _family(db_session, monkeypatch, counsellor, may, {"helped": "strongly_disagree"})  # outside the period
    _at(monkeypatch, april)
    _link, code = surveys.create_staff_link(db_session, lead, _hospital(db_session), days=10)
    surveys.answer(db_session, code, kind="staff", answers={"sparring_useful": "agree", "easy_to_refer": "agree"},
                   free_text="Godt samarbejde", language="da")

    result = surveys.figures(db_session, date_from=date(2026, 3, 31), date_to=date(2026, 4, 1))
    family = result["family"]
    assert family["responses"] == 4
    assert family["questions"]["helped"] == {"n": 3, "counts": {
        "strongly_agree": 0, "agree": 2, "neutral": 0, "disagree": 1, "strongly_disagree": 0}}
    assert family["questions"]["felt_welcome"]["n"] == 1
    assert family["questions"]["felt_welcome"]["counts"]["strongly_agree"] == 1
    assert family["questions"]["understood"] == {"n": 0, "counts": dict.fromkeys(surveys.ANSWERS, 0)}
    assert family["questions"]["recommend"]["counts"]["neutral"] == 1
    assert set(family["questions"]) == {"felt_welcome", "understood", "helped", "recommend"}
    staff = result["staff"]
    assert staff["responses"] == 1 and set(staff["questions"]) == {
        "easy_to_refer", "feedback_enough", "families_helped", "sparring_useful"}
    assert staff["questions"]["easy_to_refer"] == {"n": 1, "counts": {**dict.fromkeys(surveys.ANSWERS, 0), "agree": 1}}
    assert staff["questions"]["feedback_enough"]["n"] == 0

    rh = surveys.figures(db_session, date_from=march, date_to=april, hospital_id=_hospital(db_session).id)
    assert rh["family"]["responses"] == 3 and rh["family"]["questions"]["helped"]["n"] == 2
    empty = surveys.figures(db_session, date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))
    assert empty["family"]["responses"] == 0 and empty["staff"]["questions"]["sparring_useful"]["n"] == 0

    texts = surveys.free_texts(db_session, lead, date_from=march, date_to=april)
    assert sorted((t.kind, t.hospital, t.month, t.text) for t in texts) == [
        ("family", "Herlev og Gentofte Hospital", "2026-03", "Tak"),
        ("family", "Rigshospitalet", "2026-04", "Ingen svar på skalaen"),
        ("staff", "Rigshospitalet", "2026-04", "Godt samarbejde")]
    with pytest.raises(ServiceError):
        surveys.free_texts(db_session, counsellor, date_from=march, date_to=april)


def test_no_survey_column_can_link_to_a_case_or_a_person(db_session):
    """The survey tables' columns: no case, inquiry, user or free date;
    their only foreign key is the hospital."""
    inspector = inspect(db_session.get_bind())
    allowed = {
        "survey_invitations": {"id", "token_digest", "kind", "hospital_id", "month", "language", "reusable",
                               "expires_on"},
        "survey_responses": {"id", "kind", "hospital_id", "month", "language", "answers", "free_text"},
    }
    for table, columns in allowed.items():
        assert {column["name"] for column in inspector.get_columns(table)} == columns, table
        targets = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
        assert targets == {"hospitals"}, table


def test_every_survey_code_has_its_label():
    """The code lists (what is stored) and the labels (what is shown) name the same codes."""
    from portal.models.codes import FamilySurveyQuestion, StaffSurveyQuestion, SurveyAnswer, code_set
    from portal.vocab.staff import STAFF_SURVEY_QUESTIONS, SURVEY_KINDS
    from portal.vocab.survey_public import FAMILY_SURVEY_QUESTIONS, SURVEY_ANSWERS
    assert set(FAMILY_SURVEY_QUESTIONS) == code_set(FamilySurveyQuestion) == set(surveys.QUESTIONS["family"])
    assert set(STAFF_SURVEY_QUESTIONS) == code_set(StaffSurveyQuestion) == set(surveys.QUESTIONS["staff"])
    assert list(SURVEY_ANSWERS) == list(surveys.ANSWERS) and set(SURVEY_ANSWERS) == code_set(SurveyAnswer)
    assert set(SURVEY_KINDS) == set(surveys.QUESTIONS)
