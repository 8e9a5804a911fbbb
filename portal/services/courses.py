"""Spor 2: courses and partner offers (created by a lead or counsellor),
their dated sessions and their states. Admission lives in
``admissions.py``, attendance in ``attendance.py``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal import access
from portal.i18n import LANGUAGES
from portal.models import Course, CourseSession, Enrollment, Hospital, Inquiry, User
from portal.models.codes import (
    CourseAudience,
    CourseForm,
    CoursePlace,
    CourseStatus,
    CourseTheme,
    EnrollmentStatus,
    code_set,
)
from portal.models.course import FACILITATORS_MAX, PLACE_MAX, TITLE_MAX
from portal.services import ServiceError, admissions, audit, flush

NOT_YOURS = _l("Only a counsellor or a lead can change a course.")
CLOSED = _l("This course is finished or cancelled and can no longer be changed.")
MAX_CAPACITY = 200
MAX_STAY_NIGHTS = 60
# Which state may follow which.
NEXT_STATES: dict[str, tuple[str, ...]] = {
    CourseStatus.PLANNED: (CourseStatus.OPEN, CourseStatus.CANCELLED),
    CourseStatus.OPEN: (CourseStatus.RUNNING, CourseStatus.CANCELLED),
    CourseStatus.RUNNING: (CourseStatus.FINISHED, CourseStatus.CANCELLED),
    CourseStatus.FINISHED: (),
    CourseStatus.CANCELLED: (),
}


@dataclass
class CourseDetails:
    """What a counsellor writes about a course (or a stay offer)."""

    title: str
    theme: str
    form: str
    audience: str
    language: str
    place_kind: str
    capacity: int
    description: str = ""
    place: str = ""
    hospital_id: int | None = None
    facilitators: str = ""
    max_nights: int | None = None


def _check(db: Session, details: CourseDetails) -> None:
    """Every code from its list, every number in range (the form checks too)."""
    details.title = (details.title or "").strip()
    if not details.title or len(details.title) > TITLE_MAX:
        raise ServiceError(_l("Write a title of at most %(max)d characters.", max=TITLE_MAX), field="title")
    for name, codes in (("theme", CourseTheme), ("form", CourseForm), ("audience", CourseAudience),
                        ("place_kind", CoursePlace)):
        if getattr(details, name) not in code_set(codes):
            raise ServiceError(_l("Choose from the list."), field=name)
    if details.language not in LANGUAGES:
        raise ServiceError(_l("Choose from the list."), field="language")
    if not 1 <= details.capacity <= MAX_CAPACITY:
        raise ServiceError(_l("Write a number from 1 to %(max)d.", max=MAX_CAPACITY), field="capacity")
    if len(details.place) > PLACE_MAX or len(details.facilitators) > FACILITATORS_MAX:
        raise ServiceError(_l("That is too long."), field="place")
    if details.form == CourseForm.STAY:
        if not details.max_nights or not 1 <= details.max_nights <= MAX_STAY_NIGHTS:
            raise ServiceError(_l("A stay offer needs a longest stay from 1 to %(max)d nights.",
                                  max=MAX_STAY_NIGHTS), field="max_nights")
    else:
        details.max_nights = None
    if details.hospital_id is not None and db.get(Hospital, details.hospital_id) is None:
        raise ServiceError(_l("Choose a hospital from the list."), field="hospital_id")


def create_course(db: Session, user: User, details: CourseDetails) -> Course:
    """A new course in the state "planned"."""
    access.ensure(access.runs_courses(user), NOT_YOURS)
    _check(db, details)
    course = Course(created_by_id=user.id, status=CourseStatus.PLANNED.value,
                    **{f.name: getattr(details, f.name) for f in fields(details)})
    db.add(course)
    flush(db)
    audit.record(db, user, "course.create", course)
    return course


def update_course(db: Session, user: User, course: Course, details: CourseDetails) -> None:
    """Change what the course says; capacity never below the places taken.
    ``course`` must be locked (more places go to the waiting families)."""
    access.ensure(access.may_change_course(user, course), CLOSED)
    _check(db, details)
    if details.form != course.form and course.enrollments:
        raise ServiceError(_l("The form cannot change once families are proposed."), field="form")
    if details.capacity < _most_held(db, course):
        raise ServiceError(_l("More families are admitted than that. Withdraw a family first."),
                           field="capacity")
    for f in fields(details):
        setattr(course, f.name, getattr(details, f.name))
    flush(db)
    audit.record(db, user, "course.update", course)
    admissions.fill_places(db, user, course)  # more places: the waiting families get them


def _most_held(db: Session, course: Course) -> int:
    """Places held now; for a stay, the most rooms taken on any night."""
    if not course.is_stay:
        return places_taken(db, course)
    nights = [(e.arrives_on, e.leaves_on) for e in course.enrollments if e.status in admissions.HOLDS_PLACE]
    stays = [(first, until) for first, until in nights if first is not None and until is not None]
    if not stays:
        return 0
    first, until = min(f for f, _u in stays), max(u for _f, u in stays)
    return max(admissions.rooms_taken(db, course, first, until).values(), default=0)


def details_of(course: Course) -> CourseDetails:
    """The course's fields, to prefill its form."""
    return CourseDetails(**{f.name: getattr(course, f.name) for f in fields(CourseDetails)})


def set_status(db: Session, user: User, course: Course, status: str) -> None:
    """Move a course on: planned → open → running → finished, or cancelled.
    Finishing marks the families still admitted as having completed it."""
    access.ensure(access.may_change_course(user, course), CLOSED)
    if status not in NEXT_STATES.get(course.status, ()):
        raise ServiceError(_l("A course cannot go from this state to that one."))
    course.status = status
    if status == CourseStatus.FINISHED:
        for enrollment in course.enrollments:
            if enrollment.status == EnrollmentStatus.ENROLLED:
                enrollment.status = EnrollmentStatus.COMPLETED.value
    flush(db)
    audit.record(db, user, f"course.{status}", course)


def add_session(db: Session, user: User, course: Course, *, held_on: date,
                starts_at: str | None = None, ends_at: str | None = None) -> CourseSession:
    """One more dated meeting of the course."""
    access.ensure(access.may_change_course(user, course), CLOSED)
    session = CourseSession(course_id=course.id, held_on=held_on, starts_at=starts_at or None,
                            ends_at=ends_at or None)
    course.sessions.append(session)
    flush(db)
    audit.record(db, user, "course.session.add", course)
    return session


def remove_session(db: Session, user: User, course: Course, session: CourseSession) -> None:
    """Take a session off the course (not once attendance is taken)."""
    access.ensure(access.may_change_course(user, course), CLOSED)
    if session.attendance_taken:
        raise ServiceError(_l("Attendance is taken for this session; it stays."))
    course.sessions.remove(session)
    flush(db)
    audit.record(db, user, "course.session.remove", course)


def get_course(db: Session, course_id: int, *, for_update: bool = False) -> Course | None:
    """A course with its sessions and families (``for_update`` locks its row:
    every admission of the course waits for the one before it)."""
    return db.get(Course, course_id, with_for_update=for_update, populate_existing=for_update, options=[
        selectinload(Course.sessions),
        selectinload(Course.enrollments).selectinload(Enrollment.inquiry).selectinload(Inquiry.contact),
        selectinload(Course.enrollments).selectinload(Enrollment.attendance),
        selectinload(Course.enrollments).selectinload(Enrollment.case),
        selectinload(Course.hospital)])


def list_courses(db: Session, *, statuses: Sequence[str] | None = None, limit: int = 200) -> Sequence[Course]:
    """Courses, the newest first; only those in ``statuses`` when given."""
    query = select(Course).options(selectinload(Course.sessions), selectinload(Course.enrollments))
    if statuses:
        query = query.where(Course.status.in_(list(statuses)))
    return db.scalars(query.order_by(Course.id.desc()).limit(limit)).all()


def places_taken(db: Session, course: Course) -> int:
    """Families holding a place now (admitted, or completed it)."""
    return sum(1 for e in course.enrollments
               if e.status in (EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED))
