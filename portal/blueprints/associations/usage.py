"""After an activity: how many families, adults and children came, and how
many families came through the partnership. Numbers only."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from portal import access, db
from portal.blueprints.associations import bp, own_activity
from portal.blueprints.associations.forms.activities import UsageForm
from portal.blueprints.common import acting_user, form_error
from portal.forms import options
from portal.services import ServiceError, activities


@bp.route("/activities/<int:activity_id>/usage", methods=["GET", "POST"])
@access.allow(access.writes_activities)
def usage(activity_id: int):
    """Record the counts of one date that has taken place."""
    item = own_activity(activity_id)
    form = UsageForm()
    form.on_date.choices = options([(d.isoformat(), format_date(d, "full")) for d in activities.past_dates(item)])
    if form.validate_on_submit():
        try:
            activities.record_usage(db.session(), acting_user(), item, date.fromisoformat(form.on_date.data),
                                    families=form.families.data, adults=form.adults.data,
                                    children=form.children.data, via_partnership=form.via_partnership.data)
        except ServiceError as err:
            form_error(form, err)
        else:
            flash(_l("Thank you. The numbers are saved."), "success")
            return redirect(url_for("associations.usage", activity_id=item.id), code=303)
    return render_template("associations/usage.html", form=form, activity=item,
                           recorded=activities.usage_of(db.session(), item)), 400 if form.errors else 200
