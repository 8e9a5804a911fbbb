"""Staff area: /staff/... for counsellors, leads and admins; login and
account pages for every kind of account. One module per feature."""

from __future__ import annotations

import time

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from portal import access, db
from portal.models import User
from portal.services import audit
from portal.vocab import public as public_labels
from portal.vocab import staff as labels

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.before_request
def _expire_sessions() -> Response | None:
    """Log out after STAFF_IDLE_MINUTES without a request, and in any case
    STAFF_SESSION_HOURS after logging in."""
    if not current_user.is_authenticated:
        return None
    now = time.time()
    idle = now - session.get("last_seen", 0) > current_app.config["STAFF_IDLE_MINUTES"] * 60
    too_old = now - session.get("login_at", 0) > current_app.config["STAFF_SESSION_HOURS"] * 3600
    if idle or too_old:
        expired = audit.event(current_user._get_current_object(), "session.expired")
        db.record_apart(lambda: expired)
        logout_user()
        session.clear()
        flash(_l("You were logged out because you were inactive for a while. Log in again."), "info")
        return redirect(url_for("staff.login"))
    session["last_seen"] = now
    return None


@bp.context_processor
def _labels() -> dict:
    """The code lists' labels, for every staff template."""
    return {"kinds": labels.KINDS, "statuses": labels.STATUSES, "roles": labels.ROLES,
            "situation": labels.SITUATION, "closure_reasons": labels.CLOSURE_REASONS,
            "attempt_methods": labels.ATTEMPT_METHODS, "best_times": public_labels.BEST_TIMES}


def start_page_for(user: User) -> str:
    """Where an account lands after login."""
    if access.works_cases(user):
        return url_for("staff.queue")
    if access.manages_users(user):
        return url_for("staff.users")
    return url_for("staff.account")


def safe_next(default: str) -> str:
    """A same-site path from ?next=, or the default."""
    target = request.args.get("next", "")
    if target.startswith("/staff/") and not target.startswith("//"):
        return target
    return default


# The feature modules register their routes on bp.
from portal.blueprints.staff import account, auth, cases, inquiries, queue, users  # noqa: E402,F401 - imported last to register their routes on bp
