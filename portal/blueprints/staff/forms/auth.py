"""Forms of logging in, set-up links and the account page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired

from portal.forms import LINE, Form, Select, options


class LoginForm(Form):
    email = EmailField(_l("E-mail address"), filters=LINE,
                       validators=[DataRequired(_l("Write your e-mail address."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Write your password."))])


class CodeForm(Form):
    code = StringField(_l("Code from the authenticator app"), filters=LINE,
                       validators=[DataRequired(_l("Write the six digits from the app."))])


class SetPasswordForm(Form):
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


class LanguageForm(Form):
    language = Select(_l("Language of the staff pages"),
                      choices=options({"da": "Dansk", "en": "English"}))
