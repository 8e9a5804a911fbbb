"""Staff area: /staff/... for counsellors, leads and admins; login and
account pages for every kind of account."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from flask import (Blueprint, abort, current_app, flash, redirect, request,
                   session, url_for)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.before_request
def _expire_sessions():
    """Log out after STAFF_IDLE_MINUTES without a request, and in any case
    STAFF_SESSION_HOURS after logging in."""
    if not current_user.is_authenticated:
        return None
    now = time.time()
    idle = now - session.get("last_seen", 0) > current_app.config["STAFF_IDLE_MINUTES"] * 60
    too_old = now - session.get("login_at", 0) > current_app.config["STAFF_SESSION_HOURS"] * 3600
    if idle or too_old:
        from portal import db
        from portal.services import audit
        audit.record(db.session(), current_user._get_current_object(), "session.expired")
        db.commit()
        logout_user()
        session.clear()
        flash(_l("You were logged out because you were inactive for a while. Log in again."), "info")
        return redirect(url_for("staff.login"))
    session["last_seen"] = now
    return None


def roles_required(*roles: str) -> Callable:
    """Allow the view to logged-in accounts with one of these roles."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            from portal.extensions import login_manager
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def start_page_for(role: str) -> str:
    """Where each role lands after login."""
    return {
        "lead": url_for("staff.queue"),
        "counsellor": url_for("staff.queue"),
        "admin": url_for("staff.users"),
    }.get(role, url_for("staff.account"))


def safe_next(default: str) -> str:
    """A same-site path from ?next=, or the default."""
    target = request.args.get("next", "")
    if target.startswith("/staff/") and not target.startswith("//"):
        return target
    return default


from portal.blueprints.staff import admin, auth, views  # noqa: E402,F401
