"""Activities for counsellors: the approval list (approve, or send back
with a reason), and what is on this week and next, printable."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l

from portal import access, db
from portal.blueprints.common import acting_user, flash_error, found
from portal.blueprints.staff import bp
from portal.blueprints.staff.forms import EmptyForm
from portal.blueprints.staff.forms.associations import ApproveForm, SendBackForm
from portal.models import Activity
from portal.models.activity import MUNICIPALITIES
from portal.services import ServiceError, activities, activity_calendar


@bp.get("/activities/review")
@access.allow(access.moderates_activities)
def review():
    """Activities waiting for approval, each in full as families would see it."""
    return render_template("staff/activity_review.html", queue=activities.review_queue(db.session()),
                           button_form=EmptyForm(), reason_form=SendBackForm(formdata=None),
                           review_stamp=activities.review_stamp)


@bp.post("/activities/<int:activity_id>/approve")
@access.allow(access.moderates_activities)
def approve(activity_id: int):
    """Publish the activity (or its changes)."""
    item = found(db.session().get(Activity, activity_id))
    form = ApproveForm()
    if form.validate_on_submit():
        try:
            activities.approve(db.session(), acting_user(), item, seen=form.seen.data or None)
        except ServiceError as err:
            flash_error(err)
        else:
            flash(_l("The activity is published."), "success")
    return redirect(url_for("staff.review"), code=303)


@bp.post("/activities/<int:activity_id>/send-back")
@access.allow(access.moderates_activities)
def send_back(activity_id: int):
    """Send the activity back to its editor with a reason."""
    item = found(db.session().get(Activity, activity_id))
    form = SendBackForm()
    if form.validate_on_submit():
        try:
            activities.send_back(db.session(), acting_user(), item, form.reason.data)
        except ServiceError as err:
            flash_error(err)
        else:
            flash(_l("The activity is sent back to the editor."), "success")
    else:
        flash(_l("Write why, so the editor knows what to change."), "error")
    return redirect(url_for("staff.review"), code=303)


@bp.get("/activities/week")
@access.allow(access.moderates_activities)
def activities_week():
    """This week and next, by municipality: to print and hand to a family."""
    start, end, by_place = activity_calendar.two_weeks(db.session())
    return render_template("staff/activities_week.html", start=start, end=end, by_place=by_place,
                           municipalities=MUNICIPALITIES)
