"""Admission to a course or a stay offer: a counsellor (for a case) or a
referrer (for a family she referred) proposes with a short reason; a
counsellor admits or declines. Admitting takes a place if one is free,
else the family waits in order; a freed place goes to the first waiting
family that fits, by itself.

Race-free: every change of who holds a place runs with the course's row
locked (``courses.get_course(..., for_update=True)``: SELECT … FOR UPDATE on
PostgreSQL; on SQLite a POST's transaction is BEGIN IMMEDIATE, so writers
queue), and counts places in SQL after taking the lock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from portal import access
from portal.models import Case, Course, Enrollment, Inquiry, User
from portal.models.base import utcnow
from portal.models.codes import CourseStatus, EnrollmentStatus
from portal.models.course import REASON_MAX
from portal.services import ServiceError, audit, flush

HOLDS_PLACE = (EnrollmentStatus.ENROLLED.value, EnrollmentStatus.COMPLETED.value)
ACTIVE = (EnrollmentStatus.PROPOSED.value, EnrollmentStatus.WAITLISTED.value) + HOLDS_PLACE
NOTICE_DAYS = 14
NOT_ALLOWED = _l("You cannot propose this family.")


def propose(db: Session, user: User, course: Course, inquiry: Inquiry, *, reason: str,
            arrives_on: date | None = None, leaves_on: date | None = None) -> Enrollment:
    """Propose a family (its inquiry) for a course, with a short reason."""
    access.ensure(access.may_propose(user, inquiry), NOT_ALLOWED)
    if not course.takes_proposals:
        raise ServiceError(_l("This course takes no more families."))
    reason = " ".join((reason or "").split())
    if not reason or len(reason) > REASON_MAX:
        raise ServiceError(_l("Write a short reason (at most %(max)d characters).", max=REASON_MAX), field="reason")
    if course.is_stay:
        _check_stay(course, arrives_on, leaves_on)
    else:
        arrives_on = leaves_on = None
    enrollment = db.scalar(select(Enrollment).where(Enrollment.course_id == course.id,
                                                    Enrollment.inquiry_id == inquiry.id))
    if enrollment is not None and enrollment.status in ACTIVE:
        raise ServiceError(_l("This family is already proposed for this course."))
    if enrollment is None:
        enrollment = Enrollment(course_id=course.id, inquiry_id=inquiry.id)
        db.add(enrollment)
    case = db.scalar(select(Case).where(Case.inquiry_id == inquiry.id))
    enrollment.case_id = case.id if case is not None else None
    enrollment.status, enrollment.reason = EnrollmentStatus.PROPOSED.value, reason
    enrollment.proposed_by_id, enrollment.proposed_at = user.id, utcnow()
    enrollment.decided_by_id = enrollment.decided_at = enrollment.waitlist_number = None
    enrollment.arrives_on, enrollment.leaves_on = arrives_on, leaves_on
    flush(db, conflict=_l("This family is already proposed for this course."))
    audit.record(db, user, "enrollment.propose", enrollment)
    return enrollment


def _check_stay(course: Course, arrives_on: date | None, leaves_on: date | None) -> None:
    if arrives_on is None or leaves_on is None or leaves_on <= arrives_on:
        raise ServiceError(_l("Give the day of arrival and a later day of leaving."), field="arrives_on")
    if (leaves_on - arrives_on).days > (course.max_nights or 0):
        raise ServiceError(_l("A stay here is at most %(max)d nights.", max=course.max_nights or 0),
                           field="leaves_on")


def admit(db: Session, user: User, course: Course, enrollment: Enrollment) -> str:
    """Admit a proposed family: a place if there is one, else the waiting
    list. ``course`` must be locked. Returns the new status."""
    _ensure_decides(user, course, enrollment)
    if enrollment.status != EnrollmentStatus.PROPOSED:
        raise ServiceError(_l("This family is no longer waiting for a decision."))
    if has_room(db, course, enrollment):
        enrollment.status = EnrollmentStatus.ENROLLED.value
    else:
        enrollment.status = EnrollmentStatus.WAITLISTED.value
        last = db.scalar(select(func.max(Enrollment.waitlist_number)).where(Enrollment.course_id == course.id))
        enrollment.waitlist_number = (last or 0) + 1
    enrollment.decided_by_id, enrollment.decided_at = user.id, utcnow()
    flush(db)
    audit.record(db, user, f"enrollment.{enrollment.status}", enrollment)
    return enrollment.status


def decline(db: Session, user: User, course: Course, enrollment: Enrollment) -> None:
    """Say no to a proposed or waiting family."""
    _ensure_decides(user, course, enrollment)
    if enrollment.status not in (EnrollmentStatus.PROPOSED, EnrollmentStatus.WAITLISTED):
        raise ServiceError(_l("Only a proposed or waiting family can be declined."))
    enrollment.status = EnrollmentStatus.DECLINED.value
    enrollment.decided_by_id, enrollment.decided_at = user.id, utcnow()
    flush(db)
    audit.record(db, user, "enrollment.decline", enrollment)


def withdraw(db: Session, user: User, course: Course, enrollment: Enrollment) -> list[Enrollment]:
    """A family leaves (or never came): its place goes to the first waiting
    family that fits. Leaving a running course counts as dropping out.
    Returns the families admitted into the freed place."""
    _ensure_decides(user, course, enrollment)
    if enrollment.status not in (EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED):
        raise ServiceError(_l("Only an admitted or waiting family can leave the course."))
    left_running = enrollment.status == EnrollmentStatus.ENROLLED and course.status == CourseStatus.RUNNING
    enrollment.status = (EnrollmentStatus.DROPPED_OUT if left_running else EnrollmentStatus.WITHDRAWN).value
    flush(db)
    audit.record(db, user, "enrollment.withdraw", enrollment)
    return fill_places(db, user, course)


def fill_places(db: Session, user: User, course: Course) -> list[Enrollment]:
    """Give free places to waiting families in their order (for a stay,
    each waiting family whose nights fit). ``course`` must be locked."""
    admitted = []
    for waiting in waiting_list(db, course):
        if not has_room(db, course, waiting):
            if course.is_stay:
                continue
            break
        waiting.status = EnrollmentStatus.ENROLLED.value
        waiting.auto_admitted_at = utcnow()
        flush(db)
        audit.record(db, user, "enrollment.auto_admit", waiting)
        admitted.append(waiting)
    return admitted


def _ensure_decides(user: User, course: Course, enrollment: Enrollment) -> None:
    if enrollment.course_id != course.id:
        raise ValueError("enrollment of another course")
    access.ensure(access.may_decide_admission(user, enrollment), _l("Only a counsellor admits families."))


def waiting_list(db: Session, course: Course) -> Sequence[Enrollment]:
    """The waiting families, first in line first."""
    return db.scalars(select(Enrollment).where(
        Enrollment.course_id == course.id, Enrollment.status == EnrollmentStatus.WAITLISTED)
        .order_by(Enrollment.waitlist_number, Enrollment.id)).all()


def place_in_line(db: Session, enrollment: Enrollment) -> int:
    """Where a waiting family stands now: 1 is next (numbers are never
    reused, so a declined family leaves a gap in them, not in the line)."""
    ahead = db.scalar(select(func.count()).select_from(Enrollment).where(
        Enrollment.course_id == enrollment.course_id, Enrollment.status == EnrollmentStatus.WAITLISTED,
        Enrollment.waitlist_number < (enrollment.waitlist_number or 0)))
    return (ahead or 0) + 1


def _holding(course: Course):
    return select(func.count()).select_from(Enrollment).where(
        Enrollment.course_id == course.id, Enrollment.status.in_(HOLDS_PLACE))


def has_room(db: Session, course: Course, enrollment: Enrollment) -> bool:
    """Is a place free for this family (for a stay: a room on each of its nights)?"""
    if not course.is_stay:
        return (db.scalar(_holding(course)) or 0) < course.capacity
    if enrollment.arrives_on is None or enrollment.leaves_on is None:
        return False
    taken = rooms_taken(db, course, enrollment.arrives_on, enrollment.leaves_on)
    return all(count < course.capacity for count in taken.values())


def rooms_taken(db: Session, course: Course, first: date, until: date) -> dict[date, int]:
    """Rooms taken on each night from ``first`` up to (not including) ``until``."""
    stays = db.execute(select(Enrollment.arrives_on, Enrollment.leaves_on).where(
        Enrollment.course_id == course.id, Enrollment.status.in_(HOLDS_PLACE),
        Enrollment.arrives_on < until, Enrollment.leaves_on > first)).all()
    nights = {first + timedelta(days=i): 0 for i in range((until - first).days)}
    for arrives, leaves in stays:
        for night in nights:
            if arrives is not None and leaves is not None and arrives <= night < leaves:
                nights[night] += 1
    return nights


@dataclass(frozen=True)
class Night:
    day: date
    taken: int
    free: int


def free_nights(db: Session, course: Course, first: date, until: date) -> list[Night]:
    """Free rooms per night of a date range (at most 62 nights shown)."""
    until = min(until, first + timedelta(days=62))
    return [Night(day, taken, max(course.capacity - taken, 0))
            for day, taken in rooms_taken(db, course, first, until).items()]


def notices_for(db: Session, user: User, *, now: datetime | None = None) -> Sequence[Enrollment]:
    """For the counsellor's start page: their families admitted by the
    portal into a freed place lately, and those who missed two sessions in a row."""
    since = (now or utcnow()) - timedelta(days=NOTICE_DAYS)
    return db.scalars(
        select(Enrollment).join(Enrollment.inquiry).outerjoin(Case, Case.id == Enrollment.case_id)
        .join(Enrollment.course).where(Course.status.not_in((CourseStatus.FINISHED, CourseStatus.CANCELLED)))
        .where(or_(Case.counsellor_id == user.id, (Enrollment.case_id.is_(None)) & (Inquiry.assigned_to_id == user.id)),
               or_((Enrollment.auto_admitted_at >= since) & (Enrollment.status == EnrollmentStatus.ENROLLED),
                   Enrollment.missed_flag_at.is_not(None) & (Enrollment.status == EnrollmentStatus.ENROLLED)))
        .options(selectinload(Enrollment.course), selectinload(Enrollment.inquiry).selectinload(Inquiry.contact))
        .order_by(Enrollment.id.desc()).limit(50)).all()


def own_families(db: Session, user: User) -> Sequence[Enrollment]:
    """A referrer's families on courses: which course and the status, nothing else."""
    return db.scalars(
        select(Enrollment).join(Enrollment.inquiry).where(Inquiry.referred_by_id == user.id)
        .options(selectinload(Enrollment.course), selectinload(Enrollment.inquiry).selectinload(Inquiry.contact))
        .order_by(Enrollment.id.desc()).limit(200)).all()


@dataclass(frozen=True)
class Family:
    """A family as a course form offers it: the inquiry's neutral label and first name."""

    inquiry_id: int
    label: str
    first_name: str | None


def proposable_families(db: Session, user: User) -> list[Family]:
    """Whom this account may propose: a counsellor her open cases (a lead
    every open case), a referrer the families she referred."""
    query = select(Inquiry).options(selectinload(Inquiry.contact))
    if access.runs_courses(user):
        query = query.join(Case, Case.inquiry_id == Inquiry.id).where(Case.closed_on.is_(None))
        if not access.leads(user):
            query = query.where(Case.counsellor_id == user.id)
    elif access.refers(user):
        query = query.where(Inquiry.referred_by_id == user.id)
    else:
        return []
    inquiries = db.scalars(query.order_by(Inquiry.id.desc()).limit(300)).all()
    return [Family(i.id, i.label, i.contact.nickname if i.contact else None)
            for i in inquiries if access.may_propose(user, i)]
