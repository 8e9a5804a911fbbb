"""What every audience's handlers share: the acting account, audited reads,
and putting a service's refusal on the page (which also rolls back)."""

from __future__ import annotations

import time
from typing import Any

from flask import abort, current_app, flash, redirect, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from portal import db
from portal.models import User
from portal.services import ServiceError, audit
from portal.services.deadlines import Promises


def acting_user() -> User:
    """The logged-in account as a model object (routes guarded by ``allow``)."""
    return current_user._get_current_object()


def audit_read(action: str, obj: object | None = None, **ids: Any) -> None:
    """Record that the acting account viewed something, in a transaction of
    its own: kept even when the request's action fails or is refused."""
    made = audit.event(acting_user(), action, obj, **ids)
    db.record_apart(lambda: made)


def promises() -> Promises:
    """The promises of this app's settings (working days, opening hours), built once."""
    built = current_app.extensions.get("promises")
    if built is None:
        built = current_app.extensions["promises"] = Promises.from_settings(current_app.config)
    return built


def found(obj: Any) -> Any:
    """The object, or a 404 page."""
    if obj is None:
        abort(404)
    return obj


def flash_error(err: ServiceError) -> None:
    """The service refused: roll its work back and say why on the next page."""
    db.rollback()
    flash(err.message, "error")


def form_error(form: FlaskForm, err: ServiceError) -> None:
    """The service refused: roll its work back and show why on the form, at
    the field it names (or above the form)."""
    db.rollback()
    field = getattr(form, err.field, None) if err.field else None
    if field is not None:
        field.errors = [*field.errors, err.message]
    else:
        form.form_errors.append(err.message)


def expire_idle_sessions() -> Response | None:
    """before_request of every logged-in area: log out after
    STAFF_IDLE_MINUTES without a request, and in any case
    STAFF_SESSION_HOURS after logging in."""
    if not current_user.is_authenticated:
        return None
    now = time.time()
    idle = now - session.get("last_seen", 0) > current_app.config["STAFF_IDLE_MINUTES"] * 60
    too_old = now - session.get("login_at", 0) > current_app.config["STAFF_SESSION_HOURS"] * 3600
    if idle or too_old:
        expired = audit.event(acting_user(), "session.expired")
        db.record_apart(lambda: expired)
        logout_user()
        session.clear()
        flash(_l("You were logged out because you were inactive for a while. Log in again."), "info")
        return redirect(url_for("staff.login"))
    session["last_seen"] = now
    return None


def staff_labels() -> dict:
    """Context processor of the logged-in areas: the code lists' labels."""
    from portal.vocab import public, staff
    return {"kinds": staff.KINDS, "statuses": staff.STATUSES, "roles": staff.ROLES,
            "situation": staff.SITUATION, "closure_reasons": staff.CLOSURE_REASONS,
            "attempt_methods": staff.ATTEMPT_METHODS, "best_times": public.BEST_TIMES,
            "feedback_codes": staff.FEEDBACK_CODES, "referral_statuses": staff.REFERRAL_STATUSES}


def photo_response(activity: Any) -> Response:
    """An activity's re-encoded photo with its own content type (never sniffed)."""
    from flask import make_response
    stored = found(activity.photo)
    response = make_response(stored.data)
    response.headers["Content-Type"] = stored.content_type
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = "no-store"
    return response
