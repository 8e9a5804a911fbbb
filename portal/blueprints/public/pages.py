"""Pages with nothing to fill in: the front page, activities, accessibility."""

from __future__ import annotations

from flask import render_template

from portal.blueprints.public import bp


@bp.get("/")
def index():
    """The front page: what the counselling is and the ways in."""
    return render_template("public/index.html")


@bp.get("/activities")
def activities():
    """Activities near you (spor 3, "Aktiviteter i dit område"); built by its own issue."""
    return render_template("public/activities.html")


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement ("Tilgængelighedserklæring")."""
    return render_template("public/accessibility.html")
