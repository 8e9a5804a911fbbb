"""The public listing's filters: a GET form (no CSRF: it changes nothing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField
from wtforms.validators import Optional

from portal.forms import Form, Select, options
from portal.models.activity import MUNICIPALITIES
from portal.vocab.activities import AUDIENCES


class ActivityFilterForm(Form):
    class Meta:
        csrf = False

    municipality = Select(_l("Municipality"), validators=[Optional()])
    audience = Select(_l("For whom"), validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    free = BooleanField(_l("Free only"))

    def fill_choices(self, *, anywhere: str, anyone: str) -> None:
        self.municipality.choices = options([("", anywhere)] + list(MUNICIPALITIES.items()))
        self.audience.choices = options([("", anyone)] + list(AUDIENCES.items()))
