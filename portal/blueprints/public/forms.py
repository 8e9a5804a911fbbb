"""Forms of the public pages, one per use case."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, HiddenField, RadioField, StringField,
                     TextAreaField)
from wtforms.validators import (DataRequired, Email, InputRequired, Length,
                                Optional, ValidationError)

from portal.forms import LINE, TEXT, MultiCheckboxField, PublicForm, Select, options
from portal.vocab import BEST_TIMES, CONTACT_REASONS, PREGNANCY_STATUS

QUESTION_MIN, QUESTION_MAX = 10, 5000
MESSAGE_MAX = 5000
NOTE_MAX = 500


def _length(minimum: int, maximum: int):
    return Length(
        min=minimum, max=maximum,
        message=_l("Write between %(min)d and %(max)d characters.", min=minimum, max=maximum),
    )


class AskForm(PublicForm):
    """Stil et anonymt spørgsmål."""

    question = TextAreaField(
        _l("Your question"), filters=TEXT,
        validators=[DataRequired(_l("Write your question.")), _length(QUESTION_MIN, QUESTION_MAX)],
    )
    topics = MultiCheckboxField(
        _l("What is it about? (optional)"), choices=options(CONTACT_REASONS),
    )
    hospital = Select(_l("Hospital (optional)"), validators=[Optional()])


class ReceiptForm(PublicForm):
    """Læs svaret: enter the code."""

    code = StringField(
        _l("Your code"), filters=LINE,
        validators=[DataRequired(_l("Write your code.")), Length(max=64, message=_l("The code is too long."))],
    )


class FollowUpForm(PublicForm):
    """A new message in the same thread; the code travels in a hidden field."""

    code = HiddenField(filters=LINE, validators=[DataRequired()])
    message = TextAreaField(
        _l("Write back"), filters=TEXT,
        validators=[DataRequired(_l("Write your message.")), _length(2, MESSAGE_MAX)],
    )


_PHONE = re.compile(r"^\+?[0-9 ()\-.]{8,20}$")


def _phone_digits(value: str) -> int:
    return sum(ch.isdigit() for ch in value)


class ContactForm(PublicForm):
    """Bliv kontaktet."""

    nickname = StringField(
        _l("First name or nickname (optional)"), filters=LINE,
        validators=[Optional(), Length(max=80, message=_l("Write at most %(max)d characters.", max=80))],
    )
    phone = StringField(_l("Phone number"), filters=LINE, validators=[Optional()])
    email = StringField(
        _l("E-mail address"), filters=LINE,
        validators=[Optional(), Length(max=254, message=_l("Write at most %(max)d characters.", max=254)),
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
        validators=[Optional(), Length(max=NOTE_MAX, message=_l("Write at most %(max)d characters.", max=NOTE_MAX))],
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
