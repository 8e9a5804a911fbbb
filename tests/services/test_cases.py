"""The case services, called directly."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.models import EVALUATION_FIELDS, Case, CaseNote, InquiryStatus
from portal.services import ServiceError, audit, cases, triage
from tests.factories import make_case, make_contact_request, make_counsellor


def _reloaded(db, case: Case) -> Case:
    """The case as the database holds it, not as this session remembers it."""
    db.flush()
    db.expire_all()
    return db.get(Case, case.id)


def _actions(db, case: Case) -> list[str]:
    return [event.action for event in audit.for_object(db, "case", case.id)]


def test_open_case_is_prefilled_from_the_inquiry_and_audited(db_session):
    counsellor = make_counsellor(db_session)
    inquiry = make_contact_request(db_session, hospital_code="rh", topics=["housing", "economy"],
                                   pregnancy_status="pregnant")
    triage.claim(db_session, counsellor, inquiry.id)
    case = cases.open_case(db_session, counsellor, inquiry)
    assert (case.inquiry_id, case.counsellor_id, case.opened_on) == (inquiry.id, counsellor.id, date.today())
    assert case.hospital_id == inquiry.hospital_id and case.hospital_id is not None
    assert case.channel == "phone"
    assert case.contact_reasons == ["housing", "economy"]
    assert case.pregnant_at_start is True
    assert inquiry.status == InquiryStatus.IN_PROGRESS.value
    assert cases.case_for_inquiry(db_session, inquiry) is case
    assert _actions(db_session, case) == ["case.open"]


@pytest.mark.parametrize("pregnancy_status, pregnant_at_start", [
    ("pregnant", True), ("parent", False), (None, None),
])
def test_what_the_inquiry_does_not_say_stays_not_stated(db_session, pregnancy_status, pregnant_at_start):
    counsellor = make_counsellor(db_session)
    case = make_case(db_session, counsellor, make_contact_request(db_session, pregnancy_status=pregnancy_status))
    assert case.pregnant_at_start is pregnant_at_start
    assert case.contact_reasons is None and case.hospital_id is None


def test_only_the_holder_or_a_lead_opens_a_case_and_only_once(db_session):
    holder = make_counsellor(db_session)
    other = make_counsellor(db_session)
    lead = make_counsellor(db_session, role="lead")
    inquiry = make_contact_request(db_session)
    with pytest.raises(ServiceError):
        cases.open_case(db_session, holder, inquiry)  # not taken yet
    triage.claim(db_session, holder, inquiry.id)
    with pytest.raises(ServiceError):
        cases.open_case(db_session, other, inquiry)
    case = cases.open_case(db_session, holder, inquiry)
    with pytest.raises(ServiceError):
        cases.open_case(db_session, holder, inquiry)
    with pytest.raises(ServiceError):
        cases.open_case(db_session, lead, inquiry)
    assert db_session.scalar(select(func.count()).select_from(Case)) == 1
    held_by_someone = make_contact_request(db_session)
    triage.claim(db_session, holder, held_by_someone.id)
    assert cases.open_case(db_session, lead, held_by_someone).counsellor_id == lead.id
    assert case.counsellor_id == holder.id


def test_not_stated_and_zero_are_different_answers(db_session):
    counsellor = make_counsellor(db_session)
    case = make_case(db_session, counsellor)
    cases.update_evaluation(db_session, counsellor, case,
                            {"children_0_3": 0, "children_4_6": None, "pregnant_at_start": False})
    stored = _reloaded(db_session, case)
    assert stored.children_0_3 == 0 and stored.children_4_6 is None
    assert stored.pregnant_at_start is False
    cases.update_evaluation(db_session, counsellor, stored, {"children_0_3": None, "pregnant_at_start": None})
    stored = _reloaded(db_session, stored)
    assert stored.children_0_3 is None and stored.pregnant_at_start is None


def test_every_field_goes_back_to_not_stated(db_session):
    counsellor = make_counsellor(db_session)
    case = make_case(db_session, counsellor, make_contact_request(db_session, hospital_code="rh",
                                                                   topics=["housing"]))
    cases.update_evaluation(db_session, counsellor, case, {"gender": "female", "birth_year": 1998})
    cases.update_evaluation(db_session, counsellor, case, dict.fromkeys(EVALUATION_FIELDS))
    stored = _reloaded(db_session, case)
    assert {name: getattr(stored, name) for name in EVALUATION_FIELDS} == dict.fromkeys(EVALUATION_FIELDS)
    assert _actions(db_session, stored).count("case.update") == 2


def test_evaluation_values_are_checked(db_session):
    counsellor = make_counsellor(db_session)
    case = make_case(db_session, counsellor)
    with pytest.raises(ValueError):
        cases.update_evaluation(db_session, counsellor, case, {"nickname": "Fie"})
    with pytest.raises(ServiceError) as err:
        cases.update_evaluation(db_session, counsellor, case, {"hospital_id": 999_999})
    assert err.value.field == "hospital_id"
    with pytest.raises(ServiceError) as err:
        cases.update_evaluation(db_session, counsellor, case, {"closure_reason": "completed"})
    assert err.value.field == "closure_reason"
    with pytest.raises(ServiceError):
        cases.update_evaluation(db_session, counsellor, case, {"closed_on": date(2026, 11, 20)})
    cases.update_evaluation(db_session, counsellor, case,
                            {"closure_reason": "completed", "closed_on": date(2026, 11, 20)})
    stored = _reloaded(db_session, case)
    assert (stored.closure_reason, stored.closed_on) == ("completed", date(2026, 11, 20))


def test_a_stale_version_is_refused_and_changes_nothing(db_session):
    counsellor = make_counsellor(db_session)
    case = make_case(db_session, counsellor)
    seen = case.version
    cases.update_evaluation(db_session, counsellor, case, {"gender": "male"}, expected_version=seen)
    assert case.version == seen + 1
    with pytest.raises(ServiceError):
        cases.update_evaluation(db_session, counsellor, case, {"gender": "female"}, expected_version=seen)
    stored = _reloaded(db_session, case)
    assert stored.gender == "male" and stored.version == seen + 1
    cases.update_evaluation(db_session, counsellor, stored, {"gender": "female"}, expected_version=seen + 1)
    assert _reloaded(db_session, stored).gender == "female"


def test_only_the_owner_or_a_lead_changes_a_case(db_session):
    owner = make_counsellor(db_session)
    other = make_counsellor(db_session)
    lead = make_counsellor(db_session, role="lead")
    case = make_case(db_session, owner)
    with pytest.raises(ServiceError):
        cases.update_evaluation(db_session, other, case, {"gender": "female"})
    with pytest.raises(ServiceError):
        cases.add_note(db_session, other, case, body="Ikke min sag")
    stored = _reloaded(db_session, case)
    assert stored.gender is None
    assert db_session.scalar(select(func.count()).select_from(CaseNote)) == 0
    cases.update_evaluation(db_session, lead, stored, {"gender": "female"})
    cases.add_note(db_session, lead, stored, body="Lederen har kigget på sagen.")
    cases.update_evaluation(db_session, owner, stored, {"heard_from": "midwife"})
    stored = _reloaded(db_session, stored)
    assert (stored.gender, stored.heard_from) == ("female", "midwife")


def test_notes_are_trimmed_dated_and_audited(db_session):
    counsellor = make_counsellor(db_session)
    case = make_case(db_session, counsellor)
    note = cases.add_note(db_session, counsellor, case, body="  Ringede, aftalt møde.\n", noted_on=date(2026, 11, 21))
    assert (note.body, note.noted_on, note.author_id) == ("Ringede, aftalt møde.", date(2026, 11, 21), counsellor.id)
    assert cases.add_note(db_session, counsellor, case, body="Uden dato").noted_on == date.today()
    assert _actions(db_session, case).count("case.note") == 2


@pytest.mark.parametrize("body", ["", "   \n\t ", "x" * 10_000])
def test_empty_and_overlong_notes_are_refused(db_session, body):
    counsellor = make_counsellor(db_session)
    case = make_case(db_session, counsellor)
    with pytest.raises(ServiceError) as err:
        cases.add_note(db_session, counsellor, case, body=body)
    assert err.value.field == "body"
    assert db_session.scalar(select(func.count()).select_from(CaseNote)) == 0
    assert "case.note" not in _actions(db_session, case)


def test_get_case_loads_without_auditing(db_session):
    """The route audits the view (apart, see test_unit_of_work); the service only loads."""
    owner = make_counsellor(db_session)
    case = make_case(db_session, owner)
    assert cases.get_case(db_session, case.id) is case
    assert cases.get_case(db_session, case.id, for_update=True) is case
    assert cases.get_case(db_session, case.id + 1000) is None


def test_list_cases_mine_and_open(db_session):
    me = make_counsellor(db_session)
    other = make_counsellor(db_session)
    mine = make_case(db_session, me)
    theirs = make_case(db_session, other)
    assert [c.id for c in cases.list_cases(db_session, me).rows] == [theirs.id, mine.id]  # newest first
    assert [c.id for c in cases.list_cases(db_session, me, mine=True).rows] == [mine.id]
    cases.update_evaluation(db_session, other, theirs, {"closure_reason": "completed", "closed_on": date.today()})
    assert [c.id for c in cases.list_cases(db_session, me).rows] == [mine.id]
    assert [c.id for c in cases.list_cases(db_session, me, open_only=False).rows] == [theirs.id, mine.id]
    assert len(cases.list_cases(db_session, me, open_only=False, limit=1).rows) == 1
