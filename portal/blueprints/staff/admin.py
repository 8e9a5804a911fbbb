"""User administration (leads, admins) and the audit trail (leads)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from portal import db
from portal.blueprints.staff import bp, roles_required
from portal.blueprints.staff.forms import EmptyForm, InviteForm
from portal.forms import options
from portal.models import Association, Case, User
from portal.services import ServiceError, accounts, audit, inquiries
from portal.vocab_case import ROLES

USER_ADMINS = ("lead", "admin")


def _invite_form() -> InviteForm:
    sess = db.session()
    form = InviteForm()
    form.hospital.choices = options([("", "—")] + [(h.code, h.name) for h in inquiries.hospitals(sess)])
    form.association.choices = options([("", "—")] + [
        (a.code, a.name) for a in sess.scalars(select(Association).where(Association.active.is_(True))
                                               .order_by(Association.name))])
    return form


def _setup_url(token: str) -> str:
    return url_for("staff.setup", t=token, _external=True)


@bp.route("/users", methods=["GET", "POST"])
@roles_required(*USER_ADMINS)
def users():
    """Everyone with an account; invite a new user."""
    sess = db.session()
    form = _invite_form()
    me = current_user._get_current_object()
    allowed = accounts.manageable_roles(me)
    form.role.choices = [c for c in form.role.choices if c.value in allowed]
    if form.validate_on_submit():
        try:
            accounts.check_may_manage(me, form.role.data)
            user, token = accounts.create_user(
                sess, email=form.email.data, role=form.role.data, name=form.name.data,
                hospital_code=form.hospital.data or None, association_code=form.association.data or None)
        except ServiceError as err:
            getattr(form, err.field or "email").errors = [err.message]
        else:
            audit.record(sess, current_user._get_current_object(), "user.create", user)
            db.commit()
            # Shown once; only its digest is stored.
            return render_template("staff/user_invited.html", user=user, setup_url=_setup_url(token))
    return render_template("staff/users.html", form=form, users=accounts.list_users(sess), roles=ROLES,
                           manageable=allowed,
                           button_form=EmptyForm(), is_locked=accounts.is_locked)


def _user_or_404(user_id: int) -> User:
    user = db.session().get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.post("/users/<int:user_id>/unlock")
@roles_required(*USER_ADMINS)
def unlock_user(user_id: int):
    """Lift a lock-out."""
    user = _user_or_404(user_id)
    if EmptyForm().validate_on_submit():
        accounts.unlock(user)
        audit.record(db.session(), current_user._get_current_object(), "user.unlock", user)
        db.commit()
        flash(_l("The account is unlocked."), "success")
    return redirect(url_for("staff.users"), code=303)


@bp.post("/users/<int:user_id>/setup-link")
@roles_required(*USER_ADMINS)
def new_setup_link(user_id: int):
    """A new set-up link (a forgotten password, a new phone)."""
    user = _user_or_404(user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if user.role not in accounts.manageable_roles(current_user._get_current_object()):
        abort(403)
    token = accounts.reset_for_setup(user)
    audit.record(db.session(), current_user._get_current_object(), "user.setup_link", user)
    db.commit()
    return render_template("staff/user_invited.html", user=user, setup_url=_setup_url(token))


@bp.get("/users/<int:user_id>/audit")
@roles_required("lead")
def user_audit(user_id: int):
    """What one account did."""
    user = _user_or_404(user_id)
    events = audit.for_user(db.session(), user.id)
    return render_template("staff/audit.html", events=events, subject_user=user, subject_case=None)


@bp.get("/cases/<int:case_id>/audit")
@roles_required("lead")
def case_audit(case_id: int):
    """Who read or changed a case, and its inquiry."""
    sess = db.session()
    case = sess.get(Case, case_id)
    if case is None:
        abort(404)
    events = list(audit.for_object(sess, "case", case.id))
    if case.inquiry_id:
        events += audit.for_object(sess, "inquiry", case.inquiry_id)
    events.sort(key=lambda e: e.id, reverse=True)
    return render_template("staff/audit.html", events=events, subject_user=None, subject_case=case)
