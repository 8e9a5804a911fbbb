"""Form building blocks shared by the public and staff forms."""

from __future__ import annotations

import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, ValidationError, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from portal import page_cache
from portal.forms.messages import MESSAGES, NOT_A_CHOICE
from portal.signing import app_serializer
from portal.text import clean_line, clean_text

# Every text field goes through one of these filters.
TEXT = [clean_text]
LINE = [clean_line]


_NOT_A_CHOICE = NOT_A_CHOICE


class Form(FlaskForm):
    """Every form of the portal: WTForms' own messages in our words and
    languages (portal/forms/messages.py)."""

    class Meta:
        def get_translations(self, form):
            return MESSAGES


def options(pairs) -> list[SelectChoice]:
    """Choices from (value, label) pairs or a {value: label} mapping."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]


def at_most(maximum: int) -> Length:
    """A length limit with our translated message (limits in portal.limits)."""
    return Length(max=maximum, message=_l("Write at most %(max)d characters.", max=maximum))


def _allowed(field) -> set[str]:
    return {str(choice.value) for choice in field.choices or []}


class Select(SelectField):
    """A select whose error for an unknown value is ours (translated).
    Routes fill in data-driven choices before validating."""

    def pre_validate(self, form) -> None:
        if self.data in (None, ""):
            return
        if self.data not in _allowed(self):
            raise ValidationError(_NOT_A_CHOICE)


class OptionalRadio(RadioField):
    """Radio buttons that may be left unanswered; an unknown value gets our
    (translated) error."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, validate_choice=False, **kwargs)

    def pre_validate(self, form) -> None:
        if self.data not in (None, "") and self.data not in _allowed(self):
            raise ValidationError(_NOT_A_CHOICE)


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes for one list of codes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def process_formdata(self, valuelist) -> None:
        # Each value once: a repeated box must not count twice in the
        # statistics (and the list can be no longer than the choices).
        super().process_formdata(list(dict.fromkeys(valuelist)))

    def pre_validate(self, form) -> None:
        allowed = _allowed(self)
        if any(value not in allowed for value in self.data or []):
            raise ValidationError(_NOT_A_CHOICE)


def submitted(form: FlaskForm) -> bool:
    """On a page with several prefixed forms: was this one posted, and valid?
    Each such form carries ``<input type="hidden" name="form" value="PREFIX">``."""
    from flask import request
    prefix = (form._prefix or "").rstrip("-")
    return request.method == "POST" and request.form.get("form") == prefix and form.validate()


def _serializer() -> URLSafeTimedSerializer:
    """The signer of form start times."""
    return app_serializer("form-started")


def _started_now() -> str:
    return _serializer().dumps(time.time())


class PublicForm(Form):
    """A public form with a honeypot and a minimum fill time."""

    # Hidden from people (CSS and aria-hidden); bots fill it in.
    website = StringField(_l("Leave this field empty"))
    started = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Made afresh for each request a cached page is served to.
        self.started.data = page_cache.per_request(_started_now(), _started_now)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.website.data:
            self.form_errors.append(_l("Your message could not be sent. Please try again."))
            return False
        min_seconds = current_app.config["MIN_FILL_SECONDS"]
        if min_seconds and ok:
            if not self._filled_slowly_enough(min_seconds):
                self.form_errors.append(
                    _l("That was very quick. Please check what you wrote and send it again."))
                return False
        return ok

    def _filled_slowly_enough(self, min_seconds: float) -> bool:
        from flask import request
        raw = request.form.get("started", "")
        try:
            started = float(_serializer().loads(raw, max_age=24 * 3600))
        except (BadSignature, ValueError, TypeError):
            return False
        return time.time() - started >= min_seconds


class SurveyForm(PublicForm):
    """A satisfaction survey: one OptionalRadio per code in QUESTIONS, and a free text."""

    QUESTIONS: tuple[str, ...] = ()

    def answers(self) -> dict[str, str | None]:
        return {question: self[question].data for question in self.QUESTIONS}
