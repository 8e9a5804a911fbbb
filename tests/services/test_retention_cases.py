"""Anonymising closed cases CASE_RETENTION_MONTHS after they closed, and
deleting anonymous threads THREAD_RETENTION_DAYS after their last message:
the figures of every whole-month period stay the same to the last digit,
and nothing but coded fields and month dates is left."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, select

from portal.models import AuditEvent, Case, CaseNote, ContactAttempt, ContactDetails, Inquiry, Message
from portal.services import retention, stats
from portal.services.workdays import LOCAL_TIME
from tests.evaluation_data import ROWS
from tests.retention_factories import THREADS, make_answered_threads, make_evaluated_cases

POLICY = retention.Policy()
# Local date 2027-08-01: the cases closed on or before 2025-08-01 are due.
NOW = datetime(2027, 8, 1, 10, 0, tzinfo=timezone.utc)
PERIODS = [(date(2024, 12, 1), date(2026, 11, 30), None), (date(2025, 4, 1), date(2025, 6, 30), None),
           (date(2025, 3, 1), date(2025, 3, 31), None), (date(2025, 4, 1), date(2025, 12, 31), "hgh"),
           (date(2025, 5, 1), date(2025, 5, 31), "nsh"), (date(2025, 1, 1), date(2025, 12, 31), "rh")]
DUE = {"E01", "E02", "E03", "X01"}  # closed 2025-05-10, 06-01, 07-01, 04-20


def _figures(db) -> list[str]:
    return [json.dumps(stats.figures(db, date_from=start, date_to=end, hospital_code=hospital), sort_keys=True)
            for start, end, hospital in PERIODS]


def _at_local(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=LOCAL_TIME).astimezone(timezone.utc)


def test_the_figures_of_past_periods_do_not_change_by_one(db_session):
    made = make_evaluated_cases(db_session)
    make_answered_threads(db_session)
    before = _figures(db_session)
    # The anonymous questions and their response times are in the figures compared.
    whole = json.loads(before[0])
    assert (whole["anonymous_questions"]["n"], whole["anonymous_questions"]["counts"]["answered"]) == (5, 3)
    assert (whole["response_times"]["anonymous_question"]["n"],
            whole["response_times"]["anonymous_question"]["waiting_overdue"]) == (3, 1)
    counts = retention.purge(db_session, POLICY, now=NOW)
    assert (counts["cases"], counts["anonymous_threads"]) == (len(DUE), len(THREADS))
    assert db_session.scalar(select(func.count()).select_from(Message)) == 0
    assert _figures(db_session) == before
    assert sum(1 for case in db_session.scalars(select(Case)) if case.anonymised_on) == len(DUE)
    assert len(made) == len(ROWS)


def test_an_anonymised_case_keeps_only_codes_and_months(db_session):
    made = {row["external_id"]: case for row, case in zip(ROWS, make_evaluated_cases(db_session), strict=True)}
    ids = {name: (case.id, case.inquiry_id) for name, case in made.items()}
    coded = {name: (case.gender, case.contact_reasons, case.onward_referrals, case.closure_reason, case.hospital_id,
                    case.children_0_3) for name, case in made.items()}
    retention.purge(db_session, POLICY, now=NOW)
    for name, (case_id, inquiry_id) in ids.items():
        case, inquiry = db_session.get(Case, case_id), db_session.get(Inquiry, inquiry_id)
        notes = db_session.scalar(select(func.count()).select_from(CaseNote).where(CaseNote.case_id == case_id))
        attempts = db_session.scalar(select(func.count()).select_from(ContactAttempt)
                                     .where(ContactAttempt.inquiry_id == inquiry_id))
        assert (case.gender, case.contact_reasons, case.onward_referrals, case.closure_reason, case.hospital_id,
                case.children_0_3) == coded[name]
        if name not in DUE:
            assert (notes, attempts, case.anonymised_on, inquiry.response_hours) == (1, 2, None, None)
            continue
        assert (notes, attempts, case.birth_year, case.counsellor_id, case.external_id) == (0, 0, None, None, None)
        assert case.anonymised_on == date(2027, 8, 1)
        assert case.opened_on.day == 1 and case.closed_on.day == 1
        assert inquiry.contact is None and inquiry.feedback_text is None and inquiry.child_month is None
        assert inquiry.response_hours is not None and inquiry.response_kept is not None and inquiry.anonymised
        for moment in (inquiry.created_at, inquiry.first_response_at, inquiry.reached_at, inquiry.due_at,
                       inquiry.updated_at, inquiry.last_attempt_at, case.created_at, case.updated_at):
            local = moment.astimezone(LOCAL_TIME)
            assert (local.day, local.hour, local.minute) == (1, 0, 0), (name, moment)
    # E02 was aged by its birth year (2025 - 1990 = 35): the band stays, the year goes.
    assert db_session.get(Case, ids["E02"][0]).age_band == "30_39"
    assert db_session.scalar(select(func.count()).select_from(Message)) == 0
    assert db_session.scalar(select(func.count()).select_from(ContactDetails)) == 0  # erase_after passed too


def test_the_limit_is_24_months_after_closing_to_the_day(db_session):
    [case] = make_evaluated_cases(db_session, [row for row in ROWS if row["external_id"] == "E03"])
    closed = case.closed_on
    assert closed == date(2025, 7, 1)
    assert retention.purge(db_session, POLICY, now=_at_local(date(2027, 6, 30)))["cases"] == 0
    assert db_session.get(Case, case.id).anonymised_on is None
    assert retention.purge(db_session, POLICY, now=_at_local(date(2027, 7, 1)))["cases"] == 1
    assert db_session.get(Case, case.id).anonymised_on == date(2027, 7, 1)


def test_an_open_case_is_never_anonymised(db_session):
    make_evaluated_cases(db_session, [row for row in ROWS if not row["closed_on"]])
    counts = retention.purge(db_session, POLICY, now=NOW + timedelta(days=3650))
    assert counts["cases"] == 0
    assert db_session.scalar(select(func.count()).select_from(CaseNote)) == 2


def test_a_second_run_anonymises_nothing_and_writes_no_second_event(db_session):
    make_evaluated_cases(db_session)
    make_answered_threads(db_session)
    first = retention.purge(db_session, POLICY, now=NOW)
    assert (first["cases"], first["anonymous_threads"]) == (len(DUE), len(THREADS))
    before = _figures(db_session)
    assert not any(retention.purge(db_session, POLICY, now=NOW + timedelta(hours=1)).values())
    assert _figures(db_session) == before
    events = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purge")).all()
    assert [event.details for event in events] == [first]


def test_a_deleted_thread_leaves_a_closed_coded_stub_that_is_no_longer_work(db_session):
    from portal.services import triage
    from tests.factories import make_counsellor
    threads = make_answered_threads(db_session)
    lead = make_counsellor(db_session, role="lead")
    coded = {t.id: (t.kind, t.hospital_id, t.topics, t.language, t.label) for t in threads}
    assert len(triage.queue(db_session, lead, triage.QueueFilter()).rows) == 3
    retention.purge(db_session, POLICY, now=NOW)
    for (hospital, _topics, _arrived, answered, closed), thread in zip(THREADS, threads, strict=True):
        stub = db_session.get(Inquiry, thread.id)
        assert (stub.kind, stub.hospital_id, stub.topics, stub.language, stub.label) == coded[thread.id]
        assert (stub.status, stub.receipt_digest, stub.assigned_to_id, stub.anonymised) == ("closed", None, None, True)
        assert stub.messages == []
        assert (stub.response_hours is not None) == (answered is not None)
        # Closed by retention unanswered: still owed (counted waiting); closed by staff: as it was.
        if answered is None:
            assert stub.response_kept is (None if closed else False)
        for moment in (stub.created_at, stub.updated_at, stub.claimed_at, stub.closed_at, stub.due_at,
                       stub.first_response_at):
            if moment is not None:
                local = moment.astimezone(LOCAL_TIME)
                assert (local.day, local.hour, local.minute) == (1, 0, 0), (hospital, moment)
    assert triage.queue(db_session, lead, triage.QueueFilter()).rows == []
