"""The referral form: under a minute for a practised midwife."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Email, Optional

from portal import limits
from portal.forms import LINE, TEXT, Form, MultiCheckboxField, Select, at_most, options
from portal.vocab.public import BEST_TIMES, CONTACT_REASONS
from portal.vocab.staff import URGENCY

_PHONE = re.compile(r"^\+?[0-9 ()\-.]{8,20}$")
SITUATIONS = {"pregnant": _l("Pregnant"), "parent": _l("Has a baby")}


class ReferralForm(Form):
    """Refer a family: nothing mandatory beyond contact, consent and one topic."""

    first_name = StringField(_l("The family's first name (optional)"), filters=LINE,
                             validators=[Optional(), at_most(limits.NICKNAME_MAX)])
    phone = StringField(_l("Phone number"), filters=LINE, validators=[Optional()])
    email = StringField(_l("E-mail address"), filters=LINE,
                        validators=[Optional(), at_most(limits.EMAIL_MAX),
                                    Email(_l("Write an e-mail address like name@example.dk."),
                                          check_deliverability=False)])
    may_leave_voicemail = BooleanField(_l("We may leave a voicemail"))
    may_send_text = BooleanField(_l("We may send a text message"))
    best_times = MultiCheckboxField(_l("Best time to call (optional)"), choices=options(BEST_TIMES))
    conversation_language = Select(_l("Language of the conversation"), validators=[Optional()])
    interpreter_needed = BooleanField(_l("Needs an interpreter"))
    pregnancy_status = RadioField(_l("Pregnant or parent"), choices=options(SITUATIONS), default="pregnant",
                                  validators=[Optional()])
    child_month = Select(_l("Due month, or the month the baby was born (optional)"), validators=[Optional()])
    topics = MultiCheckboxField(_l("What should we help with?"), choices=options(CONTACT_REASONS))
    reason = TextAreaField(_l("A few words on why (optional)"), filters=TEXT,
                           validators=[Optional(), at_most(limits.REFERRAL_REASON_MAX)])
    urgency = RadioField(_l("How soon?"), choices=options(URGENCY), default="normal",
                         validators=[DataRequired(_l("Choose how soon."))])
    family_agreed = BooleanField(
        _l("The family has agreed that Mødrehjælpen contacts them"),
        validators=[DataRequired(_l("Confirm that the family has agreed to be contacted by Mødrehjælpen."))])

    def validate_phone(self, field: StringField) -> None:
        """Eight digits or more, as people write them."""
        digits = sum(ch.isdigit() for ch in field.data or "")
        if field.data and not (_PHONE.match(field.data) and 8 <= digits <= 15):
            raise ValidationError(_l("Write a phone number with at least 8 digits, for example 12 34 56 78."))

    def validate_topics(self, field: MultiCheckboxField) -> None:
        """At least one topic, so the right counsellor calls."""
        if not field.data:
            raise ValidationError(_l("Choose at least one topic."))

    def validate(self, extra_validators: dict | None = None) -> bool:
        """Also: a phone number or an e-mail address."""
        ok = super().validate(extra_validators)
        if not self.phone.data and not self.email.data and not self.phone.errors and not self.email.errors:
            self.phone.errors = [*self.phone.errors, _l("Give the family's phone number or e-mail address.")]
            ok = False
        return ok
