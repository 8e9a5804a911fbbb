"""Forms of the family's satisfaction survey: type the code, answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal import limits
from portal.forms import LINE, TEXT, OptionalRadio, PublicForm, SurveyForm, at_most, options
from portal.vocab.survey_public import FAMILY_SURVEY_QUESTIONS, SURVEY_ANSWERS


def _likert(question: str) -> OptionalRadio:
    return OptionalRadio(FAMILY_SURVEY_QUESTIONS[question], choices=options(SURVEY_ANSWERS))


class SurveyCodeForm(PublicForm):
    """The code from the paper slip or the text message."""

    code = StringField(
        _l("Your survey code"), filters=LINE,
        validators=[DataRequired(_l("Write your code.")),
                    Length(max=limits.RECEIPT_INPUT_MAX, message=_l("The code is too long."))],
    )


class FamilySurveyForm(SurveyForm):
    """Four statements on the agree–disagree scale and one free text, every one optional."""

    QUESTIONS = tuple(FAMILY_SURVEY_QUESTIONS)

    felt_welcome = _likert("felt_welcome")
    understood = _likert("understood")
    helped = _likert("helped")
    recommend = _likert("recommend")
    free_text = TextAreaField(_l("Is there anything else you want to tell us? (optional)"), filters=TEXT,
                              validators=[at_most(limits.SURVEY_TEXT_MAX)])
