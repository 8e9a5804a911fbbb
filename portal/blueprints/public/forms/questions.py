"""Forms of anonymous questions: ask, enter the code, write back, delete."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal import limits
from portal.forms import LINE, TEXT, Form, MultiCheckboxField, PublicForm, Select, options
from portal.vocab.public import CONTACT_REASONS


def _length(minimum: int, maximum: int):
    return Length(
        min=minimum, max=maximum,
        message=_l("Write between %(min)d and %(max)d characters.", min=minimum, max=maximum),
    )


class AskForm(PublicForm):
    """Ask an anonymous question."""

    question = TextAreaField(
        _l("Your question"), filters=TEXT,
        validators=[DataRequired(_l("Write your question.")), _length(limits.QUESTION_MIN, limits.QUESTION_MAX)],
    )
    topics = MultiCheckboxField(
        _l("What is it about? (optional)"), choices=options(CONTACT_REASONS),
    )
    hospital = Select(_l("Hospital (optional)"), validators=[Optional()])


class ReceiptForm(PublicForm):
    """Read the answer: enter the code."""

    code = StringField(
        _l("Your code"), filters=LINE,
        validators=[DataRequired(_l("Write your code.")),
                    Length(max=limits.RECEIPT_INPUT_MAX, message=_l("The code is too long."))],
    )


class FollowUpForm(PublicForm):
    """A new message in the same thread; the code travels in a hidden field."""

    code = HiddenField(filters=LINE, validators=[DataRequired()])
    message = TextAreaField(
        _l("Write back"), filters=TEXT,
        validators=[DataRequired(_l("Write your message.")), _length(limits.MESSAGE_MIN, limits.MESSAGE_MAX)],
    )


class DeleteThreadForm(Form):
    """Deleting a question (asking, confirming, or going back): only the
    code, in a hidden field, never in the URL."""

    code = HiddenField(filters=LINE, validators=[DataRequired()])
