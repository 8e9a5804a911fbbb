"""Forms of the staff area, one per use case."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, EmailField, IntegerField, PasswordField, RadioField, StringField,
                     TextAreaField)
from wtforms.validators import (DataRequired, Email, InputRequired, Length,
                                NumberRange, Optional)
from wtforms.widgets import HiddenInput

from portal.forms import LINE, TEXT, MultiCheckboxField, Select, options
from portal.vocab import CONTACT_REASONS
from portal.vocab_case import (AGE_BANDS, ATTEMPT_METHODS, CHANNELS,
                               CIVIL_STATUS, CLOSURE_REASONS, EDUCATION,
                               EMPLOYMENT, GENDER, HEARD_FROM, INCOME_SOURCE,
                               NOT_STATED, ONWARD_REFERRALS, ROLES)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), filters=LINE,
                       validators=[DataRequired(_l("Write your e-mail address."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Write your password."))])


class CodeForm(FlaskForm):
    code = StringField(_l("Code from the authenticator app"), filters=LINE,
                       validators=[DataRequired(_l("Write the six digits from the app."))])


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Choose a password."))])
    confirm = PasswordField(_l("Repeat the new password"), validators=[DataRequired(_l("Repeat the password."))])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and self.password.data != self.confirm.data:
            self.confirm.errors = [_l("The two passwords are not the same.")]
            return False
        return ok


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(_l("Write your current password."))])


class LanguageForm(FlaskForm):
    language = Select(_l("Language of the staff pages"),
                      choices=options({"da": "Dansk", "en": "English"}))


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail address"), filters=LINE,
                       validators=[DataRequired(_l("Write an e-mail address.")),
                                   Email(_l("Write a valid e-mail address."), check_deliverability=False)])
    name = StringField(_l("Name"), filters=LINE, validators=[DataRequired(_l("Write a name.")), Length(max=120)])
    role = Select(_l("Role"), choices=options(ROLES), validators=[DataRequired(_l("Choose a role."))])
    hospital = Select(_l("Hospital (referrers)"), validators=[Optional()])
    association = Select(_l("Local association (association editors)"), validators=[Optional()])


class AnswerForm(FlaskForm):
    body = TextAreaField(_l("Answer"), filters=TEXT,
                         validators=[DataRequired(_l("Write an answer.")), Length(max=5000)])


class AttemptForm(FlaskForm):
    method = RadioField(_l("How"), choices=options(ATTEMPT_METHODS),
                        validators=[InputRequired(_l("Choose how you tried."))])
    reached = RadioField(_l("Reached?"), choices=options({"yes": _l("Reached"), "no": _l("Not reached")}),
                         validators=[InputRequired(_l("Say whether you reached the family."))])
    note = StringField(_l("Short note (optional)"), filters=LINE,
                       validators=[Optional(), Length(max=200, message=_l("At most %(max)d characters.", max=200))])


class CloseForm(FlaskForm):
    reason = Select(_l("Closure reason"), choices=options([("", _l("Choose"))] + list(CLOSURE_REASONS.items())),
                    validators=[DataRequired(_l("Choose a reason."))])


class ReassignForm(FlaskForm):
    counsellor = Select(_l("Give to"), validators=[DataRequired(_l("Choose a counsellor."))])


class EmptyForm(FlaskForm):
    """Buttons that only need CSRF (claim, release, open case)."""


def _coded(mapping) -> list:
    return options([("", NOT_STATED)] + list(mapping.items()))


_COUNT = [Optional(), NumberRange(min=0, max=20, message=_l("Write a number from 0 to 20."))]


class CaseForm(FlaskForm):
    """The evaluation fields; every one optional, blank = not stated."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired(_l("Reload the page and try again."))])
    hospital_id = Select(_l("Hospital"), validators=[Optional()])
    channel = Select(_l("Channel"), choices=_coded(CHANNELS), validators=[Optional()])
    heard_from = Select(_l("Heard of the offer from"), choices=_coded(HEARD_FROM), validators=[Optional()])
    gender = Select(_l("Gender"), choices=_coded(GENDER), validators=[Optional()])
    age_band = Select(_l("Age band"), choices=_coded(AGE_BANDS), validators=[Optional()])
    birth_year = IntegerField(_l("Year of birth"), validators=[
        Optional(), NumberRange(min=1940, max=date.today().year, message=_l("Write a year like 1994."))])
    pregnant_at_start = RadioField(_l("Pregnant at start"), choices=options(
        {"": NOT_STATED, "yes": _l("Yes"), "no": _l("No")}), default="", validators=[Optional()])
    children_0_3 = IntegerField(_l("Children 0–3 years"), validators=_COUNT)
    children_4_6 = IntegerField(_l("Children 4–6 years"), validators=_COUNT)
    children_7_12 = IntegerField(_l("Children 7–12 years"), validators=_COUNT)
    children_13_18 = IntegerField(_l("Children 13–18 years"), validators=_COUNT)
    children_unknown = IntegerField(_l("Children, age unknown"), validators=_COUNT)
    civil_status = Select(_l("Civil status"), choices=_coded(CIVIL_STATUS), validators=[Optional()])
    employment = Select(_l("Employment"), choices=_coded(EMPLOYMENT), validators=[Optional()])
    income_source = Select(_l("Source of income"), choices=_coded(INCOME_SOURCE), validators=[Optional()])
    education = Select(_l("Education"), choices=_coded(EDUCATION), validators=[Optional()])
    contact_reasons = MultiCheckboxField(_l("Contact reasons"), choices=options(CONTACT_REASONS))
    onward_referrals = MultiCheckboxField(_l("Referred on to"), choices=options(ONWARD_REFERRALS))
    closure_reason = Select(_l("Closure reason"), choices=_coded(CLOSURE_REASONS), validators=[Optional()])
    closed_on = DateField(_l("Closed on"), validators=[Optional()])


class NoteForm(FlaskForm):
    noted_on = DateField(_l("Date"), default=date.today, validators=[DataRequired(_l("Write a date."))])
    body = TextAreaField(_l("Note"), filters=TEXT, validators=[DataRequired(_l("Write the note.")), Length(
        max=2000, message=_l("At most %(max)d characters.", max=2000))])
