"""Forms of the satisfaction surveys: a family's survey for a closed case,
the hospital staff's links, and the hospital staff's own survey."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from portal import limits
from portal.forms import TEXT, Form, OptionalRadio, Select, SurveyForm, at_most, options
from portal.i18n import LANGUAGES
from portal.vocab.staff import STAFF_SURVEY_QUESTIONS
from portal.vocab.survey_public import SURVEY_ANSWERS

STAFF_LINK_DAYS = 30


class SurveyOfferForm(Form):
    """A one-time survey for the family of a closed case, in their language."""

    language = Select(_l("The family's language"), choices=options(LANGUAGES),
                      validators=[DataRequired(_l("Choose a language."))])


class StaffLinkForm(Form):
    """A link for one hospital's staff, open for some days."""

    hospital = Select(_l("Hospital"), validators=[DataRequired(_l("Choose a hospital."))])
    days = IntegerField(_l("Open for how many days"), default=STAFF_LINK_DAYS, validators=[
        InputRequired(_l("Write a number of days.")),
        NumberRange(min=1, max=365, message=_l("Write a number from 1 to 365."))])


def _likert(question: str) -> OptionalRadio:
    return OptionalRadio(STAFF_SURVEY_QUESTIONS[question], choices=options(SURVEY_ANSWERS))


class StaffSurveyForm(SurveyForm):
    """The hospital staff's four statements and one free text, all optional."""

    QUESTIONS = tuple(STAFF_SURVEY_QUESTIONS)

    easy_to_refer = _likert("easy_to_refer")
    feedback_enough = _likert("feedback_enough")
    families_helped = _likert("families_helped")
    sparring_useful = _likert("sparring_useful")
    free_text = TextAreaField(_l("What could we do better? (optional)"), filters=TEXT,
                              validators=[at_most(limits.SURVEY_TEXT_MAX)])
