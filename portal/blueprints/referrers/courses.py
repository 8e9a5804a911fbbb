"""Courses and stay offers for a midwife: propose a family she referred,
and see its status (nothing of the course's other families)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l

from portal import access, db
from portal.blueprints.common import acting_user, audit_read, form_error, found
from portal.blueprints.referrers import bp
from portal.blueprints.staff.forms.courses import ProposeForm
from portal.forms import options
from portal.models import Course, Inquiry
from portal.services import ServiceError, admissions, courses
from portal.vocab.courses import labels

_TAKING = ("open", "running")


def _open_course(course_id: int) -> Course:
    course = found(db.session().get(Course, course_id))
    if course.status not in _TAKING:
        found(None)
    return course


def _form() -> ProposeForm:
    form = ProposeForm()
    families = admissions.proposable_families(db.session(), acting_user())
    form.family.choices = options([("", _l("Choose a family"))] + [
        (str(f.inquiry_id), f"{f.first_name} ({f.label})" if f.first_name else f.label) for f in families])
    return form


@bp.get("/courses")
@access.allow(access.refers)
def courses_page():
    """Courses open for admission, and the status of the families she proposed."""
    audit_read("courses.referrer")
    families = admissions.own_families(db.session(), acting_user())
    in_line = {e.id: admissions.place_in_line(db.session(), e) for e in families if e.status == "waitlisted"}
    return render_template("referrers/courses.html", courses=courses.list_courses(db.session(), statuses=_TAKING),
                           families=families, in_line=in_line, **labels())


@bp.route("/courses/<int:course_id>/propose", methods=["GET", "POST"])
@access.allow(access.refers)
def propose_family(course_id: int):
    """Propose one of her referred families for a course, with a short reason."""
    course = _open_course(course_id)
    audit_read("course.propose_form", course)  # the form lists her families by first name
    form = _form()
    if form.validate_on_submit():
        try:
            inquiry = found(db.session().get(Inquiry, int(form.family.data)))
            admissions.propose(db.session(), acting_user(), course, inquiry, reason=form.reason.data,
                               arrives_on=form.arrives_on.data, leaves_on=form.leaves_on.data)
        except ServiceError as err:
            form_error(form, err)
        else:
            flash(_l("Thank you. The family is proposed; a counsellor decides and you can follow the status here."),
                  "success")
            return redirect(url_for("referrers.courses_page"), code=303)
    return render_template("referrers/course_propose.html", course=course, form=form,
                           **labels()), 400 if form.errors else 200
