"""Retention of the tracks and the surveys (``portal purge``): past local
activities (spor 3), ended courses (spor 2), survey free text and expired
survey links. Like services/retention_threads.py: a ``due_*`` finder that
changes nothing, and an action on its ids; never a filter on what a text
says. What the figures count (activity use counts, course statuses and
attendance, survey answers) is always kept."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import ColumnElement, case, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from portal.models import (
    Activity,
    ActivityPhoto,
    ActivityUsage,
    CaseActivityReferral,
    Course,
    CourseSession,
    Enrollment,
    SurveyInvitation,
    SurveyResponse,
)
from portal.models.codes import CourseStatus, EnrollmentStatus
from portal.services.anonymise import chunks, month_start
from portal.services.course_stats import WITH_FAMILIES
from portal.services.workdays import local_date

# --- spor 3: ACTIVITY_RETENTION_DAYS after an activity's last date ------------------


def _activity_ended(cutoff: date) -> ColumnElement[bool]:
    last = case((Activity.weekly.is_(True) & Activity.repeat_until.is_not(None), Activity.repeat_until),
                else_=Activity.starts_on)
    return last <= cutoff


def _activity_used() -> ColumnElement[bool]:
    return or_(exists(select(ActivityUsage.id).where(ActivityUsage.activity_id == Activity.id)),
               exists(select(CaseActivityReferral.id).where(CaseActivityReferral.activity_id == Activity.id)))


def due_activities(db: Session, *, today: date, days: int) -> tuple[list[int], list[int]]:
    """(to delete, to strip): activities whose last date is ``days`` days ago or
    more. Those nothing is counted on go whole; those with use counts or case
    referrals keep their row and counts and lose the photo, the contact line
    and the review note."""
    ended = _activity_ended(today - timedelta(days=days))
    unused = list(db.scalars(select(Activity.id).where(ended, ~_activity_used())
                             .order_by(Activity.id)))
    left = or_(exists(select(ActivityPhoto.id).where(ActivityPhoto.activity_id == Activity.id)),
               Activity.join_contact.is_not(None), Activity.review_note.is_not(None))
    used = list(db.scalars(select(Activity.id).where(ended, _activity_used(), left)
                           .order_by(Activity.id)))
    return unused, used


def delete_activities(db: Session, ids: Sequence[int]) -> None:
    for chunk in chunks(ids):
        for activity in db.scalars(select(Activity).where(Activity.id.in_(chunk))):
            db.delete(activity)  # its photo and cancelled dates with it
    db.flush()


def strip_activities(db: Session, ids: Sequence[int]) -> None:
    for chunk in chunks(ids):
        db.execute(delete(ActivityPhoto).where(ActivityPhoto.activity_id.in_(chunk))
                   .execution_options(synchronize_session=False))
        db.execute(update(Activity).where(Activity.id.in_(chunk)).values(join_contact=None, review_note=None)
                   .execution_options(synchronize_session=False))


# --- spor 2: COURSE_RETENTION_DAYS_AFTER_END after a course ended -------------------

def due_courses(db: Session, *, today: date, days: int) -> list[int]:
    """Finished or cancelled courses, not yet anonymised, whose last session
    (for a stay: its last day of leaving; with neither: its last change) is
    ``days`` days ago or more."""
    last_session = (select(func.max(CourseSession.held_on)).where(CourseSession.course_id == Course.id)
                    .scalar_subquery())
    last_leaving = (select(func.max(Enrollment.leaves_on)).where(Enrollment.course_id == Course.id)
                    .scalar_subquery())
    rows = db.execute(select(Course.id, last_session, last_leaving, Course.updated_at).where(
        Course.status.in_((CourseStatus.FINISHED.value, CourseStatus.CANCELLED.value)),
        Course.anonymised_on.is_(None)).order_by(Course.id)).all()
    cutoff = today - timedelta(days=days)
    due = []
    for course_id, session_day, leaving_day, updated in rows:
        ended = max(filter(None, (session_day, leaving_day)), default=None) or local_date(updated)
        if ended <= cutoff:
            due.append(course_id)
    return due


def strip_courses(db: Session, ids: Sequence[int], *, today: date) -> None:
    """Enrolments the figures never count (proposed, declined, withdrawn) are
    deleted; the others keep status, stay dates and attendance, and lose the
    reason for the proposal, who proposed and decided, and dates finer than the month."""
    never_counted = [status.value for status in EnrollmentStatus if status.value not in WITH_FAMILIES]
    for chunk in chunks(ids):
        for enrollment in db.scalars(select(Enrollment).where(Enrollment.course_id.in_(chunk))):
            if enrollment.status in never_counted:
                db.delete(enrollment)
                continue
            enrollment.reason = ""
            enrollment.proposed_by_id = enrollment.decided_by_id = None
            enrollment.proposed_at = month_start(enrollment.proposed_at) or enrollment.proposed_at
            enrollment.decided_at = month_start(enrollment.decided_at)
            enrollment.auto_admitted_at = month_start(enrollment.auto_admitted_at)
            enrollment.missed_flag_at = None
        db.execute(update(Course).where(Course.id.in_(chunk)).values(anonymised_on=today)
                   .execution_options(synchronize_session=False))
    db.flush()


# --- surveys: free text SURVEY_TEXT_RETENTION_DAYS after its month; expired links ------

def due_survey_texts(db: Session, *, today: date, days: int) -> list[int]:
    """Responses with a free text whose month ended ``days`` days ago or more."""
    before = (today - timedelta(days=days)).strftime("%Y-%m")
    return list(db.scalars(select(SurveyResponse.id).where(SurveyResponse.free_text.is_not(None),
                                                           SurveyResponse.month < before)
                           .order_by(SurveyResponse.id)))


def erase_survey_texts(db: Session, ids: Sequence[int]) -> None:
    for chunk in chunks(ids):
        db.execute(update(SurveyResponse).where(SurveyResponse.id.in_(chunk)).values(free_text=None)
                   .execution_options(synchronize_session=False))


def due_invitations(db: Session, *, today: date) -> list[int]:
    """Survey links whose last day has passed."""
    return list(db.scalars(select(SurveyInvitation.id).where(SurveyInvitation.expires_on < today)
                           .order_by(SurveyInvitation.id)))


def delete_invitations(db: Session, ids: Sequence[int]) -> None:
    for chunk in chunks(ids):
        db.execute(delete(SurveyInvitation).where(SurveyInvitation.id.in_(chunk))
                   .execution_options(synchronize_session=False))
