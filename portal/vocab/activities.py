"""Labels of the activities' codes that families read (gettext domain "messages")."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

AUDIENCES = {
    "pregnant": _l("Pregnant"),
    "children_0_1": _l("Families with children aged 0–1"),
    "children_0_6": _l("Families with children aged 0–6"),
    "all_families": _l("All families"),
    "fathers": _l("Fathers"),
    "single_parents": _l("Single parents"),
}

JOIN_METHODS = {
    "just_come": _l("Just come"),
    "contact": _l("Contact us first"),
    "sign_up": _l("Sign up"),
}

WEEKDAYS = {
    0: _l("Every Monday"),
    1: _l("Every Tuesday"),
    2: _l("Every Wednesday"),
    3: _l("Every Thursday"),
    4: _l("Every Friday"),
    5: _l("Every Saturday"),
    6: _l("Every Sunday"),
}
