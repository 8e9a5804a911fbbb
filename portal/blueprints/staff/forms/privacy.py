"""Forms of a person's rights: the second step of an erasure."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from portal.forms import LINE, Form


class EraseConfirmForm(Form):
    """The lead types the label shown; the signed token names the subject."""

    token = HiddenField(validators=[DataRequired()])
    label = StringField(_l("Type the name to confirm"), filters=LINE,
                        validators=[DataRequired(_l("Type the name to confirm.")), Length(max=100)])
