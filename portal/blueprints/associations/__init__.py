"""Local associations' editors: /association/... Write the association's
activities, send them for approval, cancel dates, record how many came.
An editor sees only their own association (access.may_edit_association)."""

from __future__ import annotations

from flask import Blueprint, abort

from portal import access, db
from portal.blueprints.common import acting_user, expire_idle_sessions, found, staff_labels
from portal.models import Activity, Association

bp = Blueprint("associations", __name__, url_prefix="/association")
bp.before_request(expire_idle_sessions)
bp.context_processor(staff_labels)


@bp.app_context_processor
def _activity_state() -> dict:
    """``activity_state(activity)``: the label editors and staff read for where an activity stands."""
    from portal.services import activity_calendar
    from portal.vocab.activity_states import STATUSES

    def activity_state(activity: Activity) -> str:
        code = activity.status
        if code == "published" and activity.changed_since_review:
            code = "changed"
        if code in ("published", "cancelled") and activity.last_date < activity_calendar.today():
            code = "past"
        return str(STATUSES[code])

    return {"activity_state": activity_state}


def own_association(association_id: int) -> Association:
    """The association, if the account may work on it (else 404 or 403)."""
    association = found(db.session().get(Association, association_id))
    if not access.may_edit_association(acting_user(), association):
        abort(403)
    return association


def own_activity(activity_id: int) -> Activity:
    """The activity, if it belongs to an association the account may work on."""
    activity = found(db.session().get(Activity, activity_id))
    if not access.may_edit_activity(acting_user(), activity):
        abort(403)
    return activity


# The feature modules register their routes on bp.
from portal.blueprints.associations import activities, usage  # noqa: E402,F401 - imported last to register their routes on bp
