"""The triage queue, working an inquiry, and cases."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal import db
from portal.blueprints.staff import bp, roles_required
from portal.blueprints.staff.forms import (AnswerForm, AttemptForm, CaseForm,
                                           CloseForm, EmptyForm, NoteForm,
                                           ReassignForm)
from portal.forms import options
from portal.i18n import LANGUAGES
from portal.models import CASE_ROLES, EVALUATION_FIELDS, User
from portal.services import ServiceError, accounts, audit, cases, inquiries, triage
from portal.vocab import BEST_TIMES
from portal.vocab_case import ATTEMPT_METHODS, CLOSURE_REASONS, KINDS, SITUATION, STATUSES

CASE_WORKERS = tuple(CASE_ROLES)


def _me():
    return current_user._get_current_object()


def _flash_error(err: ServiceError) -> None:
    flash(err.message, "error")


@bp.get("/")
@roles_required(*CASE_WORKERS)
def queue():
    """The triage queue: everything that came in, oldest first."""
    args = request.args
    flt = triage.QueueFilter(
        status=args.get("status", "open"), kind=args.get("kind", ""), hospital=args.get("hospital", ""),
        holder=args.get("holder", ""), language=args.get("language", ""),
        newest_first=args.get("sort") == "newest",
    )
    sess = db.session()
    page = triage.queue(sess, _me(), flt, after=args.get("after", ""))
    audit.record(sess, _me(), "queue.view")
    db.commit()
    return render_template(
        "staff/queue.html", page=page, flt=flt, counts=triage.status_counts(sess),
        hospitals=inquiries.hospitals(sess), kinds=KINDS, statuses=STATUSES, languages=LANGUAGES,
        claim_form=EmptyForm(),
    )


def _load_inquiry(inquiry_id: int):
    """Load and audit the view in its own transaction, so the event is kept
    whatever happens to the action that follows."""
    inquiry = triage.get_for_staff(db.session(), _me(), inquiry_id)
    if inquiry is None:
        abort(404)
    db.commit()
    return inquiry


@bp.get("/inquiries/<int:inquiry_id>")
@roles_required(*CASE_WORKERS)
def inquiry(inquiry_id: int):
    """One inquiry with everything needed to work it."""
    return _render_inquiry(_load_inquiry(inquiry_id))


def _render_inquiry(item, **forms):
    sess = db.session()
    reassign_form = forms.get("reassign_form") or ReassignForm()
    reassign_form.counsellor.choices = options([("", _l("Choose"))] + [
        (str(u.id), u.name) for u in accounts.counsellors(sess)])
    return render_template(
        "staff/inquiry.html", item=item, case=cases.case_for_inquiry(sess, item),
        attempts=triage.attempts(sess, item), kinds=KINDS, statuses=STATUSES, situation=SITUATION,
        closure_reasons=CLOSURE_REASONS, attempt_methods=ATTEMPT_METHODS, best_times=BEST_TIMES,
        answer_form=forms.get("answer_form") or AnswerForm(),
        attempt_form=forms.get("attempt_form") or AttemptForm(),
        close_form=forms.get("close_form") or CloseForm(),
        reassign_form=reassign_form, button_form=EmptyForm(),
    )


def _back(inquiry_id: int):
    return redirect(url_for("staff.inquiry", inquiry_id=inquiry_id), code=303)


@bp.post("/inquiries/<int:inquiry_id>/claim")
@roles_required(*CASE_WORKERS)
def claim(inquiry_id: int):
    """Take an inquiry (exactly one of simultaneous claims wins)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        triage.claim(db.session(), _me(), inquiry_id)
    except ServiceError as err:
        db.session().rollback()
        _flash_error(err)
    else:
        db.commit()
        flash(_l("You have taken the inquiry."), "success")
    return _back(inquiry_id)


def _act(inquiry_id: int, action, success: str, form=None, form_name: str = ""):
    """Load, validate, one service call, commit, redirect; errors re-render."""
    item = _load_inquiry(inquiry_id)
    if form is not None and not form.validate_on_submit():
        return _render_inquiry(item, **{form_name: form}), 400
    if form is None and not EmptyForm().validate_on_submit():
        abort(400)
    try:
        action(item)
    except ServiceError as err:
        db.session().rollback()
        if form is not None and err.field and hasattr(form, err.field):
            getattr(form, err.field).errors = [err.message]
            return _render_inquiry(_load_inquiry(inquiry_id), **{form_name: form}), 400
        _flash_error(err)
        return _back(inquiry_id)
    db.commit()
    flash(success, "success")
    return _back(inquiry_id)


@bp.post("/inquiries/<int:inquiry_id>/release")
@roles_required(*CASE_WORKERS)
def release(inquiry_id: int):
    """Give the inquiry back to the queue."""
    return _act(inquiry_id, lambda item: triage.release(db.session(), _me(), item),
                _l("The inquiry is back in the queue."))


@bp.post("/inquiries/<int:inquiry_id>/reassign")
@roles_required("lead")
def reassign(inquiry_id: int):
    """A lead gives the inquiry to a counsellor."""
    form = ReassignForm()
    form.counsellor.choices = options([(str(u.id), u.name) for u in accounts.counsellors(db.session())])

    def action(item):
        target = db.session().get(User, int(form.counsellor.data))
        triage.reassign(db.session(), _me(), item, target)

    return _act(inquiry_id, action, _l("The inquiry has a new holder."), form, "reassign_form")


@bp.post("/inquiries/<int:inquiry_id>/answer")
@roles_required(*CASE_WORKERS)
def answer(inquiry_id: int):
    """Answer an anonymous question in its thread."""
    form = AnswerForm()
    return _act(inquiry_id, lambda item: triage.answer(db.session(), _me(), item, form.body.data),
                _l("Your answer is sent. The family reads it with their code."), form, "answer_form")


@bp.post("/inquiries/<int:inquiry_id>/attempts")
@roles_required(*CASE_WORKERS)
def log_attempt(inquiry_id: int):
    """Log a try to reach the family."""
    form = AttemptForm()
    return _act(inquiry_id, lambda item: triage.log_attempt(
        db.session(), _me(), item, method=form.method.data, reached=form.reached.data == "yes",
        note=form.note.data), _l("The attempt is logged."), form, "attempt_form")


@bp.post("/inquiries/<int:inquiry_id>/close")
@roles_required(*CASE_WORKERS)
def close(inquiry_id: int):
    """Close the inquiry with a reason."""
    form = CloseForm()
    return _act(inquiry_id, lambda item: triage.close(db.session(), _me(), item, form.reason.data),
                _l("The inquiry is closed."), form, "close_form")


@bp.post("/inquiries/<int:inquiry_id>/case")
@roles_required(*CASE_WORKERS)
def open_case(inquiry_id: int):
    """Start a case (forløb) from the inquiry."""
    item = _load_inquiry(inquiry_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        case = cases.open_case(db.session(), _me(), item)
        db.commit()
    except (ServiceError, IntegrityError) as err:  # IntegrityError: opened at the same moment elsewhere
        db.session().rollback()
        flash(err.message if isinstance(err, ServiceError) else _l("This inquiry already has a case."), "error")
        return _back(inquiry_id)
    flash(_l("The case is opened."), "success")
    return redirect(url_for("staff.case", case_id=case.id), code=303)


@bp.get("/cases")
@roles_required(*CASE_WORKERS)
def case_list():
    """Open cases (mine or everyone's)."""
    mine = request.args.get("holder") != "all"
    rows = cases.list_cases(db.session(), _me(), mine=mine, open_only=request.args.get("closed") != "1")
    audit.record(db.session(), _me(), "cases.list")
    db.commit()
    return render_template("staff/cases.html", rows=rows, mine=mine)


def _case_form(case, formdata=None) -> CaseForm:
    data = {name: getattr(case, name) for name in EVALUATION_FIELDS}
    data["hospital_id"] = str(case.hospital_id) if case.hospital_id else ""
    data["pregnant_at_start"] = {True: "yes", False: "no"}.get(case.pregnant_at_start, "")
    data["version"] = case.version
    # A posted form stands alone: a field left out (no box ticked) means "not stated".
    form = CaseForm(formdata=formdata) if formdata is not None else CaseForm(formdata=None, data=data)
    form.hospital_id.choices = options([("", _l("Not stated"))] + [
        (str(h.id), h.name) for h in inquiries.hospitals(db.session())])
    return form


def _evaluation_values(form: CaseForm) -> dict:
    values = {}
    for name in EVALUATION_FIELDS:
        value = getattr(form, name).data
        values[name] = value if value not in ("", []) else None
    values["hospital_id"] = int(form.hospital_id.data) if form.hospital_id.data else None
    values["pregnant_at_start"] = {"yes": True, "no": False}.get(form.pregnant_at_start.data)
    return values


@bp.route("/cases/<int:case_id>", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def case(case_id: int):
    """A case: the evaluation fields and dated notes."""
    sess = db.session()
    item = _load_case(case_id)
    form = _case_form(item, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        try:
            cases.update_evaluation(sess, _me(), item, _evaluation_values(form),
                                    expected_version=form.version.data)
            db.commit()
        except (ServiceError, StaleDataError) as err:
            sess.rollback()
            message = err.message if isinstance(err, ServiceError) else cases.STALE_MESSAGE
            target = getattr(form, getattr(err, "field", None) or "", None)
            if target is not None:
                target.errors = [message]
            else:
                form.form_errors.append(message)
        else:
            flash(_l("The case is saved."), "success")
            return redirect(url_for("staff.case", case_id=case_id), code=303)
    status = 400 if form.errors or form.form_errors else 200
    return render_template("staff/case.html", case=item, form=form, note_form=NoteForm(prefix="note")), status


def _load_case(case_id: int):
    """Load a case and audit the view in its own transaction."""
    item = cases.get_case(db.session(), _me(), case_id)
    if item is None:
        abort(404)
    db.commit()
    return item


@bp.post("/cases/<int:case_id>/notes")
@roles_required(*CASE_WORKERS)
def add_note(case_id: int):
    """Add a dated note to a case."""
    item = _load_case(case_id)
    note_form = NoteForm(prefix="note")
    if note_form.validate_on_submit():
        try:
            cases.add_note(db.session(), _me(), item, body=note_form.body.data, noted_on=note_form.noted_on.data)
        except ServiceError as err:
            db.session().rollback()
            note_form.body.errors = [err.message]
        else:
            db.commit()
            flash(_l("The note is added."), "success")
            return redirect(url_for("staff.case", case_id=case_id) + "#notes", code=303)
    return render_template("staff/case.html", case=item, form=_case_form(item), note_form=note_form), 400
