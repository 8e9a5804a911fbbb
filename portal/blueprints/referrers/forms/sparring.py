"""Asking the counsellors for advice (sparring)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal import limits
from portal.forms import TEXT, Form


class SparringForm(Form):
    """The question, and (after a warning) "send it anyway"."""

    question = TextAreaField(
        _l("Your question"), filters=TEXT,
        validators=[DataRequired(_l("Write your question.")),
                    Length(min=limits.SPARRING_MIN, max=limits.SPARRING_MAX,
                           message=_l("Write between %(min)d and %(max)d characters.",
                                      min=limits.SPARRING_MIN, max=limits.SPARRING_MAX))])
    send_anyway = BooleanField(_l("I have checked: the text does not identify the family"))
