"""Login with password and TOTP, one-time set-up links, log-out, account."""

from __future__ import annotations

import time

from flask import (current_app, flash, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from portal import db
from portal.blueprints.staff import bp, roles_required, safe_next, start_page_for
from portal.blueprints.staff.forms import (ChangePasswordForm, CodeForm,
                                           EmptyForm, LanguageForm, LoginForm,
                                           SetPasswordForm)
from portal.extensions import limiter, login_manager
from portal.forms import submitted
from portal.i18n import STAFF_LANGUAGES
from portal.models import User
from portal.services import ServiceError, accounts, audit
from portal.vocab_case import ROLES

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


def _finish_login(user: User):
    target = safe_next(start_page_for(user.role))
    accounts.login_succeeded(user)
    audit.record(db.session(), user, "login.success", user)
    db.commit()
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
    user = _load_user(pending.get("user", ""))
    return user


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Step one: e-mail and password."""
    if current_user.is_authenticated:
        return redirect(start_page_for(current_user.role))
    form = LoginForm()
    if form.validate_on_submit():
        sess = db.session()
        try:
            user = accounts.authenticate(sess, form.email.data, form.password.data)
        except accounts.LoginRefused as refused:
            audit.record(sess, refused.user, f"login.failure.{refused.reason}",
                         refused.user if refused.user else None)
            db.commit()
            form.form_errors.append(refused.message)
        else:
            if not user.needs_totp:
                return _finish_login(user)
            if not user.totp_confirmed:
                # Two-factor is set up only through a set-up link, never by
                # someone who merely knows the password.
                refused = accounts.LoginRefused("no_totp", user)
                audit.record(sess, user, "login.failure.no_totp", user)
                db.commit()
                form.form_errors.append(refused.message)
                return render_template("staff/login.html", form=form)
            session["pending_login"] = {"user": user.get_id(), "at": time.time()}
            db.commit()
            return redirect(url_for("staff.login_code", next=request.args.get("next")))
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
            accounts.verify_totp(db.session(), user, form.code.data)
        except accounts.LoginRefused as refused:
            audit.record(db.session(), user, f"login.failure.{refused.reason}", user)
            db.commit()
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
    sess = db.session()
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            if user.needs_totp:
                accounts.set_password(user, form.password.data)
            else:
                accounts.complete_setup(user, form.password.data)
        except ServiceError as err:
            form.password.errors = [err.message]
        else:
            audit.record(sess, user, "password.set", user)
            db.commit()
            if user.needs_totp:
                session["setup_password_set"] = True
                return redirect(url_for("staff.setup_2fa"), code=303)
            _fresh_session()
            flash(_l("Your password is saved. Log in now."), "success")
            return redirect(url_for("staff.login"))
    return render_template("staff/setup.html", form=form, user=user)


@bp.route("/setup/2fa", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def setup_2fa():
    """Second step of the set-up link: connect an authenticator app."""
    user = _setup_user()
    if user is None:
        return render_template("staff/setup_invalid.html"), 404
    if not session.get("setup_password_set") or not user.needs_totp:
        return redirect(url_for("staff.setup"), code=303)
    sess = db.session()
    if not user.totp_secret:
        user.totp_secret = accounts.new_totp_secret()
        db.commit()
    form = CodeForm()
    if form.validate_on_submit():
        try:
            accounts.confirm_totp(user, user.totp_secret, form.code.data)
        except ServiceError as err:
            form.code.errors = [err.message]
        else:
            accounts.finish_setup(user)
            audit.record(sess, user, "totp.enable", user)
            db.commit()
            _fresh_session()
            flash(_l("Your account is ready. Log in now."), "success")
            return redirect(url_for("staff.login"))
    uri = accounts.totp_uri(user, user.totp_secret)
    return render_template("staff/totp_setup.html", form=form, qr_svg=accounts.totp_qr_svg(
        uri, title=_("QR code for your authenticator app")),
                           secret=user.totp_secret)


@bp.post("/logout")
def logout():
    """Log out this session."""
    form = EmptyForm()
    if current_user.is_authenticated and form.validate_on_submit():
        user = current_user._get_current_object()
        # The session lives in a signed cookie; bumping the version makes any
        # copy of it worthless (and ends the account's other sessions too).
        accounts.end_sessions(user)
        audit.record(db.session(), user, "logout")
        db.commit()
        logout_user()
        session.clear()
        flash(_l("You are logged out."), "success")
    return redirect(url_for("staff.login"))


@bp.route("/account", methods=["GET", "POST"])
@roles_required()
def account():
    """Your account: password and language."""
    user = current_user._get_current_object()
    password_form = ChangePasswordForm(prefix="pw")
    language_form = LanguageForm(prefix="lang", language=user.language)
    if submitted(password_form):
        try:
            accounts.change_password(user, password_form.current_password.data, password_form.password.data)
        except ServiceError as err:
            getattr(password_form, err.field or "password").errors = [err.message]
        else:
            audit.record(db.session(), user, "password.change", user)
            db.commit()
            login_user(user)  # this session goes on with the new version; all others end
            flash(_l("Your password is changed. You are logged out everywhere else."), "success")
            return redirect(url_for("staff.account"))
    elif submitted(language_form):
        user.language = language_form.language.data
        session["staff_lang"] = user.language
        audit.record(db.session(), user, "account.language", user)
        db.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("staff.account"))
    return render_template("staff/account.html", password_form=password_form,
                           language_form=language_form, user=user, roles=ROLES)


@bp.get("/language/<code>")
def set_language(code: str):
    """Choose Danish or English before logging in."""
    if code in STAFF_LANGUAGES:
        session["staff_lang"] = code
    return redirect(url_for("staff.login"))
