"""Short notices by e-mail about what was just stored. They say that
something arrived and link to it; the details stay behind the login."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import force_locale, gettext

from portal.models import Hospital
from portal.services import mail as mail_service
from portal.services.mail import Mail


def urgent_referral_notice(settings: Mapping[str, Any], base_url: str, inquiry_id: int,
                           hospital: Hospital | None) -> Mail | None:
    """The counsellors' notice of an urgent referral, or None when the
    hospital does not want one or there is no shared address to send it to.

    It names the hospital and links to the inquiry, nothing else: no name,
    phone, topic or text, since mail leaves our systems."""
    address = settings.get("COUNSELLORS_EMAIL")
    if hospital is None or not hospital.urgent_notice or not address:
        return None
    link = f"{base_url.rstrip('/')}/staff/inquiries/{int(inquiry_id)}"
    # The counsellors work in Danish; the notice is sent outside any page.
    with force_locale("da"):
        subject = gettext("Urgent referral from %(hospital)s", hospital=hospital.name)
        lines = [
            gettext("An urgent referral from %(hospital)s has arrived.", hospital=hospital.name),
            "",
            gettext("See the referral (log in first):"),
            link,
        ]
    return Mail(to=[address], subject=subject, text="\n".join(lines) + "\n")


def send_urgent_referral_notice(settings: Mapping[str, Any], base_url: str, inquiry_id: int,
                                hospital: Hospital | None) -> None:
    """Build and send the urgent-referral notice, if one is due (run by
    ``db.after_commit``, which logs a failure and keeps the referral)."""
    notice = urgent_referral_notice(settings, base_url, inquiry_id, hospital)
    if notice is not None:
        mail_service.send(settings, notice)
