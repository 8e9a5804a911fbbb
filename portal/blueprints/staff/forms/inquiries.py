"""Forms of working an inquiry."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from portal import limits
from portal.forms import LINE, TEXT, Form, Select, at_most, options
from portal.vocab.staff import ATTEMPT_METHODS, CLOSURE_REASONS, FEEDBACK_CODES


class AnswerForm(Form):
    body = TextAreaField(_l("Answer"), filters=TEXT,
                         validators=[DataRequired(_l("Write an answer.")), at_most(limits.MESSAGE_MAX)])


class AttemptForm(Form):
    method = RadioField(_l("How"), choices=options(ATTEMPT_METHODS),
                        validators=[InputRequired(_l("Choose how you tried."))])
    reached = RadioField(_l("Reached?"), choices=options({"yes": _l("Reached"), "no": _l("Not reached")}),
                         validators=[InputRequired(_l("Say whether you reached the family."))])
    note = StringField(_l("Short note (optional)"), filters=LINE,
                       validators=[Optional(), at_most(limits.ATTEMPT_NOTE_MAX)])


class CloseForm(Form):
    reason = Select(_l("Closure reason"), choices=options([("", _l("Choose"))] + list(CLOSURE_REASONS.items())),
                    validators=[DataRequired(_l("Choose a reason."))])


class ReassignForm(Form):
    counsellor = Select(_l("Give to"), validators=[DataRequired(_l("Choose a counsellor."))])


class FeedbackForm(Form):
    """The one line the referrer (and so the hospital) reads."""

    code = Select(_l("Feedback for the referrer"),
                  choices=options([("", _l("Choose"))] + list(FEEDBACK_CODES.items())),
                  validators=[DataRequired(_l("Choose a feedback line."))])
    text = StringField(_l("A few words more (optional)"), filters=LINE,
                       validators=[Optional(), at_most(limits.FEEDBACK_TEXT_MAX)])
