"""Spor 2: proposing a family for a course, admitting, declining and
withdrawing (a freed place goes to the first waiting family by itself),
attendance per session, and the family's printable sheet."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import access, db
from portal.blueprints.common import acting_user, audit_read, flash_error, form_error, found
from portal.blueprints.staff import bp
from portal.blueprints.staff.courses import family_choices, load_course, render_course
from portal.blueprints.staff.forms import EmptyForm
from portal.blueprints.staff.forms.courses import AttendanceForm, ProposeForm
from portal.forms import options
from portal.i18n import LANGUAGES
from portal.models import Course, CourseSession, Enrollment, Inquiry
from portal.services import ServiceError, admissions, attendance
from portal.vocab.courses import labels

_DECISIONS = {
    "admit": (admissions.admit, None),
    "decline": (admissions.decline, _l("The proposal is declined.")),
    "withdraw": (admissions.withdraw, _l("The family has left the course.")),
}


def _enrollment(course: Course, enrollment_id: int) -> Enrollment:
    return found(next((e for e in course.enrollments if e.id == enrollment_id), None))


def _session(course: Course, session_id: int) -> CourseSession:
    return found(next((s for s in course.sessions if s.id == session_id), None))


def _decided(enrollment: Enrollment, result) -> str:
    """What the counsellor is told after a decision."""
    if result == "enrolled":
        return _("%(family)s is admitted.", family=enrollment.inquiry.label)
    if result == "waitlisted":
        return _("The course is full: %(family)s is number %(number)d on the waiting list.",
                 family=enrollment.inquiry.label, number=admissions.place_in_line(db.session(), enrollment))
    if result:  # families admitted into the freed place
        return _("The place went to the first on the waiting list: %(families)s.",
                 families=", ".join(e.inquiry.label for e in result))
    return str(_DECISIONS[(request.view_args or {}).get("action", "decline")][1])


@bp.post("/courses/<int:course_id>/propose")
@access.allow(access.runs_courses)
def propose(course_id: int):
    """Propose one of the counsellor's families for the course, with a short reason."""
    course = load_course(course_id, for_update=True)
    form = family_choices(ProposeForm(prefix="propose"))
    if form.validate():
        try:
            inquiry = found(db.session().get(Inquiry, int(form.family.data)))
            admissions.propose(db.session(), acting_user(), course, inquiry, reason=form.reason.data,
                               arrives_on=form.arrives_on.data, leaves_on=form.leaves_on.data)
        except ServiceError as err:
            form_error(form, err)
        else:
            flash(_l("The family is proposed. A counsellor admits or declines."), "success")
            return redirect(url_for("staff.course", course_id=course_id) + "#families", code=303)
    return render_course(course, propose_form=form, status=400)


@bp.post("/courses/<int:course_id>/enrollments/<int:enrollment_id>/<any(admit, decline, withdraw):action>")
@access.allow(access.runs_courses)
def decide(course_id: int, enrollment_id: int, action: str):
    """Admit (a place or the waiting list), decline, or withdraw a family."""
    course = load_course(course_id, for_update=True)  # admissions of one course wait for each other
    enrollment = _enrollment(course, enrollment_id)
    if not EmptyForm().validate():
        abort(400)
    try:
        result = _DECISIONS[action][0](db.session(), acting_user(), course, enrollment)
    except ServiceError as err:
        flash_error(err)
    else:
        flash(_decided(enrollment, result), "success")
    return redirect(url_for("staff.course", course_id=course_id) + "#families", code=303)


def _attendance_form(course: Course, session: CourseSession, formdata=None) -> AttendanceForm:
    enrolled = attendance.expected(course, session)
    form = AttendanceForm(formdata=formdata)
    form.present.choices = options([(str(e.id), f"{e.inquiry.label} ({e.first_name})" if e.first_name
                                     else e.inquiry.label) for e in enrolled])
    if formdata is None:
        marks = attendance.marks_of(course, session)
        form.present.data = [str(e.id) for e in enrolled if marks.get(e.id)]
    return form


@bp.route("/courses/<int:course_id>/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@access.allow(access.runs_courses)
def session_attendance(course_id: int, session_id: int):
    """Mark who came to a session; the others did not."""
    course = load_course(course_id, for_update=request.method == "POST")
    session = _session(course, session_id)
    form = _attendance_form(course, session, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        try:
            attendance.record(db.session(), acting_user(), course, session, {int(i) for i in form.present.data})
        except ServiceError as err:
            form_error(form, err)
        else:
            flash(_l("Attendance is saved."), "success")
            return redirect(url_for("staff.course", course_id=course_id) + "#sessions", code=303)
    return render_template("staff/course_attendance.html", course=course, session=session, form=form,
                           **labels()), 400 if form.errors else 200


def sheet_language(enrollment: Enrollment) -> str:
    """The family's language: the one they asked to speak, else the one they wrote in."""
    inquiry = enrollment.inquiry
    for code in (request.args.get("lang"), inquiry.conversation_language, inquiry.language):
        if code in LANGUAGES:
            return code
    return "da"


@bp.get("/courses/<int:course_id>/enrollments/<int:enrollment_id>/sheet")
@access.allow(access.runs_courses)
def family_sheet(course_id: int, enrollment_id: int):
    """A printable sheet for one family, in its language: the dates and the place."""
    course = found(db.session().get(Course, course_id))
    enrollment = _enrollment(course, enrollment_id)
    audit_read("enrollment.sheet", enrollment)
    lang = sheet_language(enrollment)
    tools = {"lang": str(get_locale()), "back": _("Back to the course"), "languages": LANGUAGES,
             "hint": _("Print this page and give it to the family. It is in the family's language.")}
    with force_locale(lang):
        return render_template("leaflets/course_sheet.html", course=course, enrollment=enrollment, tools=tools,
                               format_date=format_date)
