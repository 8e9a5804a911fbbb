"""Satisfaction surveys: a one-time survey for a family whose case is
closed, a reusable link for the hospital staff, the answers, and their
figures for the dashboard and the export.

Nothing in the survey tables links to a case, a family or an account: an
invitation holds only the digest of its code, the hospital, the month and
the language; a response holds the same and the answers. The offer is
audited on the case without the invitation's id or code. A family's
invitation is deleted in the transaction that stores its answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, case, delete, func, select
from sqlalchemy.orm import Session

from portal import access, limits
from portal.i18n import LANGUAGES
from portal.models import Case, Hospital, SurveyInvitation, SurveyResponse, User
from portal.models.codes import FamilySurveyQuestion, StaffSurveyQuestion, SurveyAnswer, SurveyKind, code_set
from portal.security import new_survey_code, survey_digest
from portal.services import ServiceError, audit, flush

LOCAL_TIME = ZoneInfo("Europe/Copenhagen")
FAMILY_SURVEY_DAYS = 60          # a family's survey can be answered for this long
STAFF_LINK_MAX_DAYS = 365        # the longest a staff link may stay open
QUESTIONS: dict[str, tuple[str, ...]] = {
    SurveyKind.FAMILY.value: tuple(q.value for q in FamilySurveyQuestion),
    SurveyKind.STAFF.value: tuple(q.value for q in StaffSurveyQuestion),
}
ANSWERS: tuple[str, ...] = tuple(a.value for a in SurveyAnswer)

OWNER_ONLY = _l("Only the case's counsellor or a lead can offer the survey.")
CASE_OPEN = _l("Close the case first: the survey is for families whose counselling has ended.")
LINK_GONE = _l("This survey link has been used or has expired.")
LEADS_ONLY = _l("Only a lead can make or close the hospital staff's survey links.")


def today() -> date:
    """Today in Copenhagen: the month a response carries is a local month."""
    return datetime.now(LOCAL_TIME).date()


def month_of(day: date) -> str:
    return day.strftime("%Y-%m")


def _new_invitation(db: Session, *, kind: str, hospital_id: int | None, language: str, days: int,
                    reusable: bool) -> tuple[SurveyInvitation, str]:
    code = new_survey_code()
    invitation = SurveyInvitation(
        token_digest=survey_digest(code), kind=kind, hospital_id=hospital_id, month=month_of(today()),
        language=language, reusable=reusable, expires_on=today() + timedelta(days=days))
    db.add(invitation)
    flush(db)
    return invitation, code


# --- offering and opening -------------------------------------------------------

def offer_family_survey(db: Session, user: User, case: Case, *, language: str) -> tuple[SurveyInvitation, str]:
    """A one-time survey code for the family of a closed case, with its
    invitation; the code is returned once (for the printed slip) and stored
    only as a digest. The invitation carries the case's hospital, this
    month and the language, and nothing of the case."""
    access.ensure(access.may_change_case(user, case), OWNER_ONLY)
    if case.closed_on is None:
        raise ServiceError(CASE_OPEN)
    if language not in LANGUAGES:
        raise ServiceError(_l("Choose from the list."), field="language")
    invitation, code = _new_invitation(db, kind=SurveyKind.FAMILY.value, hospital_id=case.hospital_id,
                                       language=language, days=FAMILY_SURVEY_DAYS, reusable=False)
    # On the case, without the invitation's id: the trail must not join the two.
    audit.record(db, user, "survey.offer", case)
    return invitation, code


def create_staff_link(db: Session, user: User, hospital: Hospital, *, days: int) -> tuple[SurveyInvitation, str]:
    """A reusable link for one hospital's staff, open for ``days`` days;
    its code is returned once."""
    access.ensure(access.manages_surveys(user), LEADS_ONLY)
    if not 1 <= days <= STAFF_LINK_MAX_DAYS:
        raise ServiceError(_l("Choose from 1 to %(max)d days.", max=STAFF_LINK_MAX_DAYS), field="days")
    invitation, code = _new_invitation(db, kind=SurveyKind.STAFF.value, hospital_id=hospital.id,
                                       language="da", days=days, reusable=True)
    audit.record(db, user, "survey.staff_link.create", invitation)
    return invitation, code


def close_staff_link(db: Session, user: User, invitation_id: int) -> None:
    """Close a staff link before it expires (it is deleted)."""
    access.ensure(access.manages_surveys(user), LEADS_ONLY)
    invitation = db.get(SurveyInvitation, invitation_id)
    if invitation is None or invitation.kind != SurveyKind.STAFF.value:
        raise ServiceError(_l("That link is already closed."))
    db.delete(invitation)
    flush(db)
    audit.record(db, user, "survey.staff_link.close", object_type="surveyinvitation", object_id=invitation_id)


def open_staff_links(db: Session) -> Sequence[SurveyInvitation]:
    """The staff links still open, soonest to expire first (no code: it was shown once)."""
    return db.scalars(
        select(SurveyInvitation).where(SurveyInvitation.kind == SurveyKind.STAFF.value,
                                       SurveyInvitation.expires_on >= today())
        .order_by(SurveyInvitation.expires_on, SurveyInvitation.id)
    ).all()


def find_invitation(db: Session, code: str, *, kind: str) -> SurveyInvitation | None:
    """The open invitation of this kind with this code; None for a wrong,
    used or expired one (the caller cannot and need not tell them apart)."""
    if not code:
        return None
    return db.scalar(select(SurveyInvitation).where(
        SurveyInvitation.token_digest == survey_digest(code), SurveyInvitation.kind == kind,
        SurveyInvitation.expires_on >= today()))


# --- answering --------------------------------------------------------------------

def _check_answers(kind: str, answers: Mapping[str, str | None]) -> dict[str, str]:
    """Only this survey's questions, only Likert codes; unanswered ones left out."""
    given = {question: answer for question, answer in answers.items() if answer}
    if any(question not in QUESTIONS[kind] for question in given):
        raise ServiceError(_l("Choose from the list."))
    for question, answer in given.items():
        if answer not in code_set(SurveyAnswer):
            raise ServiceError(_l("Choose from the list."), field=question)
    return given


def _check_text(free_text: str | None) -> str | None:
    text = (free_text or "").strip() or None
    if text is not None and len(text) > limits.SURVEY_TEXT_MAX:
        raise ServiceError(_l("Write at most %(max)d characters.", max=limits.SURVEY_TEXT_MAX), field="free_text")
    return text


def answer(db: Session, code: str, *, kind: str, answers: Mapping[str, str | None], free_text: str | None,
           language: str) -> SurveyResponse:
    """Store one response for the invitation with this code. A family's
    invitation dies with it: it is deleted first, and only the request that
    really deleted it stores a response (a double submit stores one). A
    family's response carries the month of the offer, a staff response the
    month it was given."""
    invitation = find_invitation(db, code, kind=kind)
    if invitation is None:
        raise ServiceError(LINK_GONE)
    given, text = _check_answers(kind, answers), _check_text(free_text)
    month = month_of(today()) if invitation.reusable else invitation.month
    if not invitation.reusable:
        deleted = db.execute(delete(SurveyInvitation).where(SurveyInvitation.id == invitation.id)
                             .execution_options(synchronize_session=False))
        if deleted.rowcount != 1:  # type: ignore[attr-defined]  # a CursorResult
            raise ServiceError(LINK_GONE)
        db.expunge(invitation)
    response = SurveyResponse(kind=kind, hospital_id=invitation.hospital_id, month=month,
                              language=language, answers=given, free_text=text)
    db.add(response)
    flush(db, conflict=LINK_GONE)
    return response


def purge_expired(db: Session, *, on: date | None = None) -> int:
    """Delete every invitation whose last day has passed; return how many."""
    cutoff = on or today()
    result = db.execute(delete(SurveyInvitation).where(SurveyInvitation.expires_on < cutoff)
                        .execution_options(synchronize_session=False))
    count = int(result.rowcount or 0)  # type: ignore[attr-defined]  # a CursorResult
    if count:
        audit.record(db, None, "retention.purge", object_type="survey_invitations")
    return count


# --- figures ----------------------------------------------------------------------

def _in_period(date_from: date, date_to: date, hospital_id: int | None) -> list[ColumnElement[bool]]:
    conditions = [SurveyResponse.month >= month_of(date_from), SurveyResponse.month <= month_of(date_to)]
    if hospital_id is not None:
        conditions.append(SurveyResponse.hospital_id == hospital_id)
    return conditions


def _columns() -> list[tuple[tuple[str, str | None], ColumnElement[Any]]]:
    """Per question its n (answered at all), and per answer its count."""
    columns: list[tuple[tuple[str, str | None], ColumnElement[Any]]] = []
    for question in dict.fromkeys(QUESTIONS[SurveyKind.FAMILY] + QUESTIONS[SurveyKind.STAFF]):
        value = SurveyResponse.answers[question].as_string()
        columns.append(((question, None), func.count(value)))
        columns += [((question, code), func.coalesce(func.sum(case((value == code, 1), else_=0)), 0))
                    for code in ANSWERS]
    return columns


def figures(db: Session, *, date_from: date, date_to: date, hospital_id: int | None = None) -> dict[str, Any]:
    """Both surveys' figures for the months from ``date_from`` to ``date_to``
    (whole months; optionally one hospital), in one GROUP BY statement:
    ``{"family": {"responses": int, "questions": {question: {"n": int,
    "counts": {answer: int}}}}, "staff": {...}}``. Every question and
    answer code is present (0 when none); a question's n is the number of
    responses that answered it."""
    columns = _columns()
    rows = db.execute(
        select(SurveyResponse.kind, func.count(), *(expression for _key, expression in columns))
        .where(*_in_period(date_from, date_to, hospital_id)).group_by(SurveyResponse.kind)
    ).all()
    by_kind = {row[0]: row for row in rows}
    result: dict[str, Any] = {}
    for kind, questions in QUESTIONS.items():
        row = by_kind.get(kind)
        values = {key: int(row[2 + index]) if row is not None else 0 for index, (key, _e) in enumerate(columns)}
        result[kind] = {
            "responses": int(row[1]) if row is not None else 0,
            "questions": {q: {"n": values[(q, None)], "counts": {a: values[(q, a)] for a in ANSWERS}}
                          for q in questions},
        }
    return result


@dataclass(frozen=True)
class FreeText:
    """One free-text answer as a lead reads it: no date finer than the month."""

    kind: str
    hospital: str | None     # the hospital's name
    month: str
    text: str


def free_texts(db: Session, user: User, *, date_from: date, date_to: date, hospital_id: int | None = None,
               limit: int = 500) -> list[FreeText]:
    """The free-text answers of the period for a lead, newest month first."""
    access.ensure(access.manages_surveys(user), LEADS_ONLY)
    rows = db.execute(
        select(SurveyResponse.kind, Hospital.name, SurveyResponse.month, SurveyResponse.free_text)
        .outerjoin(Hospital, Hospital.id == SurveyResponse.hospital_id)
        .where(SurveyResponse.free_text.is_not(None), *_in_period(date_from, date_to, hospital_id))
        .order_by(SurveyResponse.month.desc(), SurveyResponse.kind, func.random()).limit(limit)
    ).all()
    return [FreeText(kind, hospital, month, text or "") for kind, hospital, month, text in rows]
