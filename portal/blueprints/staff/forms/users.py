"""Forms of user administration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField
from wtforms.validators import DataRequired, Email, Optional

from portal import limits
from portal.forms import LINE, Form, Select, at_most, options
from portal.vocab.staff import ROLES


class InviteForm(Form):
    email = EmailField(_l("E-mail address"), filters=LINE,
                       validators=[DataRequired(_l("Write an e-mail address.")),
                                   Email(_l("Write a valid e-mail address."), check_deliverability=False)])
    name = StringField(_l("Name"), filters=LINE,
                       validators=[DataRequired(_l("Write a name.")), at_most(limits.USER_NAME_MAX)])
    role = Select(_l("Role"), choices=options(ROLES), validators=[DataRequired(_l("Choose a role."))])
    hospital = Select(_l("Hospital (referrers)"), validators=[Optional()])
    association = Select(_l("Local association (association editors)"), validators=[Optional()])
