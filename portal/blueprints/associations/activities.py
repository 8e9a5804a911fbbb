"""An association's activities: the list, write or change one, send it for
approval, cancel it or one of its dates, and its photo."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from portal import access, db
from portal.blueprints.associations import bp, own_activity, own_association
from portal.blueprints.associations.forms.activities import ActivityForm, DateForm
from portal.blueprints.common import acting_user, flash_error, form_error, found, photo_response
from portal.blueprints.staff.forms import EmptyForm
from portal.forms import options
from portal.i18n import LANGUAGES
from portal.models import Activity, Association
from portal.models.activity import SPOKEN_LANGUAGES
from portal.request_guard import accepts_files
from portal.services import ServiceError, activities, activity_calendar, activity_photos, associations

# The photo and the rest of the form.
PHOTO_UPLOAD_MAX = activity_photos.MAX_BYTES + 256 * 1024


def _language_choices():
    names = get_locale().languages
    return options([(code, LANGUAGES.get(code) or names.get(code, code).capitalize()) for code in SPOKEN_LANGUAGES])


def _form(activity: Activity | None = None) -> ActivityForm:
    form = ActivityForm(obj=activity)
    form.text_language.choices = form.languages.choices = _language_choices()
    if activity is not None and request.method == "GET" and activity.photo is not None:
        form.photo_alt.data = activity.photo.alt_text
    return form


def _input(form: ActivityForm) -> activities.ActivityInput:
    return activities.ActivityInput(
        title=form.title.data, description=form.description.data or "", text_language=form.text_language.data,
        starts_on=form.starts_on.data, start_time=form.start_time.data, end_time=form.end_time.data,
        weekly=form.weekly.data, repeat_until=form.repeat_until.data, online=form.online.data,
        address=form.address.data, municipality=form.municipality.data or None, audiences=form.audiences.data or [],
        languages=form.languages.data or [], price_dkk=form.price_dkk.data, join_method=form.join_method.data,
        join_contact=form.join_contact.data, places=form.places.data, accessibility=form.accessibility.data)


def _save_photo(form: ActivityForm, activity: Activity) -> None:
    """The photo part of the form: remove, replace, or just its description."""
    upload = form.photo.data
    if form.remove_photo.data and activity.photo is not None:
        activity_photos.remove_photo(db.session(), acting_user(), activity)
    elif upload and getattr(upload, "filename", ""):
        activity_photos.set_photo(db.session(), acting_user(), activity, upload.read(), alt_text=form.photo_alt.data)
    elif activity.photo is not None:
        activity.photo.alt_text = form.photo_alt.data or None


@bp.get("/")
@access.allow(access.writes_activities)
def index():
    """The associations the account works on; an editor goes straight to their own."""
    own = associations.editable_by(db.session(), acting_user())
    if len(own) == 1:
        return redirect(url_for("associations.association", association_id=own[0].id))
    return render_template("associations/index.html", associations=own)


@bp.get("/<int:association_id>/")
@access.allow(access.writes_activities)
def association(association_id: int):
    """The association's activities, the next first."""
    assoc = own_association(association_id)
    return render_template("associations/activities.html", association=assoc,
                           activities=activities.of_association(db.session(), assoc), today=activity_calendar.today())


@bp.route("/<int:association_id>/activities/new", methods=["GET", "POST"])
@accepts_files(PHOTO_UPLOAD_MAX)
@access.allow(access.writes_activities)
def new_activity(association_id: int):
    """Write a new activity; it is saved as a draft."""
    assoc = own_association(association_id)
    form = _form()
    if form.validate_on_submit():
        try:
            activity = activities.create(db.session(), acting_user(), assoc, _input(form))
            _save_photo(form, activity)
        except ServiceError as err:
            form_error(form, err)
        else:
            flash(_l("The activity is saved as a draft. Send it for approval when it is ready."), "success")
            return redirect(url_for("associations.activity", activity_id=activity.id), code=303)
    return _edit_page(form, assoc, None)


def _edit_page(form: ActivityForm, assoc: Association, activity: Activity | None):
    return render_template("associations/activity.html", form=form, association=assoc, activity=activity,
                           button_form=EmptyForm(), date_form=DateForm()), 400 if form.errors else 200


@bp.route("/activities/<int:activity_id>", methods=["GET", "POST"])
@accepts_files(PHOTO_UPLOAD_MAX)
@access.allow(access.writes_activities)
def activity(activity_id: int):
    """Change an activity (a published one stays published and is approved again)."""
    item = own_activity(activity_id)
    form = _form(item)
    if form.validate_on_submit():
        try:
            activities.update(db.session(), acting_user(), item, _input(form))
            _save_photo(form, item)
        except ServiceError as err:
            form_error(form, err)
        else:
            flash(_l("Your changes are saved."), "success")
            return redirect(url_for("associations.activity", activity_id=item.id), code=303)
    return _edit_page(form, item.association, item)


def _act(activity_id: int, action, done) -> Response:
    """A button on an activity (send for approval, cancel): the action, then back to it."""
    item = own_activity(activity_id)
    if EmptyForm().validate_on_submit():
        try:
            action(db.session(), acting_user(), item)
        except ServiceError as err:
            flash_error(err)
        else:
            flash(done, "success")
    return redirect(url_for("associations.activity", activity_id=item.id), code=303)


@bp.post("/activities/<int:activity_id>/submit")
@access.allow(access.writes_activities)
def submit(activity_id: int):
    """Send the activity for approval."""
    return _act(activity_id, activities.submit, _l("The activity is sent for approval."))


@bp.post("/activities/<int:activity_id>/cancel")
@access.allow(access.writes_activities)
def cancel(activity_id: int):
    """Cancel the whole activity."""
    return _act(activity_id, activities.cancel, _l("The activity is cancelled. Families can see that."))


@bp.post("/activities/<int:activity_id>/dates")
@access.allow(access.writes_activities)
def cancel_date(activity_id: int):
    """Cancel one date of a weekly activity, or bring it back."""
    item = own_activity(activity_id)
    form = DateForm()
    if form.validate_on_submit():
        try:
            activities.cancel_date(db.session(), acting_user(), item, form.on.data, cancelled=form.cancelled.data)
        except ServiceError as err:
            flash_error(err)
        else:
            flash(_l("The date is cancelled.") if form.cancelled.data else _l("The date takes place again."),
                  "success")
    else:
        flash(_l("Write a date."), "error")
    return redirect(url_for("associations.activity", activity_id=item.id), code=303)


@bp.get("/activities/<int:activity_id>/photo")
@access.allow(access.sees_unpublished_activities)
def photo(activity_id: int):
    """The activity's photo in any state: for its editors, and for those who approve it."""
    item = found(db.session().get(Activity, activity_id))
    if not access.may_see_unpublished_activity(acting_user(), item):
        abort(403)
    return photo_response(item)
