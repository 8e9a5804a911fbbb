"""Labels of the family's satisfaction survey (gettext domain "messages":
families read them in every public language; the lead's summary reuses them)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

FAMILY_SURVEY_QUESTIONS = {
    "felt_welcome": _l("I felt welcome"),
    "understood": _l("The counsellor understood my situation"),
    "helped": _l("The counselling helped me"),
    "recommend": _l("I would recommend the counselling to others"),
}

SURVEY_ANSWERS = {
    "strongly_agree": _l("Strongly agree"),
    "agree": _l("Agree"),
    "neutral": _l("Neither agree nor disagree"),
    "disagree": _l("Disagree"),
    "strongly_disagree": _l("Strongly disagree"),
}
