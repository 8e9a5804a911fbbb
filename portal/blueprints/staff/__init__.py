"""Staff area: /staff/... for counsellors, leads and admins; login and
account pages for every kind of account. One module per feature."""

from __future__ import annotations

from flask import Blueprint, request, url_for

from portal import access
from portal.blueprints.common import expire_idle_sessions, staff_labels
from portal.models import User

bp = Blueprint("staff", __name__, url_prefix="/staff")


bp.before_request(expire_idle_sessions)
bp.context_processor(staff_labels)


def start_page_for(user: User) -> str:
    """Where an account lands after login."""
    if access.works_cases(user):
        return url_for("staff.queue")
    if access.refers(user):
        return url_for("referrers.index")
    if access.manages_users(user):
        return url_for("staff.users")
    if access.writes_activities(user):
        return url_for("associations.index")
    return url_for("staff.account")


def safe_next(default: str) -> str:
    """A same-site path from ?next=, or the default."""
    target = request.args.get("next", "")
    plain = target.isprintable() and "\\" not in target  # CR/LF would end up in the Location header
    own_area = target.startswith(("/staff/", "/refer/", "/association/"))
    if own_area and not target.startswith("//") and plain:
        return target
    return default


# The feature modules register their routes on bp, so they are imported last.
from portal.blueprints.staff import (
    account,
    activities,
    activity_referrals,
    associations,
    auth,
    cases,
    course_admissions,
    courses,
    exports,
    hospitals,
    inquiries,
    leaflets,
    privacy,
    queue,
    stats,
    surveys,
    users,
)
