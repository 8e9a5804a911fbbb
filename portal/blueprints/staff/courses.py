"""Spor 2: courses and stay offers — the list, a course's page, creating and
changing one, its sessions and its states. Admission and attendance are in
``course_admissions.py``."""

from __future__ import annotations

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from portal import access, db
from portal.blueprints.common import acting_user, audit_read, flash_error, form_error, found
from portal.blueprints.staff import bp
from portal.blueprints.staff.forms.courses import CourseEditForm, NightsForm, ProposeForm, SessionForm, StatusForm
from portal.forms import options
from portal.models import Course
from portal.services import ServiceError, admissions, attendance, courses, inquiries
from portal.vocab.courses import labels


def load_course(course_id: int, *, for_update: bool = False) -> Course:
    """The course (404 if there is none), its view audited apart: its page names families."""
    course = found(courses.get_course(db.session(), course_id, for_update=for_update))
    audit_read("course.view", course)
    return course


def family_choices(form: ProposeForm) -> ProposeForm:
    """The families the account may propose, by neutral label and first name."""
    families = admissions.proposable_families(db.session(), acting_user())
    form.family.choices = options([("", _l("Choose a family"))] + [
        (str(f.inquiry_id), f"{f.label} ({f.first_name})" if f.first_name else f.label) for f in families])
    return form


def render_course(course: Course, *, session_form: SessionForm | None = None,
                  propose_form: ProposeForm | None = None, status: int = 200) -> tuple[str, int]:
    """A course's page: what it is, its sessions, its families and its figures."""
    nights_form = NightsForm(request.args)
    nights = None
    if course.is_stay:
        first = nights_form.first.data if nights_form.validate() and nights_form.first.data else date.today()
        until = nights_form.until.data if nights_form.until.data and nights_form.until.data > first \
            else first + timedelta(days=14)
        nights_form.first.data, nights_form.until.data = first, until
        nights = admissions.free_nights(db.session(), course, first, until)
    return render_template(
        "staff/course.html", course=course, nights=nights, nights_form=nights_form,
        session_form=session_form or SessionForm(prefix="session", formdata=None),
        propose_form=propose_form or family_choices(ProposeForm(prefix="propose", formdata=None)),
        status_form=StatusForm(formdata=None), next_states=courses.NEXT_STATES[course.status],
        participants=attendance.participants(course), waiting=admissions.waiting_list(db.session(), course),
        rate_of=attendance.rate_of, course_rate=attendance.course_rate(course), **labels()), status


def _edit_form(formdata=None, obj=None) -> CourseEditForm:
    form = CourseEditForm(formdata=formdata, obj=obj)
    form.hospital_id.choices = options([("", _l("No hospital"))] + [
        (str(h.id), h.name) for h in inquiries.hospitals(db.session())])
    if obj is not None and formdata is None:
        form.hospital_id.data = str(obj.hospital_id or "")
    return form


def _details(form: CourseEditForm) -> courses.CourseDetails:
    return courses.CourseDetails(
        title=form.title.data, description=form.description.data or "", theme=form.theme.data,
        form=form.form.data, audience=form.audience.data, language=form.language.data,
        place_kind=form.place_kind.data, place=form.place.data or "",
        hospital_id=int(form.hospital_id.data) if form.hospital_id.data else None,
        facilitators=form.facilitators.data or "", capacity=form.capacity.data, max_nights=form.max_nights.data)


@bp.get("/courses")
@access.allow(access.runs_courses)
def course_list():
    """Courses and stay offers: current ones, or every one."""
    every = request.args.get("all") == "1"
    current = None if every else ("planned", "open", "running")
    return render_template("staff/courses.html", courses=courses.list_courses(db.session(), statuses=current),
                           every=every, **labels())


@bp.route("/courses/new", methods=["GET", "POST"])
@access.allow(access.runs_courses)
def new_course():
    """Create a course or a stay offer (it starts as planned)."""
    form = _edit_form(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        try:
            course = courses.create_course(db.session(), acting_user(), _details(form))
        except ServiceError as err:
            form_error(form, err)
        else:
            flash(_l("The course is created. Add its sessions."), "success")
            return redirect(url_for("staff.course", course_id=course.id), code=303)
    return render_template("staff/course_form.html", form=form, course=None), 400 if form.errors else 200


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
@access.allow(access.runs_courses)
def edit_course(course_id: int):
    """Change what a course says (not once it is finished or cancelled)."""
    course = load_course(course_id, for_update=request.method == "POST")
    form = _edit_form(request.form if request.method == "POST" else None, obj=course)
    if request.method == "POST" and form.validate():
        try:
            courses.update_course(db.session(), acting_user(), course, _details(form))
        except ServiceError as err:
            form_error(form, err)
        else:
            flash(_l("The course is saved."), "success")
            return redirect(url_for("staff.course", course_id=course.id), code=303)
    return render_template("staff/course_form.html", form=form, course=course), 400 if form.errors else 200


@bp.get("/courses/<int:course_id>")
@access.allow(access.runs_courses)
def course(course_id: int):
    """A course: sessions, the families admitted, waiting and proposed, attendance."""
    return render_course(load_course(course_id))


@bp.post("/courses/<int:course_id>/status")
@access.allow(access.runs_courses)
def course_status(course_id: int):
    """Open, start, finish or cancel a course."""
    course = load_course(course_id, for_update=True)
    form = StatusForm()
    try:
        if not form.validate():
            raise ServiceError(_l("A course cannot go from this state to that one."))
        courses.set_status(db.session(), acting_user(), course, form.status.data)
    except ServiceError as err:
        flash_error(err)
    else:
        flash(_l("The course is now: %(status)s.", status=labels()["course_statuses"][course.status]), "success")
    return redirect(url_for("staff.course", course_id=course_id), code=303)


@bp.post("/courses/<int:course_id>/sessions")
@access.allow(access.runs_courses)
def add_session(course_id: int):
    """Add a dated session to a course."""
    course = load_course(course_id, for_update=True)
    form = SessionForm(prefix="session")
    if form.validate():
        try:
            courses.add_session(db.session(), acting_user(), course, held_on=form.held_on.data,
                                starts_at=form.starts_at.data, ends_at=form.ends_at.data)
        except ServiceError as err:
            form_error(form, err)
        else:
            flash(_l("The session is added."), "success")
            return redirect(url_for("staff.course", course_id=course_id) + "#sessions", code=303)
    return render_course(course, session_form=form, status=400)


@bp.post("/courses/<int:course_id>/sessions/<int:session_id>/remove")
@access.allow(access.runs_courses)
def remove_session(course_id: int, session_id: int):
    """Take a session off the course (not once attendance is taken)."""
    course = load_course(course_id, for_update=True)
    session = found(next((s for s in course.sessions if s.id == session_id), None))
    try:
        courses.remove_session(db.session(), acting_user(), course, session)
    except ServiceError as err:
        flash_error(err)
    else:
        flash(_l("The session is removed."), "success")
    return redirect(url_for("staff.course", course_id=course_id) + "#sessions", code=303)
