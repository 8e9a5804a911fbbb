"""The form of asking to be contacted ("Bliv kontaktet")."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Optional, ValidationError

from portal import limits
from portal.forms import LINE, TEXT, MultiCheckboxField, PublicForm, Select, at_most, options
from portal.vocab.public import BEST_TIMES, CONTACT_REASONS, PREGNANCY_STATUS

_PHONE = re.compile(r"^\+?[0-9 ()\-.]{8,20}$")


def _phone_digits(value: str) -> int:
    return sum(ch.isdigit() for ch in value)


class ContactForm(PublicForm):
    """Ask to be contacted."""

    nickname = StringField(
        _l("First name or nickname (optional)"), filters=LINE,
        validators=[Optional(), at_most(limits.NICKNAME_MAX)],
    )
    phone = StringField(_l("Phone number"), filters=LINE, validators=[Optional()])
    email = StringField(
        _l("E-mail address"), filters=LINE,
        validators=[Optional(), at_most(limits.EMAIL_MAX),
                    Email(message=_l("Write an e-mail address like name@example.dk."),
                          check_deliverability=False)],
    )
    may_leave_voicemail = BooleanField(_l("You may leave a message on my voicemail"))
    may_send_text = BooleanField(_l("You may send me a text message (SMS)"))
    best_times = MultiCheckboxField(_l("When is it best to call? (optional)"),
                                    choices=options(BEST_TIMES))
    hospital = Select(_l("Where are you giving birth, or where did you give birth?"),
                      validators=[Optional()])
    pregnancy_status = RadioField(
        _l("Are you pregnant or do you have a baby?"), choices=options(PREGNANCY_STATUS),
        validators=[InputRequired(_l("Choose one of the answers."))],
    )
    child_month = Select(_l("Due month, or the month your baby was born (optional)"),
                         validators=[Optional()])
    topics = MultiCheckboxField(_l("Choose one or more topics (optional)"),
                                choices=options(CONTACT_REASONS))
    note = TextAreaField(
        _l("Anything else we should know? (optional)"), filters=TEXT,
        validators=[Optional(), at_most(limits.CONTACT_NOTE_MAX)],
    )
    conversation_language = Select(_l("Which language would you like to speak?"),
                                   validators=[Optional()])
    interpreter_needed = BooleanField(_l("I would like an interpreter"))
    consent = BooleanField(
        _l("I agree that Mødrehjælpen stores these details to contact me"),
        validators=[DataRequired(_l("Tick the box so we may store your details and contact you."))],
    )

    def validate_phone(self, field) -> None:
        if field.data and not (_PHONE.match(field.data) and 8 <= _phone_digits(field.data) <= 15):
            raise ValidationError(_l("Write a phone number with at least 8 digits, for example 12 34 56 78."))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not self.phone.data and not self.email.data and not self.phone.errors and not self.email.errors:
            self.phone.errors = list(self.phone.errors) + [
                _l("Give us a phone number or an e-mail address, so we can reach you.")]
            ok = False
        return ok
