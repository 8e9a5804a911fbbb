"""On a case: "referred to a local association", with the activity picked."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import lazy_gettext as _l

from portal import access, db
from portal.blueprints.common import acting_user, flash_error, found
from portal.blueprints.staff import bp
from portal.forms import Form, Select, options
from portal.models import Activity, Case
from portal.services import ServiceError, activity_referrals, cases


class ActivityReferralForm(Form):
    activity = Select(_l("Activity"))


def referral_form(case: Case) -> ActivityReferralForm:
    """The form on the case page, with the activities still on and the one chosen."""
    sess = db.session()
    form = ActivityReferralForm(formdata=None)
    current = activity_referrals.for_case(sess, case)
    form.activity.choices = options([("", _l("None"))] + [
        (str(a.id), f"{a.title} – {a.association.name}") for a in activity_referrals.choosable(sess)])
    form.activity.data = str(current.activity_id) if current else ""
    return form


@bp.post("/cases/<int:case_id>/activity")
@access.allow(access.works_cases)
def refer_to_activity(case_id: int):
    """Record which local activity the family was referred to (or none)."""
    case = found(cases.get_case(db.session(), case_id))
    form = ActivityReferralForm()
    form.activity.choices = options([("", "")] + [(str(a.id), "") for a in activity_referrals.choosable(db.session())])
    if form.validate_on_submit():
        chosen = db.session().get(Activity, int(form.activity.data)) if form.activity.data else None
        try:
            activity_referrals.refer(db.session(), acting_user(), case, chosen)
        except ServiceError as err:
            flash_error(err)
        else:
            flash(_l("The referral to the activity is saved."), "success")
    else:
        flash(_l("Choose an activity that is still on."), "error")
    return redirect(url_for("staff.case", case_id=case.id) + "#activity-referral", code=303)
