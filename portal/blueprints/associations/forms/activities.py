"""An activity as its association's editor writes it, and its use counts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, RadioField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from portal.forms import LINE, TEXT, Form, MultiCheckboxField, Select, at_most, options
from portal.models.activity import (
    DESCRIPTION_MAX,
    MUNICIPALITIES,
    NOTE_MAX,
    PLACE_MAX,
    SHORT_MAX,
    TITLE_MAX,
    USAGE_MAX,
)
from portal.vocab.activities import AUDIENCES, JOIN_METHODS

_DATE = _l("Write a date.")
_COUNT = [InputRequired(_l("Write a number.")),
          NumberRange(min=0, max=USAGE_MAX, message=_l("Write a number from 0 to %(max)d.", max=USAGE_MAX))]


class ActivityForm(Form):
    title = StringField(_l("Title"), filters=LINE, validators=[DataRequired(_l("Write a title.")), at_most(TITLE_MAX)])
    description = TextAreaField(_l("Description"), filters=TEXT, validators=[Optional(), at_most(DESCRIPTION_MAX)])
    text_language = Select(_l("Language of the text"), validators=[DataRequired()])
    starts_on = DateField(_l("Date (the first date, if it repeats)"), validators=[InputRequired(_DATE)])
    start_time = TimeField(_l("Starts at"), validators=[InputRequired(_l("Write the time it starts."))])
    end_time = TimeField(_l("Ends at"), validators=[Optional()])
    weekly = BooleanField(_l("Repeats every week"))
    repeat_until = DateField(_l("Last date of the repeats"), validators=[Optional()])
    online = BooleanField(_l("Online"))
    address = StringField(_l("Address"), filters=LINE, validators=[Optional(), at_most(PLACE_MAX)])
    municipality = Select(_l("Municipality"), choices=options([("", "—")] + list(MUNICIPALITIES.items())),
                          validators=[Optional()])
    audiences = MultiCheckboxField(_l("For whom"), choices=options(AUDIENCES))
    languages = MultiCheckboxField(_l("Languages spoken there"))
    price_dkk = IntegerField(_l("Price in kroner (leave empty if it is free)"),
                             validators=[Optional(), NumberRange(min=0, max=100_000,
                                                                message=_l("Write an amount in whole kroner."))])
    join_method = RadioField(_l("How families join"), choices=options(JOIN_METHODS), default="just_come",
                             validators=[InputRequired(_l("Choose how families join."))])
    join_contact = StringField(_l("Who to contact, and how"), filters=LINE,
                               validators=[Optional(), at_most(SHORT_MAX)])
    places = IntegerField(_l("Number of places"), validators=[Optional(), NumberRange(
        min=1, max=10_000, message=_l("Write a number of places of at least 1, or leave it empty."))])
    accessibility = TextAreaField(_l("Accessibility"), filters=TEXT, validators=[Optional(), at_most(NOTE_MAX)])
    photo = FileField(_l("Photo (JPEG or PNG, at most 5 MB)"))
    photo_alt = StringField(_l("What the photo shows (for people who cannot see it)"), filters=LINE,
                            validators=[Optional(), at_most(SHORT_MAX)])
    remove_photo = BooleanField(_l("Remove the photo"))


class DateForm(Form):
    """Cancel or bring back one date of a weekly activity."""

    on = DateField(_l("Date"), validators=[InputRequired(_DATE)])
    cancelled = BooleanField(_l("Cancelled"))


class UsageForm(Form):
    on_date = Select(_l("Date"), validators=[DataRequired(_l("Choose a date."))])
    families = IntegerField(_l("Families"), validators=_COUNT)
    adults = IntegerField(_l("Adults"), validators=_COUNT)
    children = IntegerField(_l("Children"), validators=_COUNT)
    via_partnership = IntegerField(_l("Of these families: how many came through the counselling at the hospital"),
                                   validators=_COUNT)
