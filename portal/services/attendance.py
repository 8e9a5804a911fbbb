"""Attendance: per session, who of the admitted families came. The course
shows the rates; two sessions missed in a row flag the family to its
counsellor (on the staff start page), until it comes again."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal import access
from portal.models import Attendance, Course, CourseSession, Enrollment, User
from portal.models.base import utcnow
from portal.models.codes import EnrollmentStatus
from portal.services import ServiceError, audit, flush

MISSED_IN_A_ROW = 2
# Families whose attendance is taken: admitted, or (looking back) completed or dropped out.
ATTENDING = (EnrollmentStatus.ENROLLED.value, EnrollmentStatus.COMPLETED.value, EnrollmentStatus.DROPPED_OUT.value)


def participants(course: Course) -> list[Enrollment]:
    """The families admitted to the course (and those who finished or left it)."""
    return [e for e in course.enrollments if e.status in ATTENDING]


def expected(course: Course, session: CourseSession) -> list[Enrollment]:
    """Whose attendance a session takes: the families admitted now; once
    taken, those marked then (a family admitted later was not there to miss it)."""
    enrolled = [e for e in course.enrollments if e.status == EnrollmentStatus.ENROLLED]
    if not session.attendance_taken:
        return enrolled
    marked = marks_of(course, session)
    return [e for e in enrolled if e.id in marked]


def record(db: Session, user: User, course: Course, session: CourseSession, present: Collection[int]) -> None:
    """Mark who came to a session (the enrollment ids in ``present``); the
    other families it expected did not come."""
    access.ensure(access.may_change_course(user, course), _l("Attendance can no longer be changed."))
    if session.course_id != course.id:
        raise ServiceError(_l("This session belongs to another course."))
    marks = {a.enrollment_id: a for e in course.enrollments for a in e.attendance if a.session_id == session.id}
    for enrollment in expected(course, session):
        mark = marks.get(enrollment.id)
        if mark is None:
            mark = Attendance(session_id=session.id, present=False)
            enrollment.attendance.append(mark)
        mark.present = enrollment.id in present
    session.attendance_taken = True
    flush(db)
    for enrollment in course.enrollments:
        if enrollment.status == EnrollmentStatus.ENROLLED:
            _update_flag(course, enrollment)
    flush(db)
    audit.record(db, user, "course.attendance", course)


def _update_flag(course: Course, enrollment: Enrollment) -> None:
    """Flag a family whose latest two marks are both "did not come"; clear it when it comes."""
    order = {s.id: (s.held_on, s.starts_at or "", s.id) for s in course.sessions}
    marks = sorted((a for a in enrollment.attendance if a.session_id in order), key=lambda a: order[a.session_id])
    latest = marks[-MISSED_IN_A_ROW:]
    missed = len(latest) == MISSED_IN_A_ROW and not any(a.present for a in latest)
    if missed and enrollment.missed_flag_at is None:
        enrollment.missed_flag_at = utcnow()
    elif not missed:
        enrollment.missed_flag_at = None


def marks_of(course: Course, session: CourseSession) -> dict[int, bool]:
    """Enrollment id → came, for one session (no entry: not taken)."""
    return {a.enrollment_id: a.present for e in course.enrollments for a in e.attendance if a.session_id == session.id}


@dataclass(frozen=True)
class Rate:
    present: int
    marked: int

    @property
    def percent(self) -> int | None:
        return None if not self.marked else (200 * self.present + self.marked) // (2 * self.marked)


def rate_of(enrollment: Enrollment) -> Rate:
    """How many of the sessions taken the family came to."""
    return Rate(sum(1 for a in enrollment.attendance if a.present), len(enrollment.attendance))


def course_rate(course: Course) -> Rate:
    """Attendance over every family and every session taken."""
    rates = [rate_of(e) for e in participants(course)]
    return Rate(sum(r.present for r in rates), sum(r.marked for r in rates))
