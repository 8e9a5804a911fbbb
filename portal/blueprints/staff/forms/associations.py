"""Forms of the local associations (leads) and of the approval of activities."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Optional

from portal import limits
from portal.forms import LINE, TEXT, Form, MultiCheckboxField, at_most, options
from portal.models.activity import MUNICIPALITIES, REVIEW_NOTE_MAX


class AssociationForm(Form):
    name = StringField(_l("Name"), filters=LINE, validators=[DataRequired(_l("Write the association's name.")),
                                                             at_most(120)])
    municipalities = MultiCheckboxField(_l("Municipalities it covers"), choices=options(MUNICIPALITIES))
    contact_email = EmailField(_l("Contact e-mail"), filters=LINE, validators=[
        Optional(), Email(_l("Write a valid e-mail address."), check_deliverability=False), at_most(limits.EMAIL_MAX)])
    contact_phone = StringField(_l("Contact phone"), filters=LINE, validators=[Optional(), at_most(limits.PHONE_MAX)])
    description = TextAreaField(_l("Short description"), filters=TEXT, validators=[Optional(), at_most(2000)])


class EditorInviteForm(Form):
    email = EmailField(_l("E-mail address"), filters=LINE,
                       validators=[DataRequired(_l("Write an e-mail address.")),
                                   Email(_l("Write a valid e-mail address."), check_deliverability=False)])
    name = StringField(_l("Name"), filters=LINE,
                       validators=[DataRequired(_l("Write a name.")), at_most(limits.USER_NAME_MAX)])


class SendBackForm(Form):
    reason = TextAreaField(_l("Why? The editor sees this."), filters=TEXT,
                           validators=[DataRequired(_l("Write why, so the editor knows what to change.")),
                                       at_most(REVIEW_NOTE_MAX)])


class ApproveForm(Form):
    """Approve: carries which version of the activity the approver read."""

    seen = HiddenField()
