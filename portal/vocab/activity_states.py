"""Labels of an activity's states, for editors and staff (gettext domain "staff")."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUSES = {
    "draft": _l("Draft"),
    "pending": _l("Waiting for approval"),
    "published": _l("Published"),
    "rejected": _l("Sent back"),
    "cancelled": _l("Cancelled"),
    "past": _l("Past"),
    "changed": _l("Published, changes waiting for approval"),
}
