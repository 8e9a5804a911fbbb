"""Working one inquiry: read it, take it, answer, call, close, hand over,
open a case. Actions load the inquiry locked and act in one transaction."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from portal import access, db
from portal.blueprints.common import acting_user, audit_read, flash_error, form_error, found, promises
from portal.blueprints.staff import bp
from portal.blueprints.staff.forms import EmptyForm
from portal.blueprints.staff.forms.inquiries import AnswerForm, AttemptForm, CloseForm, FeedbackForm, ReassignForm
from portal.forms import options
from portal.models import Inquiry, User
from portal.models.base import utcnow
from portal.services import ServiceError, accounts, cases, deadlines, referrals, triage


def _load(inquiry_id: int, *, for_update: bool = False) -> Inquiry:
    """The inquiry (404 if there is none), its view audited apart."""
    inquiry = found(triage.get_for_staff(db.session(), inquiry_id, for_update=for_update))
    audit_read("inquiry.view", inquiry)
    return inquiry


def _reassign_form(formdata: bool = True) -> ReassignForm:
    form = ReassignForm() if formdata else ReassignForm(formdata=None)
    form.counsellor.choices = options([("", _l("Choose"))] + [
        (str(u.id), u.name) for u in accounts.counsellors(db.session())])
    return form


def _render(inquiry: Inquiry, **forms: FlaskForm) -> str:
    sess = db.session()
    return render_template(
        "staff/inquiry.html", item=inquiry, case=cases.case_for_inquiry(sess, inquiry),
        due=deadlines.due_state(inquiry, utcnow(), promises().calendar),
        attempts=triage.attempts(sess, inquiry), referrer=referrals.referrers_of(sess, [inquiry]).get(
            inquiry.referred_by_id or 0),
        feedback_form=forms.get("feedback_form") or FeedbackForm(formdata=None, data={
            "code": inquiry.feedback_code or "", "text": inquiry.feedback_text or ""}),
        answer_form=forms.get("answer_form") or AnswerForm(formdata=None),
        attempt_form=forms.get("attempt_form") or AttemptForm(formdata=None),
        close_form=forms.get("close_form") or CloseForm(formdata=None),
        reassign_form=forms.get("reassign_form") or _reassign_form(formdata=False),
        button_form=EmptyForm(),
    )


def _back(inquiry_id: int) -> Response:
    return redirect(url_for("staff.inquiry", inquiry_id=inquiry_id), code=303)


def _act(inquiry_id: int, form: FlaskForm, form_name: str, action: Callable[[Inquiry], object],
         success: str) -> Response | tuple[str, int]:
    """Load locked, validate, one service call, redirect; a refusal is shown
    on the form (at its field) or flashed."""
    inquiry = _load(inquiry_id, for_update=True)
    if not form.validate_on_submit():
        if isinstance(form, EmptyForm):
            abort(400)
        return _render(inquiry, **{form_name: form}), 400
    try:
        action(inquiry)
    except ServiceError as err:
        if err.field and hasattr(form, err.field):
            form_error(form, err)
            return _render(inquiry, **{form_name: form}), 400
        flash_error(err)
        return _back(inquiry_id)
    flash(success, "success")
    return _back(inquiry_id)


@bp.get("/inquiries/<int:inquiry_id>")
@access.allow(access.works_cases)
def inquiry(inquiry_id: int):
    """One inquiry with everything needed to work it."""
    return _render(_load(inquiry_id))


@bp.post("/inquiries/<int:inquiry_id>/claim")
@access.allow(access.works_cases)
def claim(inquiry_id: int):
    """Take an inquiry (exactly one of simultaneous claims wins)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        triage.claim(db.session(), acting_user(), inquiry_id)
    except ServiceError as err:
        flash_error(err)
    else:
        flash(_l("You have taken the inquiry."), "success")
    return _back(inquiry_id)


@bp.post("/inquiries/<int:inquiry_id>/release")
@access.allow(access.works_cases)
def release(inquiry_id: int):
    """Give the inquiry back to the queue."""
    return _act(inquiry_id, EmptyForm(), "", lambda item: triage.release(db.session(), acting_user(), item),
                _l("The inquiry is back in the queue."))


@bp.post("/inquiries/<int:inquiry_id>/reassign")
@access.allow(access.may_reassign)
def reassign(inquiry_id: int):
    """A lead gives the inquiry to a counsellor."""
    form = _reassign_form()

    def action(item: Inquiry) -> None:
        target = found(db.session().get(User, int(form.counsellor.data)))
        triage.reassign(db.session(), acting_user(), item, target)

    return _act(inquiry_id, form, "reassign_form", action, _l("The inquiry has a new holder."))


@bp.post("/inquiries/<int:inquiry_id>/answer")
@access.allow(access.works_cases)
def answer(inquiry_id: int):
    """Answer an anonymous question in its thread."""
    form = AnswerForm()
    return _act(inquiry_id, form, "answer_form", lambda item: triage.answer(
        db.session(), acting_user(), item, form.body.data),
        _l("Your answer is sent. The family reads it with their code."))


@bp.post("/inquiries/<int:inquiry_id>/attempts")
@access.allow(access.works_cases)
def log_attempt(inquiry_id: int):
    """Log a try to reach the family."""
    form = AttemptForm()
    return _act(inquiry_id, form, "attempt_form", lambda item: triage.log_attempt(
        db.session(), acting_user(), item, method=form.method.data, reached=form.reached.data == "yes",
        note=form.note.data), _l("The attempt is logged."))


@bp.post("/inquiries/<int:inquiry_id>/close")
@access.allow(access.works_cases)
def close(inquiry_id: int):
    """Close the inquiry with a reason."""
    form = CloseForm()
    return _act(inquiry_id, form, "close_form", lambda item: triage.close(
        db.session(), acting_user(), item, form.reason.data), _l("The inquiry is closed."))


@bp.post("/inquiries/<int:inquiry_id>/feedback")
@access.allow(access.works_cases)
def feedback(inquiry_id: int):
    """One short line for the referrer (the hospital reads it)."""
    form = FeedbackForm()
    return _act(inquiry_id, form, "feedback_form", lambda item: referrals.give_feedback(
        db.session(), acting_user(), item, code=form.code.data, text=form.text.data),
        _l("The feedback line is saved. The referrer sees it."))


@bp.post("/inquiries/<int:inquiry_id>/case")
@access.allow(access.works_cases)
def open_case(inquiry_id: int):
    """Start a case (forløb) from the inquiry."""
    inquiry = _load(inquiry_id, for_update=True)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        case = cases.open_case(db.session(), acting_user(), inquiry)
    except ServiceError as err:
        flash_error(err)
        return _back(inquiry_id)
    flash(_l("The case is opened."), "success")
    return redirect(url_for("staff.case", case_id=case.id), code=303)
