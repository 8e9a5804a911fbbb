"""Cases (forløb): the list, one case's evaluation fields, notes, its audit trail."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal import access, db
from portal.blueprints.common import acting_user, audit_read, form_error, found
from portal.blueprints.staff import activity_referrals, bp
from portal.blueprints.staff.forms.cases import CaseForm, NoteForm
from portal.blueprints.staff.surveys import offer_form
from portal.forms import options
from portal.models import EVALUATION_FIELDS, Case
from portal.services import ServiceError, audit, cases, inquiries


def _load(case_id: int, *, for_update: bool = False) -> Case:
    """The case (404 if there is none), its view audited apart."""
    case = found(cases.get_case(db.session(), case_id, for_update=for_update))
    audit_read("case.view", case)
    return case


def _case_form(case: Case, formdata: MultiDict | None = None) -> CaseForm:
    """The evaluation form: the case's values, or what was posted. A posted
    form stands alone: a field left out (no box ticked) means "not stated"."""
    data = {name: getattr(case, name) for name in EVALUATION_FIELDS}
    data["hospital_id"] = str(case.hospital_id) if case.hospital_id else ""
    data["pregnant_at_start"] = "" if case.pregnant_at_start is None else "yes" if case.pregnant_at_start else "no"
    data["version"] = case.version
    form = CaseForm(formdata=formdata) if formdata is not None else CaseForm(formdata=None, data=data)
    form.hospital_id.choices = options([("", _l("Not stated"))] + [
        (str(h.id), h.name) for h in inquiries.hospitals(db.session())])
    return form


def _evaluation_values(form: CaseForm) -> dict[str, Any]:
    values = {}
    for name in EVALUATION_FIELDS:
        value = getattr(form, name).data
        values[name] = value if value not in ("", []) else None
    values["hospital_id"] = int(form.hospital_id.data) if form.hospital_id.data else None
    values["pregnant_at_start"] = {"yes": True, "no": False}.get(form.pregnant_at_start.data)
    return values


def _render(case: Case, form: CaseForm, note_form: NoteForm, status: int = 200) -> tuple[str, int]:
    return render_template("staff/case.html", case=case, form=form, note_form=note_form,
                           survey_form=offer_form(case), activity_form=activity_referrals.referral_form(case)), status


@bp.get("/cases")
@access.allow(access.works_cases)
def case_list():
    """Open cases (mine or everyone's)."""
    mine, closed = request.args.get("holder") != "all", request.args.get("closed") == "1"
    page = cases.list_cases(db.session(), acting_user(), mine=mine, open_only=not closed,
                            after=request.args.get("after", ""), before=request.args.get("before", ""))
    audit_read("cases.list")
    return render_template("staff/cases.html", page=page, rows=page.rows, mine=mine, closed=closed)


@bp.get("/cases/<int:case_id>")
@access.allow(access.may_read_case)
def case(case_id: int):
    """A case: the evaluation fields and dated notes."""
    item = _load(case_id)
    return _render(item, _case_form(item), NoteForm(prefix="note", formdata=None))


@bp.post("/cases/<int:case_id>")
@access.allow(access.may_read_case)
def save_case(case_id: int):
    """Save the evaluation fields (refused if someone saved meanwhile)."""
    item = _load(case_id, for_update=True)
    form = _case_form(item, request.form)
    if not form.validate():
        return _render(item, form, NoteForm(prefix="note", formdata=None), 400)
    try:
        cases.update_evaluation(db.session(), acting_user(), item, _evaluation_values(form),
                                expected_version=form.version.data)
    except ServiceError as err:
        form_error(form, err)
        return _render(item, form, NoteForm(prefix="note", formdata=None), 400)
    flash(_l("The case is saved."), "success")
    return redirect(url_for("staff.case", case_id=case_id), code=303)


@bp.post("/cases/<int:case_id>/notes")
@access.allow(access.may_read_case)
def add_note(case_id: int):
    """Add a dated note to a case."""
    item = _load(case_id, for_update=True)
    note_form = NoteForm(prefix="note")
    if note_form.validate_on_submit():
        try:
            cases.add_note(db.session(), acting_user(), item, body=note_form.body.data,
                           noted_on=note_form.noted_on.data)
        except ServiceError as err:
            form_error(note_form, err)
        else:
            flash(_l("The note is added."), "success")
            return redirect(url_for("staff.case", case_id=case_id) + "#notes", code=303)
    return _render(item, _case_form(item), note_form, 400)


@bp.get("/cases/<int:case_id>/audit")
@access.allow(access.reads_audit)
def case_audit(case_id: int):
    """Who read or changed a case, and its inquiry."""
    item = found(db.session().get(Case, case_id))
    page = audit.for_case(db.session(), item, after=request.args.get("after", ""),
                          before=request.args.get("before", ""))
    return render_template("staff/audit.html", page=page, events=page.rows, subject_user=None, subject_case=item)
