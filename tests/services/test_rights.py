"""A person's rights: the export of one subject, its erasure, and a family
deleting their own question (services/subject_access.py, services/erasure.py)."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.models import (
    Attendance,
    AuditEvent,
    Case,
    CaseActivityReferral,
    CaseNote,
    ContactAttempt,
    ContactDetails,
    Enrollment,
    Inquiry,
    Message,
)
from portal.models.base import utcnow
from portal.services import (
    ServiceError,
    activity_referrals,
    admissions,
    attendance,
    cases,
    courses,
    erasure,
    inquiries,
    stats,
    subject_access,
    triage,
)
from tests.activity_factories import make_activity, make_association
from tests.factories import make_case, make_contact_request, make_counsellor, make_inquiry

SECRET = "test-secret-key"


def _full_subject(db):
    """A contact request with everything linked: a case with fields, a
    note, an attempt, an activity referral, a course place with attendance."""
    lead = make_counsellor(db, role="lead")
    family = make_contact_request(db, phone="11223344", email="familie@test.invalid", nickname="Testnavn",
                                  note="Vi har brug for hjælp til bolig")
    triage.claim(db, lead, family.id)
    triage.log_attempt(db, lead, family, method="phone", reached=False, note="Ingen svar")
    case = make_case(db, lead, family)
    cases.update_evaluation(db, lead, case, {"gender": "female", "children_0_3": 1})
    cases.add_note(db, lead, case, body="Første samtale om økonomi", noted_on=date(2026, 11, 20))
    activity_referrals.refer(db, lead, case, make_activity(db, make_association(db)))
    course = courses.create_course(db, lead, courses.CourseDetails(
        title="Netværksgruppe", theme="network", form="group", audience="both", language="da",
        place_kind="mh", capacity=3))
    courses.add_session(db, lead, course, held_on=date(2026, 12, 10), starts_at="10:00")
    courses.set_status(db, lead, course, "open")
    place = admissions.propose(db, lead, course, family, reason="Netværk")
    admissions.admit(db, lead, course, place)
    courses.set_status(db, lead, course, "running")
    attendance.record(db, lead, course, course.sessions[0], {place.id})
    db.flush()
    return lead, family, case


def _count(db, model, *where) -> int:
    return int(db.scalar(select(func.count()).select_from(model).where(*where)))


def test_export_holds_everything_about_the_subject(db_session):
    lead, family, case = _full_subject(db_session)
    data = subject_access.export(db_session, subject_access.of_case(db_session, case), now=utcnow())
    json.dumps(data)  # plain values only
    assert data["inquiry"]["label"] == family.label and data["inquiry"]["has_receipt_code"] is False
    assert data["contact_details"]["phone"] == "11223344"
    assert data["contact_details"]["note"] == "Vi har brug for hjælp til bolig"
    assert [a["note"] for a in data["contact_attempts"]] == ["Ingen svar"]
    assert data["case"]["gender"] == "female" and data["case"]["children_0_3"] == 1
    assert [n["body"] for n in data["notes"]] == ["Første samtale om økonomi"]
    assert len(data["activity_referrals"]) == 1
    [place] = data["enrollments"]
    assert place["course"] == "Netværksgruppe" and place["attendance"] == [{"session_on": "2026-12-10",
                                                                            "present": True}]
    actions = {e["action"] for e in data["audit_trail"]}
    assert {"inquiry.claim", "case.open", "case.note", "enrollment.propose"} <= actions
    # Actions only: no account names or ids in the trail.
    assert set(data["audit_trail"][0]) == {"at", "action", "object_type"}
    # The same subject, reached from the inquiry.
    assert subject_access.export(db_session, subject_access.of_inquiry(db_session, family),
                                 now=utcnow())["case"]["id"] == case.id


def test_export_of_a_question_holds_its_thread(db_session):
    question, _code = make_inquiry(db_session, text="Hvad gør jeg med min barsel?")
    data = subject_access.export(db_session, subject_access.of_inquiry(db_session, question), now=utcnow())
    assert [m["body"] for m in data["messages"]] == ["Hvad gør jeg med min barsel?"]
    assert data["case"] is None and data["inquiry"]["has_receipt_code"] is True
    assert "receipt_digest" not in json.dumps(data)


def test_erasure_removes_every_linked_row_and_leaves_only_audit_events(db_session):
    lead, family, case = _full_subject(db_session)
    other = make_contact_request(db_session, phone="99887766")
    subject = subject_access.of_inquiry(db_session, family)
    before = erasure.counts(db_session, subject)
    assert before == {"inquiry": 1, "contact_details": 1, "contact_attempts": 1, "case": 1, "notes": 1,
                      "activity_referrals": 1, "enrollments": 1, "attendance": 1}
    inquiry_id, case_id = family.id, case.id
    place_id = db_session.scalar(select(Enrollment.id).where(Enrollment.inquiry_id == inquiry_id))
    erasure.erase(db_session, lead, subject, typed_label="  " + family.label.upper() + " ")
    db_session.flush()
    assert db_session.get(Inquiry, inquiry_id) is None and db_session.get(Case, case_id) is None
    for model, where in ((Message, Message.inquiry_id == inquiry_id),
                         (ContactDetails, ContactDetails.inquiry_id == inquiry_id),
                         (ContactAttempt, ContactAttempt.inquiry_id == inquiry_id),
                         (CaseNote, CaseNote.case_id == case_id),
                         (CaseActivityReferral, CaseActivityReferral.case_id == case_id),
                         (Enrollment, Enrollment.inquiry_id == inquiry_id),
                         (Attendance, Attendance.enrollment_id == place_id),
                         (AuditEvent, AuditEvent.object_type.in_(["inquiry", "case", "enrollment"])
                          & AuditEvent.object_id.in_([inquiry_id, case_id, place_id]))):
        assert _count(db_session, model, where) == 0, model.__name__
    erased = db_session.scalars(select(AuditEvent.action).where(AuditEvent.object_type.like("erased_%"))).all()
    assert {"inquiry.erased", "case.erased", "case.note", "inquiry.claim"} <= set(erased)
    # The other family is untouched.
    assert db_session.get(Inquiry, other.id).contact.phone == "99887766"


def test_erasure_refuses_a_wrong_label_and_a_counsellor(db_session):
    lead, family, _case = _full_subject(db_session)
    subject = subject_access.of_inquiry(db_session, family)
    with pytest.raises(ServiceError) as wrong:
        erasure.erase(db_session, lead, subject, typed_label="Forkert navn")
    assert wrong.value.field == "label"
    counsellor = make_counsellor(db_session)
    with pytest.raises(ServiceError):
        erasure.erase(db_session, counsellor, subject, typed_label=family.label)
    assert db_session.get(Inquiry, family.id) is not None


def test_an_erased_case_no_longer_counts(db_session):
    lead = make_counsellor(db_session, role="lead")
    kept, erased = make_case(db_session, lead), make_case(db_session, lead)
    today = date.today()

    def cases_counted() -> int:
        return stats.figures(db_session, date_from=today, date_to=today)["users"]

    assert cases_counted() == 2
    subject = subject_access.of_case(db_session, erased)
    erasure.erase(db_session, lead, subject, typed_label=subject.label)
    assert cases_counted() == 1 and db_session.get(Case, kept.id) is not None


def test_confirmation_token_names_its_subject_and_expires(db_session):
    lead = make_counsellor(db_session, role="lead")
    first, second = make_case(db_session, lead), make_case(db_session, lead)
    one, two = (subject_access.of_case(db_session, c) for c in (first, second))
    token = erasure.confirmation_token(one, secret=SECRET)
    erasure.check_token(one, token, secret=SECRET, max_age_seconds=600)

    def refusal(subject, secret: str, max_age: int) -> str:
        with pytest.raises(ServiceError) as refused:
            erasure.check_token(subject, token, secret=secret, max_age_seconds=max_age)
        return str(refused.value.message)

    assert refusal(two, SECRET, 600) == str(erasure.INVALID)
    assert refusal(one, "another-secret", 600) == str(erasure.INVALID)
    time.sleep(1.1)
    assert refusal(one, SECRET, 0) == str(erasure.EXPIRED)


def test_a_family_withdraws_their_question(db_session):
    lead = make_counsellor(db_session, role="lead")
    question, code = make_inquiry(db_session, text="Mit spørgsmål om barsel", topics=["parental_leave"])
    triage.claim(db_session, lead, question.id)
    triage.answer(db_session, lead, question, "Et svar til familien")
    erasure.withdraw_question(db_session, question, now=utcnow())
    db_session.flush()
    assert _count(db_session, Message, Message.inquiry_id == question.id) == 0
    assert inquiries.find_by_receipt(db_session, code) is None
    kept = db_session.get(Inquiry, question.id)
    # The tombstone keeps what the figures count.
    assert kept.withdrawn_at is not None and kept.status == "closed" and kept.receipt_digest is None
    assert kept.topics == ["parental_leave"] and kept.first_response_at is not None
    assert "inquiry.withdrawn" in db_session.scalars(select(AuditEvent.action)).all()
    with pytest.raises(ServiceError):
        erasure.withdraw_question(db_session, kept, now=utcnow())


def test_an_imported_case_without_an_inquiry_is_exported_and_erased(db_session, tmp_path):
    from tests.services.test_case_import import crm_row, import_file, write_csv
    import_file(db_session, write_csv(tmp_path / "crm.csv", [crm_row("crm-test-rights")]))
    case = db_session.scalars(select(Case).where(Case.external_id == "crm-test-rights")).one()
    subject = subject_access.of_case(db_session, case)
    assert subject.inquiry is None and subject.label == str(case.id)
    data = subject_access.export(db_session, subject, now=utcnow())
    assert data["inquiry"] is None and data["case"]["external_id"] == "crm-test-rights"
    assert erasure.counts(db_session, subject) == {"case": 1}
    lead = make_counsellor(db_session, role="lead")
    case_id = case.id
    erasure.erase(db_session, lead, subject, typed_label=str(case_id))
    assert db_session.get(Case, case_id) is None
