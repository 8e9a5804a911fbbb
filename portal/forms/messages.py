"""WTForms' own error messages, in our words and in every language we
ship. WTForms carries catalogs for some languages (not Danish, not Urdu)
and in the tone of a developer ("Not a valid integer value."); every form
here asks this table instead (``Form.Meta.get_translations``), so a family
reads "Skriv et helt tal." on a Danish page whatever validator speaks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

NOT_A_CHOICE = _l("Choose from the list.")
_CHECK = _l("Check what you wrote.")
_EXPIRED = _l("The page had expired. Reload the page and send it again.")

# WTForms' message (its msgid, singular form) -> ours, with the same placeholders.
OWN = {
    "Invalid field name '%s'.": _CHECK,
    "Field must be equal to %(other_name)s.": _l("The two fields must be the same."),
    "Field must be at least %(min)d character long.": _l("Write at least %(min)d characters."),
    "Field cannot be longer than %(max)d character.": _l("Write at most %(max)d characters."),
    "Field must be exactly %(max)d character long.": _l("Write exactly %(max)d characters."),
    "Field must be between %(min)d and %(max)d characters long.": _l("Write from %(min)d to %(max)d characters."),
    "Number must be at least %(min)s.": _l("Write a number of at least %(min)s."),
    "Number must be at most %(max)s.": _l("Write a number of at most %(max)s."),
    "Number must be between %(min)s and %(max)s.": _l("Write a number from %(min)s to %(max)s."),
    "Date must be at least %(min)s.": _l("Choose a date on or after %(min)s."),
    "Date must be at most %(max)s.": _l("Choose a date on or before %(max)s."),
    "Date must be between %(min)s and %(max)s.": _l("Choose a date from %(min)s to %(max)s."),
    "This field is required.": _l("Fill in this field."),
    "Invalid input.": _CHECK,
    "Invalid email address.": _l("Write an e-mail address like name@example.dk."),
    "Invalid IP address.": _CHECK,
    "Invalid Mac address.": _CHECK,
    "Invalid URL.": _l("Write a whole web address, starting with https://."),
    "Invalid UUID.": _CHECK,
    "Invalid value, must be one of: %(values)s.": NOT_A_CHOICE,
    "Invalid value, can't be any of: %(values)s.": _CHECK,
    "This field cannot be edited.": _CHECK,
    "This field is disabled and cannot have a value.": _CHECK,
    "Invalid CSRF Token.": _EXPIRED,
    "CSRF token missing.": _EXPIRED,
    "CSRF failed.": _EXPIRED,
    "CSRF token expired.": _EXPIRED,
    "Invalid Choice: could not coerce.": NOT_A_CHOICE,
    "Choices cannot be None.": NOT_A_CHOICE,
    "Not a valid choice.": NOT_A_CHOICE,
    "Invalid choice(s): one or more data inputs could not be coerced.": NOT_A_CHOICE,
    "'%(value)s' is not a valid choice for this field.": NOT_A_CHOICE,
    "Not a valid datetime value.": _l("Write a date and a time."),
    "Not a valid date value.": _l("Write a date as day, month and year."),
    "Not a valid time value.": _l("Write a time as hours and minutes."),
    "Not a valid week value.": _l("Write a week number."),
    "Not a valid integer value.": _l("Write a whole number."),
    "Not a valid decimal value.": _l("Write a number."),
    "Not a valid float value.": _l("Write a number."),
}


class FormMessages:
    """The translations object WTForms asks (gettext and ngettext)."""

    def gettext(self, string: str) -> str:
        return str(OWN.get(string, _CHECK))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        # Ours need no plural: "Write at most %(max)d characters." reads right for any number.
        return self.gettext(singular)


MESSAGES = FormMessages()
