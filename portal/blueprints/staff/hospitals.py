"""Hospitals' settings (leads): status-mail addresses and urgent notices."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import access, db
from portal.blueprints.common import acting_user, form_error, found
from portal.blueprints.staff import bp
from portal.blueprints.staff.forms.hospitals import HospitalSettingsForm
from portal.models import Hospital
from portal.services import ServiceError, hospitals


def _forms(posted: Hospital | None = None, form: HospitalSettingsForm | None = None) -> list:
    """(hospital, form) pairs, the posted one with what was sent."""
    pairs = []
    for hospital in hospitals.all_hospitals(db.session()):
        if posted is not None and hospital.id == posted.id and form is not None:
            pairs.append((hospital, form))
            continue
        pairs.append((hospital, HospitalSettingsForm(formdata=None, prefix=hospital.code, data={
            "contact_emails": "\n".join(hospital.contact_emails or []), "urgent_notice": hospital.urgent_notice})))
    for hospital, each in pairs:  # every field's label names its hospital, for screen readers
        each.contact_emails.label.text = _("Addresses for the monthly status mail to %(hospital)s",
                                           hospital=hospital.name)
    return pairs


@bp.get("/hospitals")
@access.allow(access.edits_hospitals)
def hospitals_page():
    """Every hospital with its status-mail addresses and urgent notice."""
    return render_template("staff/hospitals.html", pairs=_forms())


@bp.post("/hospitals/<code>")
@access.allow(access.edits_hospitals)
def save_hospital(code: str):
    """Save one hospital's settings."""
    hospital = found(hospitals.by_code(db.session(), code))
    form = HospitalSettingsForm(prefix=hospital.code)
    if form.validate_on_submit():
        try:
            hospitals.update_settings(db.session(), acting_user(), hospital,
                                      contact_emails=hospitals.parse_addresses(form.contact_emails.data),
                                      urgent_notice=form.urgent_notice.data)
        except ServiceError as err:
            form_error(form, err)
        else:
            flash(_l("The settings for %(name)s are saved.", name=hospital.name), "success")
            return redirect(url_for("staff.hospitals_page") + f"#hospital-{hospital.code}", code=303)
    return render_template("staff/hospitals.html", pairs=_forms(hospital, form), form=form), 400
