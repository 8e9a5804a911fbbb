"""The hospitals' settings a lead keeps."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, TextAreaField

from portal.forms import TEXT, Form


class HospitalSettingsForm(Form):
    """Who gets the monthly status mail; whether urgent referrals are announced."""

    contact_emails = TextAreaField(_l("Addresses for the monthly status mail"), filters=TEXT)
    urgent_notice = BooleanField(_l("Tell the counsellors' shared address when an urgent referral arrives"))
