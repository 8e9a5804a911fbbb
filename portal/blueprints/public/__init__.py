"""Public pages for families: /<lang>/..."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, url_for
from wtforms.fields.choices import SelectChoice

from portal import db
from portal.blueprints.rate_limits import limit_public_posts
from portal.forms import options
from portal.i18n import LANGUAGES, best_language
from portal.page_cache import cached_value
from portal.services import inquiries

bp = Blueprint("public", __name__, url_prefix="/<lang_code>")
root_bp = Blueprint("root", __name__)


# Every POST of a public page counts, per person and per address.
limit_public_posts(bp)


def hospital_choices(*, dont_know: str) -> list[SelectChoice]:
    """The hospitals to choose from, after a "don't know" first choice: kept
    as long as the form's page (page_cache.cached_value), so a POST does not
    ask the database for them again."""
    return options([("", dont_know), *cached_value("public_hospitals", _active_hospitals)])


def _active_hospitals() -> list[tuple[str, str]]:
    """(code, name) of each active hospital, read apart on a POST (see db.reading)."""
    with db.reading() as sess:
        return [(h.code, h.name) for h in inquiries.hospitals(sess)]


@bp.url_defaults
def _add_lang_code(endpoint: str, values: dict) -> None:
    values.setdefault("lang_code", g.get("lang_code"))


@bp.url_value_preprocessor
def _pull_lang_code(endpoint: str | None, values: dict | None) -> None:
    lang = (values or {}).pop("lang_code", None)
    if lang not in LANGUAGES:
        abort(404)
    g.lang_code = lang


@root_bp.get("/")
def root():
    """Send the visitor to their language's front page."""
    return redirect(url_for("public.index", lang_code=best_language()), code=302)


@root_bp.get("/was")
def accessibility():
    """/was, the address Danish public websites give their accessibility
    statement: the statement in the visitor's language."""
    return redirect(url_for("public.accessibility", lang_code=best_language()), code=302)


# The feature modules register their routes on bp.
from portal.blueprints.public import activities, contact, pages, questions, surveys, withdrawal
