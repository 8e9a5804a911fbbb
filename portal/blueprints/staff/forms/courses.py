"""Forms of spor 2: a course, a session, a proposal, attendance."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, Regexp

from portal.forms import LINE, TEXT, Form, MultiCheckboxField, Select, at_most, options
from portal.i18n import LANGUAGES
from portal.models.course import FACILITATORS_MAX, PLACE_MAX, REASON_MAX, TITLE_MAX
from portal.services.courses import MAX_CAPACITY, MAX_STAY_NIGHTS
from portal.vocab.courses import AUDIENCES, FORMS, PLACES, THEMES

_TIME = [Optional(), Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", message=_l("Write a time like 17:30."))]


class CourseEditForm(Form):
    """A course or a stay offer (routes fill in the hospitals)."""

    title = StringField(_l("Title"), filters=LINE, validators=[DataRequired(_l("Write a title.")), at_most(TITLE_MAX)])
    description = TextAreaField(_l("Description"), filters=TEXT, validators=[Optional(), at_most(2000)])
    theme = Select(_l("Theme"), choices=options(THEMES), validators=[DataRequired(_l("Choose a theme."))])
    form = Select(_l("Form"), choices=options(FORMS), validators=[DataRequired(_l("Choose a form."))])
    audience = Select(_l("Target group"), choices=options(AUDIENCES),
                      validators=[DataRequired(_l("Choose a target group."))])
    language = Select(_l("Language of instruction"), choices=options(LANGUAGES), default="da",
                      validators=[DataRequired(_l("Choose a language."))])
    place_kind = Select(_l("Where"), choices=options(PLACES), validators=[DataRequired(_l("Choose where."))])
    place = StringField(_l("Address or room"), filters=LINE, validators=[Optional(), at_most(PLACE_MAX)])
    hospital_id = Select(_l("Hospital"), validators=[Optional()])
    facilitators = StringField(_l("Facilitators (names only)"), filters=LINE,
                               validators=[Optional(), at_most(FACILITATORS_MAX)])
    capacity = IntegerField(_l("Places (for a stay: rooms)"), validators=[
        InputRequired(_l("Write the number of places.")),
        NumberRange(min=1, max=MAX_CAPACITY, message=_l("Write a number from 1 to %(max)d.", max=MAX_CAPACITY))])
    max_nights = IntegerField(_l("Longest stay in nights (stays only)"), validators=[
        Optional(), NumberRange(min=1, max=MAX_STAY_NIGHTS,
                                message=_l("Write a number from 1 to %(max)d.", max=MAX_STAY_NIGHTS))])


class SessionForm(Form):
    held_on = DateField(_l("Date"), validators=[DataRequired(_l("Write a date."))])
    starts_at = StringField(_l("From (hh:mm)"), validators=_TIME)
    ends_at = StringField(_l("To (hh:mm)"), validators=_TIME)


class ProposeForm(Form):
    """Propose a family (routes fill in the families the account may propose)."""

    family = Select(_l("Family"), validators=[DataRequired(_l("Choose a family."))])
    reason = TextAreaField(_l("Why this course, in a sentence"), filters=TEXT,
                           validators=[DataRequired(_l("Write a short reason.")), at_most(REASON_MAX)])
    arrives_on = DateField(_l("Arrives on (stays only)"), validators=[Optional()])
    leaves_on = DateField(_l("Leaves on (stays only)"), validators=[Optional()])


class StatusForm(Form):
    status = HiddenField(validators=[DataRequired()])


class AttendanceForm(Form):
    """Who came (routes fill in the admitted families)."""

    present = MultiCheckboxField(_l("Came to the session"))


class NightsForm(Form):
    """The date range of the free-rooms table (a GET form)."""

    class Meta:
        csrf = False

    first = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])
