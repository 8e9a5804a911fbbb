"""Forms of a case: the evaluation fields and notes."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional
from wtforms.widgets import HiddenInput

from portal import limits
from portal.forms import TEXT, Form, MultiCheckboxField, Select, at_most, options
from portal.vocab.public import CONTACT_REASONS
from portal.vocab.staff import (
    AGE_BANDS,
    CHANNELS,
    CIVIL_STATUS,
    CLOSURE_REASONS,
    EDUCATION,
    EMPLOYMENT,
    GENDER,
    HEARD_FROM,
    INCOME_SOURCE,
    NOT_STATED,
    ONWARD_REFERRALS,
)


def _coded(mapping) -> list:
    return options([("", NOT_STATED)] + list(mapping.items()))


_COUNT = [Optional(), NumberRange(min=0, max=20, message=_l("Write a number from 0 to 20."))]


class CaseForm(Form):
    """The evaluation fields; every one optional, blank = not stated."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired(_l("Reload the page and try again."))])
    hospital_id = Select(_l("Hospital"), validators=[Optional()])
    channel = Select(_l("Channel"), choices=_coded(CHANNELS), validators=[Optional()])
    heard_from = Select(_l("Heard of the offer from"), choices=_coded(HEARD_FROM), validators=[Optional()])
    gender = Select(_l("Gender"), choices=_coded(GENDER), validators=[Optional()])
    age_band = Select(_l("Age band"), choices=_coded(AGE_BANDS), validators=[Optional()])
    birth_year = IntegerField(_l("Year of birth"), validators=[
        Optional(), NumberRange(min=1940, max=date.today().year, message=_l("Write a year like 1994."))])
    pregnant_at_start = RadioField(_l("Pregnant at start"), choices=options(
        {"": NOT_STATED, "yes": _l("Yes"), "no": _l("No")}), default="", validators=[Optional()])
    children_0_3 = IntegerField(_l("Children 0–3 years"), validators=_COUNT)
    children_4_6 = IntegerField(_l("Children 4–6 years"), validators=_COUNT)
    children_7_12 = IntegerField(_l("Children 7–12 years"), validators=_COUNT)
    children_13_18 = IntegerField(_l("Children 13–18 years"), validators=_COUNT)
    children_unknown = IntegerField(_l("Children, age unknown"), validators=_COUNT)
    civil_status = Select(_l("Civil status"), choices=_coded(CIVIL_STATUS), validators=[Optional()])
    employment = Select(_l("Employment"), choices=_coded(EMPLOYMENT), validators=[Optional()])
    income_source = Select(_l("Source of income"), choices=_coded(INCOME_SOURCE), validators=[Optional()])
    education = Select(_l("Education"), choices=_coded(EDUCATION), validators=[Optional()])
    contact_reasons = MultiCheckboxField(_l("Contact reasons"), choices=options(CONTACT_REASONS))
    onward_referrals = MultiCheckboxField(_l("Referred on to"), choices=options(ONWARD_REFERRALS))
    closure_reason = Select(_l("Closure reason"), choices=_coded(CLOSURE_REASONS), validators=[Optional()])
    closed_on = DateField(_l("Closed on"), validators=[Optional()])


class NoteForm(Form):
    noted_on = DateField(_l("Date"), default=date.today, validators=[DataRequired(_l("Write a date."))])
    body = TextAreaField(_l("Note"), filters=TEXT,
                         validators=[DataRequired(_l("Write the note.")), at_most(limits.CASE_NOTE_MAX)])
