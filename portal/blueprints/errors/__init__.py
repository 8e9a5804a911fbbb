"""Error pages in the person's language."""

from __future__ import annotations

from flask import Flask, Response, g, render_template, request
from flask_babel import refresh
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from portal.i18n import LANGUAGES, best_language


def init_app(app: Flask) -> None:
    """Render 400/403/404/405/413/415/429/500 with our base template."""

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if isinstance(exc, SecurityError):
            # A Host we do not answer to: no page can be built for it.
            return Response("Bad request\n", 400, mimetype="text/plain")
        return _render(exc.code or 500)

    @app.errorhandler(CSRFError)
    def _csrf_error(_exc: CSRFError):
        return _render(400, csrf=True)

    @app.errorhandler(Exception)
    def _server_error(exc: Exception):
        # The route's pattern and the request id, never the address: it holds
        # object ids (and codes); the request log's line has the same id.
        rule = request.url_rule.rule if request.url_rule is not None else None
        app.logger.exception("unhandled error on %s (request %s)", rule, g.get("request_id"))
        failed = g.get("db_session")
        if failed is not None:
            failed.rollback()  # the page below may still need the database
        return _render(500)


def _choose_language() -> None:
    """Errors raised before or outside the public blueprint still speak the
    visitor's language: the URL's prefix if it is one, else Accept-Language."""
    if "lang_code" not in g and not request.path.startswith("/staff"):
        first = request.path.lstrip("/").split("/", 1)[0]
        g.lang_code = first if first in LANGUAGES else best_language()
    refresh()


def _render(code: int, *, csrf: bool = False):
    _choose_language()
    known = code if code in (400, 403, 404, 405, 413, 415, 429) else 500
    return render_template("errors/error.html", code=known, csrf=csrf), code
