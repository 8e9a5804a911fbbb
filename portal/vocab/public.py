"""Labels of the code lists families see (gettext domain "messages").

Codes go into the database and exports; labels are shown."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CONTACT_REASONS = {
    "pregnancy_birth": _l("Pregnancy and birth"),
    "economy": _l("Money and finances"),
    "housing": _l("Housing"),
    "network": _l("Network and loneliness"),
    "relationship": _l("Relationship and living together"),
    "separation": _l("Break-up and divorce"),
    "parenting": _l("Being a parent"),
    "parental_leave": _l("Parental leave and parental benefits"),
    "work_education": _l("Work and education"),
    "rights": _l("Social rights and the authorities"),
    "family_forms": _l("New kinds of families"),
    "violence": _l("Violence in close relationships"),
    "grief": _l("Grief and loss"),
    "migration": _l("Residence and settling in Denmark"),
    "other": _l("Something else"),
}

PREGNANCY_STATUS = {
    "pregnant": _l("I am pregnant (or my partner is)"),
    "parent": _l("We have a baby"),
    "unknown": _l("I would rather not say"),
}

BEST_TIMES = {
    "morning": _l("Morning (9–12)"),
    "afternoon": _l("Afternoon (12–16)"),
    "any": _l("Any time in opening hours"),
}
