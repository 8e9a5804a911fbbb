"""Login with password and TOTP, one-time set-up links, log-out, account."""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from portal import db
from portal.blueprints.common import acting_user, form_error
from portal.blueprints.staff import bp, safe_next, start_page_for
from portal.blueprints.staff.forms import EmptyForm
from portal.blueprints.staff.forms.auth import CodeForm, LoginForm, SetPasswordForm
from portal.extensions import limiter, login_manager
from portal.models import User
from portal.services import ServiceError, accounts, audit, two_factor

PENDING_SECONDS = 5 * 60


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """Sessions carry "id:session_version"; a password change ends the others."""
    try:
        ident, version = (int(part) for part in user_id.split(":", 1))
    except ValueError:
        return None
    user = db.session().get(User, ident)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _finish_login(user: User) -> Response:
    target = safe_next(start_page_for(user))
    accounts.login_succeeded(user)
    audit.record(db.session(), user, "login.success", user)
    session.clear()  # nothing planted before the login survives it
    session["staff_lang"] = user.language
    login_user(user)
    session["login_at"] = session["last_seen"] = time.time()
    return redirect(target)


def _pending_user() -> User | None:
    """The account that passed the password step, for a short while."""
    pending = session.get("pending_login") or {}
    if time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return _load_user(pending.get("user", ""))


def _refuse(form: LoginForm | CodeForm, refused: accounts.LoginRefused) -> None:
    """Audit a refused login. The failure count the service kept is part of
    the request's work and is committed, so it is not rolled back here."""
    audit.record(db.session(), refused.user, f"login.failure.{refused.reason}", refused.user)
    form.form_errors.append(refused.message)


def _after_password(form: LoginForm, user: User) -> Response | None:
    """Log in, or go on to the code step; None when refused."""
    if not user.needs_totp:
        return _finish_login(user)
    if not user.totp_confirmed:
        # Two-factor is set up only through a set-up link, never by
        # someone who merely knows the password.
        _refuse(form, accounts.LoginRefused("no_totp", user))
        return None
    session["pending_login"] = {"user": user.get_id(), "at": time.time()}
    return redirect(url_for("staff.login_code", next=request.args.get("next")))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Step one: e-mail and password."""
    if current_user.is_authenticated:
        return redirect(start_page_for(acting_user()))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(db.session(), form.email.data, form.password.data)
        except accounts.LoginRefused as refused:
            _refuse(form, refused)
        else:
            response = _after_password(form, user)
            if response is not None:
                return response
    return render_template("staff/login.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login_code():
    """Step two: the code from the authenticator app."""
    user = _pending_user()
    if user is None or not user.totp_confirmed:
        flash(_l("Log in again."), "info")
        return redirect(url_for("staff.login"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            two_factor.verify_totp(db.session(), user, form.code.data)
        except accounts.LoginRefused as refused:
            audit.record(db.session(), user, f"login.failure.{refused.reason}", user)
            if refused.reason == "locked":
                session.pop("pending_login", None)
                flash(refused.message, "error")
                return redirect(url_for("staff.login"))
            form.code.errors = [refused.message]
        else:
            return _finish_login(user)
    return render_template("staff/login_code.html", form=form)


def _fresh_session() -> None:
    """Drop everything from the session but the chosen language."""
    language = session.get("staff_lang")
    session.clear()
    if language:
        session["staff_lang"] = language


def _setup_user() -> User | None:
    """The account of the set-up link held in this session, if still valid."""
    return accounts.user_for_setup_token(db.session(), session.get("setup_token", ""))


def _password_saved(user: User) -> Response:
    audit.record(db.session(), user, "password.set", user)
    if user.needs_totp:
        session["setup_password_set"] = True
        return redirect(url_for("staff.setup_2fa"), code=303)
    _fresh_session()
    flash(_l("Your password is saved. Log in now."), "success")
    return redirect(url_for("staff.login"))


@bp.route("/setup", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def setup():
    """The one-time set-up link: choose a password (then two-factor, for the
    roles that need it). The link's token moves from the address into the
    session at once; the access log never records query strings."""
    token = request.args.get("t")
    if token:
        _fresh_session()
        session["setup_token"] = token
        return redirect(url_for("staff.setup"), code=303)
    user = _setup_user()
    if user is None:
        return render_template("staff/setup_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_password(user, form.password.data, finish=not user.needs_totp)
        except ServiceError as err:
            form_error(form, err)
        else:
            return _password_saved(user)
    return render_template("staff/setup.html", form=form, user=user)


@bp.route("/setup/2fa", methods=["GET", "POST"])
@db.writes  # the GET stores the new secret the QR code shows
@limiter.limit(_login_limit, methods=["POST"])
def setup_2fa():
    """Second step of the set-up link: connect an authenticator app."""
    user = _setup_user()
    if user is None:
        return render_template("staff/setup_invalid.html"), 404
    if not session.get("setup_password_set") or not user.needs_totp:
        return redirect(url_for("staff.setup"), code=303)
    secret = two_factor.pending_totp_secret(user)
    form = CodeForm()
    if form.validate_on_submit():
        try:
            two_factor.confirm_totp(user, secret, form.code.data)
        except ServiceError as err:
            form_error(form, err)
        else:
            audit.record(db.session(), user, "totp.enable", user)
            _fresh_session()
            flash(_l("Your account is ready. Log in now."), "success")
            return redirect(url_for("staff.login"))
    qr_svg = two_factor.totp_qr_svg(two_factor.totp_uri(user, secret), title=_("QR code for your authenticator app"))
    return render_template("staff/totp_setup.html", form=form, qr_svg=qr_svg, secret=secret)


@bp.post("/logout")
def logout():
    """Log out this session."""
    if current_user.is_authenticated and EmptyForm().validate_on_submit():
        user = acting_user()
        # The session lives in a signed cookie; bumping the version makes any
        # copy of it worthless (and ends the account's other sessions too).
        accounts.end_sessions(user)
        audit.record(db.session(), user, "logout")
        logout_user()
        session.clear()
        flash(_l("You are logged out."), "success")
    return redirect(url_for("staff.login"))
