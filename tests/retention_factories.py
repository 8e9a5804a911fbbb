"""Cases with everything retention removes (notes, attempts with notes,
contact details) and every evaluation field, through the real services:
the known data set of tests/evaluation_data.py, each case opened on its
day from a contact request that arrived that morning; and anonymous
questions with staff answers (``make_answered_threads``)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Case, Hospital, Inquiry
from portal.services import cases, inquiries, triage
from portal.services.workdays import LOCAL_TIME
from tests.evaluation_data import ROWS, case_values
from tests.factories import make_case, make_contact_request, make_counsellor, make_inquiry


def make_evaluated_cases(db: Session, rows: list[dict[str, str]] = ROWS) -> list[Case]:
    """One case per row, with a note, two contact attempts (one with a note) and contact details."""
    counsellor = make_counsellor(db)
    hospital_ids = {h.code: h.id for h in db.scalars(select(Hospital))}
    made = []
    for row in rows:
        opened = date.fromisoformat(row["opened_on"])
        arrived = datetime.combine(opened, time(10, 30), tzinfo=LOCAL_TIME).astimezone(timezone.utc)
        inquiry = make_contact_request(db, phone="12345678", nickname="Testmor", now=arrived,
                                       hospital_code=row["hospital"] or None, note="Ring efter kl. 15")
        case = make_case(db, counsellor, inquiry)
        case.opened_on = opened
        cases.update_evaluation(db, counsellor, case, case_values(row, hospital_ids))
        triage.log_attempt(db, counsellor, inquiry, method="phone", reached=False, note="Ingen svar",
                           at=arrived + timedelta(hours=20))
        triage.log_attempt(db, counsellor, inquiry, method="phone", reached=True,
                           at=arrived + timedelta(days=2, hours=1))
        cases.add_note(db, counsellor, case, body="Talte om boligstøtte og vuggestue.", noted_on=opened)
        made.append(case)
    db.flush()
    return made


def _local(day: str, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour, minute), tzinfo=LOCAL_TIME).astimezone(timezone.utc)


# Anonymous questions, all long past THREAD_RETENTION_DAYS: (hospital, topics,
# arrived, answered or None, closed afterwards). One answered within its
# promise, one late and closed, one never answered (still open), one closed
# unanswered (a duplicate), one that arrived just before a period.
THREADS = [
    ("hgh", ["economy"], _local("2025-04-03", 9), _local("2025-04-03", 14, 30), False),
    ("nsh", ["housing", "network"], _local("2025-05-20", 16), _local("2025-05-28", 11), True),
    ("rh", [], _local("2025-06-10", 8), None, False),
    ("rh", ["other"], _local("2025-04-20", 12), None, True),
    ("hgh", ["pregnancy_birth"], _local("2025-03-31", 23, 30), _local("2025-04-01", 10), False),
]


def make_answered_threads(db: Session) -> list[Inquiry]:
    """The THREADS, asked and answered through the real services at their moments
    (the family writes back once on the answered ones)."""
    counsellor = make_counsellor(db)
    made = []
    for hospital, topics, arrived, answered, closed in THREADS:
        inquiry, _code = make_inquiry(db, text="Hvad har jeg ret til?", topics=topics, hospital_code=hospital,
                                      now=arrived)
        triage.claim(db, counsellor, inquiry.id)
        if answered is not None:
            triage.answer(db, counsellor, inquiry, "Du kan ringe til os på hverdage.")
            inquiry.messages[-1].created_at = inquiry.first_response_at = answered
            inquiries.add_family_message(db, inquiry, "Tak for svaret.")
            inquiry.messages[-1].created_at = answered + timedelta(hours=2)
        if closed:
            triage.close(db, counsellor, inquiry, "completed")
        made.append(inquiry)
    db.flush()
    return made
