"""Spor 2's figures for the evaluation (``stats.figures()["spor2"]``): per
course admitted, completed, dropped out and the attendance rate; per stay
offer the nights used. A course counts in a period when one of its sessions
(for a stay: one of its nights used) falls in it, unless it was cancelled; at one hospital, only the
families that came from it count. n is the number of courses counted."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from portal.models import Attendance, Course, CourseSession, Enrollment, Inquiry
from portal.models.codes import CourseForm, CourseStatus, EnrollmentStatus

ADMITTED = (EnrollmentStatus.ENROLLED.value, EnrollmentStatus.COMPLETED.value, EnrollmentStatus.DROPPED_OUT.value)
WITH_FAMILIES = (*ADMITTED, EnrollmentStatus.WAITLISTED.value)


def _percent(count: int, n: int) -> int | None:
    return None if n <= 0 else (200 * count + n) // (2 * n)


def figures(db: Session, *, date_from: date, date_to: date, hospital_id: int | None = None) -> dict[str, Any]:
    """{"n": courses and stay offers counted, "counts": totals, "attendance_rate", "courses": a row each}."""
    stay = aliased(Enrollment)
    in_period = and_(Course.status != CourseStatus.CANCELLED.value, or_(
        Course.id.in_(select(CourseSession.course_id).where(CourseSession.held_on.between(date_from, date_to))
                      .correlate_except(CourseSession)),
        Course.id.in_(select(stay.course_id).where(stay.status.in_(ADMITTED), stay.arrives_on <= date_to,
                                                   stay.leaves_on > date_from).correlate_except(stay))))
    # Two statements, however many courses: the courses with their families, then the marks.
    family = and_(Enrollment.course_id == Course.id, Enrollment.status.in_(WITH_FAMILIES))
    if hospital_id is not None:
        family = and_(family, Enrollment.inquiry_id.in_(select(Inquiry.id).where(Inquiry.hospital_id == hospital_id)))
    found = db.execute(select(Course.id, Course.title, Course.form, Enrollment.status, Enrollment.arrives_on,
                              Enrollment.leaves_on).outerjoin(Enrollment, family).where(in_period)
                       .order_by(Course.id)).all()
    courses: dict[int, tuple[str, str]] = {}
    per: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in found:
        courses[row.id] = (row.title, row.form)
        if row.status is None:
            continue
        per[row.id][row.status] += 1
        if row.arrives_on is not None and row.status in ADMITTED:
            first, until = max(row.arrives_on, date_from), min(row.leaves_on, date_to + timedelta(days=1))
            per[row.id]["nights"] += max((until - first).days, 0)
    marks = select(Enrollment.course_id, Attendance.present).join(
        Attendance, Attendance.enrollment_id == Enrollment.id).join(
        CourseSession, CourseSession.id == Attendance.session_id).join(Course, family).where(
        in_period, CourseSession.held_on.between(date_from, date_to))
    attendance: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # course id -> [present, marked]
    for course_id, came in db.execute(marks):
        attendance[course_id][0] += int(bool(came))
        attendance[course_id][1] += 1
    rows: list[dict[str, Any]] = []
    for course_id, (title, form) in courses.items():
        c = per[course_id]
        present, marked = attendance.get(course_id, [0, 0])
        figure: dict[str, Any] = {"id": course_id, "title": title, "form": form,
               "admitted": sum(c[status] for status in ADMITTED),
               "completed": c[EnrollmentStatus.COMPLETED], "dropped_out": c[EnrollmentStatus.DROPPED_OUT],
               "waiting": c[EnrollmentStatus.WAITLISTED], "sessions_marked": marked, "present": present,
               "attendance_rate": _percent(present, marked)}
        if form == CourseForm.STAY:
            figure["nights_used"] = c["nights"]
        rows.append(figure)
    totals: dict[str, int] = {key: sum(r[key] for r in rows)
                              for key in ("admitted", "completed", "dropped_out", "waiting")}
    totals |= {"courses": sum(1 for r in rows if r["form"] != CourseForm.STAY),
               "stay_offers": sum(1 for r in rows if r["form"] == CourseForm.STAY),
               "sessions_marked": sum(r["sessions_marked"] for r in rows),
               "present": sum(r["present"] for r in rows),
               "stay_nights_used": sum(r.get("nights_used", 0) for r in rows)}
    # counts hold whole numbers only (the terminal and export tables read
    # them as counts); the rate and the per-course rows stand beside them.
    return {"n": len(rows), "counts": totals,
            "attendance_rate": _percent(totals["present"], totals["sessions_marked"]), "courses": rows}
