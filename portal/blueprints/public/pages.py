"""Pages with nothing to fill in: the front page, accessibility;
and the way in from a printed leaflet (its QR code names the hospital)."""

from __future__ import annotations

from flask import redirect, render_template, request, session, url_for

from portal import db
from portal.blueprints.public import bp
from portal.models.codes import IntakeSource
from portal.page_cache import cached_page
from portal.services import inquiries

# The session (already there for CSRF) holds the leaflet's hospital code and
# nothing else about the visit: no campaign, no leaflet id, no cookie of its own.
VIA_LEAFLET = "via_leaflet"


def remember_leaflet(code: str | None) -> bool:
    """Keep an active hospital's code from a leaflet's QR code; ignore anything else."""
    if not code or code not in {h.code for h in inquiries.hospitals(db.session())}:
        return False
    session[VIA_LEAFLET] = code
    return True


def leaflet_hospital() -> str | None:
    """The hospital of the leaflet this visitor came by, to preselect in the forms."""
    return session.get(VIA_LEAFLET)


def heard_from() -> str | None:
    """What an inquiry records as its way in: the leaflet, if the visitor came by one."""
    return IntakeSource.LEAFLET.value if leaflet_hospital() else None


@bp.get("/")
@cached_page
def index():
    """The front page: what the counselling is and the ways in (?h= from a leaflet is remembered)."""
    if remember_leaflet(request.args.get("h")):
        # Off the address bar and out of the history once remembered.
        return redirect(url_for("public.index"))
    return render_template("public/index.html")


@bp.get("/accessibility")
@cached_page
def accessibility():
    """The accessibility statement ("Tilgængelighedserklæring")."""
    return render_template("public/accessibility.html")
