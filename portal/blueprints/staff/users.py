"""User administration (leads, admins) and one account's audit trail (leads)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from portal import access, db
from portal.blueprints.common import acting_user, form_error, found
from portal.blueprints.staff import bp
from portal.blueprints.staff.forms import EmptyForm
from portal.blueprints.staff.forms.users import InviteForm
from portal.forms import options
from portal.links import external_url
from portal.models import User
from portal.services import ServiceError, accounts, audit, inquiries


def _invite_form() -> InviteForm:
    """The invitation form, offering only roles the acting account may manage."""
    sess = db.session()
    form = InviteForm()
    form.hospital.choices = options([("", "—")] + [(h.code, h.name) for h in inquiries.hospitals(sess)])
    form.association.choices = options([("", "—")] + [(a.code, a.name) for a in accounts.associations(sess)])
    allowed = access.manageable_roles(acting_user())
    form.role.choices = [c for c in form.role.choices if c.value in allowed]
    return form


def _setup_url(token: str) -> str:
    return external_url("staff.setup", t=token)


@bp.route("/users", methods=["GET", "POST"])
@access.allow(access.manages_users)
def users():
    """Everyone with an account; invite a new user."""
    form = _invite_form()
    if form.validate_on_submit():
        try:
            user, token = accounts.invite(
                db.session(), acting_user(), email=form.email.data, role=form.role.data, name=form.name.data,
                hospital_code=form.hospital.data or None, association_code=form.association.data or None)
        except ServiceError as err:
            form_error(form, err)
        else:
            # Shown once; only its digest is stored.
            return render_template("staff/user_invited.html", user=user, setup_url=_setup_url(token))
    return render_template("staff/users.html", form=form, users=accounts.list_users(db.session()),
                           button_form=EmptyForm(), is_locked=accounts.is_locked)


@bp.post("/users/<int:user_id>/unlock")
@access.allow(access.manages_users)
def unlock_user(user_id: int):
    """Lift a lock-out (of an account this account may manage)."""
    user = found(db.session().get(User, user_id))
    if not access.may_manage(acting_user(), user):
        abort(403)
    if EmptyForm().validate_on_submit():
        accounts.unlock(user)
        audit.record(db.session(), acting_user(), "user.unlock", user)
        flash(_l("The account is unlocked."), "success")
    return redirect(url_for("staff.users"), code=303)


@bp.post("/users/<int:user_id>/setup-link")
@access.allow(access.manages_users)
def new_setup_link(user_id: int):
    """A new set-up link (a forgotten password, a new phone)."""
    user = found(db.session().get(User, user_id))
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not access.may_manage(acting_user(), user):
        abort(403)
    token = accounts.reset_for_setup(user)
    audit.record(db.session(), acting_user(), "user.setup_link", user)
    return render_template("staff/user_invited.html", user=user, setup_url=_setup_url(token))


@bp.get("/users/<int:user_id>/audit")
@access.allow(access.reads_audit)
def user_audit(user_id: int):
    """What one account did."""
    user = found(db.session().get(User, user_id))
    page = audit.for_user(db.session(), user.id, after=request.args.get("after", ""),
                          before=request.args.get("before", ""))
    return render_template("staff/audit.html", page=page, events=page.rows, subject_user=user, subject_case=None)
