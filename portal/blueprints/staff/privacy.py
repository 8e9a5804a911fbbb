"""A person's rights (leads): download everything stored about one inquiry
or case as JSON, and erase it with a two-step confirmation. The rules are
in services/subject_access.py and services/erasure.py."""

from __future__ import annotations

import json

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import access, db
from portal.blueprints.common import acting_user, audit_read, flash_error, form_error, found
from portal.blueprints.staff import bp
from portal.blueprints.staff.forms import EmptyForm
from portal.blueprints.staff.forms.privacy import EraseConfirmForm
from portal.models.base import utcnow
from portal.services import ServiceError, cases, erasure, subject_access, triage
from portal.services.subject_access import Subject


def _inquiry_subject(inquiry_id: int, *, for_update: bool = False) -> tuple[Subject, str, int]:
    inquiry = found(triage.get_for_staff(db.session(), inquiry_id, for_update=for_update))
    return subject_access.of_inquiry(db.session(), inquiry), "inquiry", inquiry.id


def _case_subject(case_id: int, *, for_update: bool = False) -> tuple[Subject, str, int]:
    case = found(cases.get_case(db.session(), case_id, for_update=for_update))
    return subject_access.of_case(db.session(), case), "case", case.id


def _back(kind: str, ident: int) -> WerkzeugResponse:
    target = url_for("staff.inquiry", inquiry_id=ident) if kind == "inquiry" else url_for("staff.case", case_id=ident)
    return redirect(target, code=303)


def _download(subject: Subject, kind: str, ident: int) -> Response:
    """The subject's data as a JSON file; the export is audited, its content never."""
    data = subject_access.export(db.session(), subject, now=utcnow())
    audit_read(f"{kind}.exported", object_type=kind, object_id=ident)
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{kind}-{ident}.json"', "Cache-Control": "no-store"})


def _confirm_page(subject: Subject, kind: str, ident: int, form: EraseConfirmForm, status: int = 200):
    return render_template("staff/erase_confirm.html", subject=subject, kind=kind, ident=ident, form=form,
                           counts=erasure.counts(db.session(), subject),
                           minutes=current_app.config["ERASE_CONFIRM_MINUTES"]), status


def _ask(subject: Subject, kind: str, ident: int):
    """Step one: what will be removed, and a signed token for step two."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    token = erasure.confirmation_token(subject, secret=current_app.config["SECRET_KEY"])
    audit_read(f"{kind}.erase_asked", object_type=kind, object_id=ident)
    return _confirm_page(subject, kind, ident, EraseConfirmForm(formdata=None, data={"token": token}))


def _erase(subject: Subject, kind: str, ident: int):
    """Step two: a valid token and the typed label, then one service call."""
    form = EraseConfirmForm()
    if not form.validate_on_submit():
        return _confirm_page(subject, kind, ident, form, 400)
    try:
        erasure.check_token(subject, form.token.data, secret=current_app.config["SECRET_KEY"],
                            max_age_seconds=current_app.config["ERASE_CONFIRM_MINUTES"] * 60)
    except ServiceError as err:
        flash_error(err)
        return _back(kind, ident)
    try:
        erasure.erase(db.session(), acting_user(), subject, typed_label=form.label.data)
    except ServiceError as err:
        form_error(form, err)
        return _confirm_page(subject, kind, ident, form, 400)
    flash(_l("It is erased. Only a record that it was erased is kept."), "success")
    return redirect(url_for("staff.queue"), code=303)


@bp.get("/inquiries/<int:inquiry_id>/export.json")
@access.allow(access.may_export_personal_data)
def export_inquiry(inquiry_id: int):
    """Everything stored about an inquiry (and its case), as a JSON download."""
    return _download(*_inquiry_subject(inquiry_id))


@bp.get("/cases/<int:case_id>/export.json")
@access.allow(access.may_export_personal_data)
def export_case(case_id: int):
    """Everything stored about a case (and its inquiry), as a JSON download."""
    return _download(*_case_subject(case_id))


@bp.post("/inquiries/<int:inquiry_id>/erase")
@access.allow(access.may_erase_personal_data)
def erase_inquiry(inquiry_id: int):
    """Ask to erase an inquiry: the confirmation page."""
    return _ask(*_inquiry_subject(inquiry_id))


@bp.post("/inquiries/<int:inquiry_id>/erase/confirm")
@access.allow(access.may_erase_personal_data)
def erase_inquiry_confirmed(inquiry_id: int):
    """Erase an inquiry, its case and everything linked to them."""
    return _erase(*_inquiry_subject(inquiry_id, for_update=True))


@bp.post("/cases/<int:case_id>/erase")
@access.allow(access.may_erase_personal_data)
def erase_case(case_id: int):
    """Ask to erase a case: the confirmation page."""
    return _ask(*_case_subject(case_id))


@bp.post("/cases/<int:case_id>/erase/confirm")
@access.allow(access.may_erase_personal_data)
def erase_case_confirmed(case_id: int):
    """Erase a case, its inquiry and everything linked to them."""
    return _erase(*_case_subject(case_id, for_update=True))
