"""Printable leaflets: one A5 page per hospital and language, with a QR code
to the portal (for leads and referrers to hand out)."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from flask import abort, current_app, render_template
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from portal import access, db
from portal.blueprints.common import acting_user, found
from portal.blueprints.staff import bp
from portal.i18n import LANGUAGES, text_direction
from portal.models import Hospital, User
from portal.services import inquiries


def _printable(user: User) -> list[Hospital]:
    return [h for h in inquiries.hospitals(db.session()) if access.may_print_leaflet_for(user, h)]


def _languages() -> list[tuple[str, str, str]]:
    """(code, name in itself, direction) of every leaflet language."""
    return [(code, name, text_direction(code)) for code, name in LANGUAGES.items()]


def _hospital(code: str) -> Hospital | None:
    return next((h for h in inquiries.hospitals(db.session()) if h.code == code), None)


def leaflet_url(hospital: Hospital, lang: str) -> str:
    """Where the QR code leads: the front page in the leaflet's language with
    the hospital's code, and nothing else (no campaign, no leaflet id)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    return f"{base}/{lang}/?{urlencode({'h': hospital.code})}"


def qr_svg(url: str) -> Markup:
    """The QR code as inline SVG, drawn here (no external service); with a
    viewBox and no fixed size, so the print stylesheet sizes it."""
    svg = segno.make(url, error="m").svg_inline(dark="#000", light="#fff", omitsize=True,
                                                 title=url, svgclass="leaflet-qr-code")
    return Markup(svg)  # noqa: S704 - segno's own markup; it escapes the title itself


def _tools() -> dict[str, str]:
    """The screen-only bar, in the staff member's language: the leaflet's
    language may be one they do not read."""
    return {"lang": str(get_locale()), "back": _("Back to the leaflets"),
            "hint": _("Print this page on A5 paper (Ctrl+P, or Cmd+P on a Mac), at full size and "
                      "with the browser's headers and footers turned off. It fits on one page.")}


@bp.get("/leaflets")
@access.allow(access.prints_leaflets)
def leaflets():
    """The leaflets this account may print: its hospitals, each in every language."""
    return render_template("staff/leaflets.html", hospitals=_printable(acting_user()),
                           languages=_languages())


@bp.get("/leaflets/<hospital_code>/<lang>")
@access.allow(access.prints_leaflets)
def leaflet(hospital_code: str, lang: str):
    """One hospital's A5 leaflet in one language, ready to print."""
    hospital = found(_hospital(hospital_code))
    if lang not in LANGUAGES:
        abort(404)
    if not access.may_print_leaflet_for(acting_user(), hospital):
        abort(403)
    url, tools = leaflet_url(hospital, lang), _tools()
    with force_locale(lang):
        return render_template("leaflets/leaflet.html", hospital=hospital, url=url, qr=qr_svg(url), tools=tools)
