"""Public pages for families: /<lang>/..."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, url_for

from portal.i18n import LANGUAGES, best_language

bp = Blueprint("public", __name__, url_prefix="/<lang_code>")
root_bp = Blueprint("root", __name__)


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


from portal.blueprints.public import views  # noqa: E402,F401  (routes register on bp)
