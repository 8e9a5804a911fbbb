"""Cases with everything retention removes (notes, attempts with notes,
contact details) and every evaluation field, through the real services:
the known data set of tests/evaluation_data.py, each case opened on its
day from a contact request that arrived that morning."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Case, Hospital
from portal.services import cases, triage
from portal.services.workdays import LOCAL_TIME
from tests.evaluation_data import ROWS, case_values
from tests.factories import make_case, make_contact_request, make_counsellor


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
