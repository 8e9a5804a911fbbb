"""Referrers (hospital staff, mostly midwives): /refer/... Refer a family,
see that it was caught, ask the counsellors for sparring."""

from __future__ import annotations

from flask import Blueprint

from portal.blueprints.common import expire_idle_sessions, staff_labels

bp = Blueprint("referrers", __name__, url_prefix="/refer")
bp.before_request(expire_idle_sessions)
bp.context_processor(staff_labels)

# The feature modules register their routes on bp.
from portal.blueprints.referrers import courses, referrals, sparring  # noqa: E402,F401 - imported last to register their routes on bp
