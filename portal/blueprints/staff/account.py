"""Your account: password and language of the staff pages."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user

from portal import access, db
from portal.blueprints.common import acting_user, form_error
from portal.blueprints.staff import bp
from portal.blueprints.staff.forms.auth import ChangePasswordForm, LanguageForm
from portal.forms import submitted
from portal.i18n import STAFF_LANGUAGES
from portal.services import ServiceError, accounts, audit


@bp.route("/account", methods=["GET", "POST"])
@access.allow(access.any_account)
def account():
    """Your account: password and language."""
    user = acting_user()
    password_form = ChangePasswordForm(prefix="pw")
    language_form = LanguageForm(prefix="lang", language=user.language)
    if submitted(password_form):
        try:
            accounts.change_password(user, password_form.current_password.data, password_form.password.data)
        except ServiceError as err:
            form_error(password_form, err)
        else:
            audit.record(db.session(), user, "password.change", user)
            login_user(user)  # this session goes on with the new version; all others end
            flash(_l("Your password is changed. You are logged out everywhere else."), "success")
            return redirect(url_for("staff.account"))
    elif submitted(language_form):
        _save_language(language_form.language.data)
        return redirect(url_for("staff.account"))
    return render_template("staff/account.html", password_form=password_form,
                           language_form=language_form, user=user)


def _save_language(code: str) -> None:
    user = acting_user()
    user.language = code
    session["staff_lang"] = code
    audit.record(db.session(), user, "account.language", user)
    flash(_("Saved."), "success")


@bp.get("/language/<code>")
def set_language(code: str):
    """Choose Danish or English before logging in."""
    if code in STAFF_LANGUAGES:
        session["staff_lang"] = code
    return redirect(url_for("staff.login"))
