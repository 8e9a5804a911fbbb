"""A person's right of access: everything the portal stores about one
inquiry or case, as one plain dict (the lead's JSON download).

The subject is an inquiry together with the case opened from it (either
may be missing: an imported case has no inquiry). Staff accounts appear
only by role, never by name: the family's data is what they asked for, not
the counsellors'. The audit trail is given as actions and times only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from portal.models import (
    EVALUATION_FIELDS,
    Attendance,
    AuditEvent,
    Case,
    CaseActivityReferral,
    CaseNote,
    ContactAttempt,
    CourseSession,
    Enrollment,
    Inquiry,
    Message,
)

FORMAT = "portal-subject-access/1"
# Survey invitations carry the hospital, the month and the language, and by
# design nothing that links them to a case (models/survey.py).
SURVEYS_NOT_LINKED = "Survey codes are not linked to a case; none can be listed."

_INQUIRY_FIELDS = (
    "id", "label", "kind", "status", "channel", "topics", "language", "pregnancy_status", "child_month",
    "conversation_language", "interpreter_needed", "heard_from", "priority", "claimed_at", "closure_reason",
    "closed_at", "attempt_count", "last_attempt_at", "first_response_at", "reached_at", "due_at",
    "feedback_code", "feedback_text", "feedback_at", "withdrawn_at", "created_at", "updated_at",
)
_CONTACT_FIELDS = ("nickname", "phone", "email", "may_leave_voicemail", "may_send_text", "best_times", "note",
                   "consent_at", "consent_by", "erase_after")
_ENROLLMENT_FIELDS = ("id", "status", "reason", "proposed_at", "decided_at", "waitlist_number", "auto_admitted_at",
                      "missed_flag_at", "arrives_on", "leaves_on")


@dataclass(frozen=True)
class Subject:
    """One inquiry and the case opened from it (at least one of the two)."""

    inquiry: Inquiry | None
    case: Case | None

    @property
    def label(self) -> str:
        """What the lead types to confirm an erasure: the inquiry's neutral
        label, or for a case without one its number."""
        if self.inquiry is not None:
            return self.inquiry.label
        return str(self.case.id) if self.case is not None else ""


def of_inquiry(db: Session, inquiry: Inquiry) -> Subject:
    """The subject an inquiry belongs to (with its case, if one was opened)."""
    return Subject(inquiry, db.scalar(select(Case).where(Case.inquiry_id == inquiry.id)))


def of_case(db: Session, case: Case) -> Subject:
    """The subject a case belongs to (with its inquiry, if it came from one)."""
    return Subject(db.get(Inquiry, case.inquiry_id) if case.inquiry_id else None, case)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _row(obj: object, fields: Sequence[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def enrollments(db: Session, subject: Subject) -> Sequence[Enrollment]:
    """Course enrolments (spor 2) of the subject's inquiry or case."""
    conditions = []
    if subject.inquiry is not None:
        conditions.append(Enrollment.inquiry_id == subject.inquiry.id)
    if subject.case is not None:
        conditions.append(Enrollment.case_id == subject.case.id)
    return db.scalars(select(Enrollment).where(or_(*conditions)).order_by(Enrollment.id)
                      .options(selectinload(Enrollment.course))).all()


def audit_events(db: Session, subject: Subject) -> Sequence[AuditEvent]:
    """Every audit event about the subject's inquiry, case and enrolments, oldest first."""
    keys = [("inquiry", subject.inquiry.id)] if subject.inquiry else []
    keys += [("case", subject.case.id)] if subject.case else []
    keys += [("enrollment", e.id) for e in enrollments(db, subject)]
    return db.scalars(select(AuditEvent).where(or_(*[
        (AuditEvent.object_type == kind) & (AuditEvent.object_id == ident) for kind, ident in keys]))
        .order_by(AuditEvent.id)).all()


def _inquiry_part(db: Session, inquiry: Inquiry) -> dict[str, Any]:
    messages = db.scalars(select(Message).where(Message.inquiry_id == inquiry.id).order_by(Message.id)).all()
    attempts = db.scalars(select(ContactAttempt).where(ContactAttempt.inquiry_id == inquiry.id)
                          .order_by(ContactAttempt.id)).all()
    return {
        "inquiry": {**_row(inquiry, _INQUIRY_FIELDS),
                    "hospital": inquiry.hospital.name if inquiry.hospital else None,
                    "has_receipt_code": inquiry.receipt_digest is not None},
        "messages": [{"author": m.author, "body": m.body, "created_at": _plain(m.created_at)} for m in messages],
        "contact_details": _row(inquiry.contact, _CONTACT_FIELDS) if inquiry.contact else None,
        "contact_attempts": [_row(a, ("attempted_at", "method", "reached", "note")) for a in attempts],
    }


def _case_part(db: Session, case: Case) -> dict[str, Any]:
    notes = db.scalars(select(CaseNote).where(CaseNote.case_id == case.id).order_by(CaseNote.id)).all()
    referrals = db.scalars(select(CaseActivityReferral).where(CaseActivityReferral.case_id == case.id)
                           .options(selectinload(CaseActivityReferral.activity))).all()
    return {
        "case": {**_row(case, ("id", "external_id", "opened_on", *EVALUATION_FIELDS, "created_at", "updated_at")),
                 "hospital": case.hospital.name if case.hospital else None},
        "notes": [_row(n, ("noted_on", "body", "created_at")) for n in notes],
        "activity_referrals": [{"activity": r.activity.title, "activity_starts_on": _plain(r.activity.starts_on),
                                "referred_at": _plain(r.referred_at)} for r in referrals],
    }


def export(db: Session, subject: Subject, *, now: datetime) -> dict[str, Any]:
    """Everything stored about the subject, as JSON-ready values."""
    data: dict[str, Any] = {"format": FORMAT, "exported_at": now.isoformat(),
                            "inquiry": None, "messages": [], "contact_details": None, "contact_attempts": [],
                            "case": None, "notes": [], "activity_referrals": []}
    if subject.inquiry is not None:
        data.update(_inquiry_part(db, subject.inquiry))
    if subject.case is not None:
        data.update(_case_part(db, subject.case))
    data["enrollments"] = [{
        **_row(e, _ENROLLMENT_FIELDS), "course": e.course.title,
        "attendance": [{"session_on": _plain(held_on), "present": present} for held_on, present in db.execute(
            select(CourseSession.held_on, Attendance.present)
            .join(Attendance, Attendance.session_id == CourseSession.id)
            .where(Attendance.enrollment_id == e.id).order_by(CourseSession.held_on, CourseSession.id))],
    } for e in enrollments(db, subject)]
    data["survey_codes"] = {"items": [], "note": SURVEYS_NOT_LINKED}
    data["audit_trail"] = [{"at": _plain(e.at), "action": e.action, "object_type": e.object_type}
                           for e in audit_events(db, subject)]
    return data
