"""Choice lists built per request (they depend on the page's language)."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from flask_babel import get_locale
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from portal.forms import options
from portal.i18n import LANGUAGES

# Languages a family may ask to speak (codes; names come from Babel).
CONVERSATION_LANGUAGES = ("da", "en", "ar", "uk", "tr", "ur", "fa", "so", "pl", "ti", "ps", "ku")


def month_choices(today: date | None = None) -> list[SelectChoice]:
    """Twelve months back and ten ahead, named in the page's language."""
    today = today or date.today()
    months = []
    for offset in range(10, -13, -1):
        y, m = divmod(today.year * 12 + today.month - 1 + offset, 12)
        months.append((f"{y:04d}-{m + 1:02d}",
                       format_date(date(y, m + 1, 1), "LLLL y", locale=get_locale())))
    return options([("", _("Choose a month"))] + months)


def language_choices() -> list[SelectChoice]:
    """The languages a family may ask to speak, each named in itself where we ship it."""
    locale = get_locale()
    names = [(code, LANGUAGES.get(code) or locale.languages.get(code, code).capitalize())
             for code in CONVERSATION_LANGUAGES]
    return options(names + [("other", _("Another language"))])
