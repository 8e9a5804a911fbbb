"""What a request may carry before anything reads it: a form body (a file
upload only where a route says so), no more than MAX_CONTENT_LENGTH even
when it comes in chunks, and ids in URLs that the database can hold.

Forms and the password check expect strings from a urlencoded body; a JSON
or multipart body would reach them as something else, so it is refused
(415) before CSRF protection or a form ever parses it."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, abort, current_app, request
from werkzeug.routing import IntegerConverter

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
_WITH_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_TOO_LARGE = "portal.body_too_large"
# The largest id a BIGINT (and SQLite's INTEGER) holds.
ID_MAX = 2**63 - 1


def accepts_files(max_bytes: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a route that takes a file upload (multipart/form-data) of up
    to ``max_bytes`` in all; every other route keeps MAX_CONTENT_LENGTH."""
    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        view.accepts_files = max_bytes  # type: ignore[attr-defined]
        return view
    return mark


class BoundedInt(IntegerConverter):
    """``<int:...>`` with the database's ceiling: a larger id is a 404, not an overflow."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", ID_MAX)
        super().__init__(url_map, *args, **kwargs)


class BufferChunkedBodies:
    """A body without a Content-Length (chunked) is read here, up to one
    byte past the limit. Over it, the request is marked and refused with a
    413 by the application (with its own error page); under it, the body
    is handed on with its length, so that nothing is ever cut short and
    then parsed as if whole."""

    def __init__(self, app: Callable[..., Iterable[bytes]], limit: int) -> None:
        self.app = app
        self.limit = limit

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not environ.get("CONTENT_LENGTH"):
            body = environ["wsgi.input"].read(self.limit + 1)
            if len(body) > self.limit:
                environ[_TOO_LARGE] = True
                body = b""
            environ["wsgi.input"] = io.BytesIO(body)
            # Now a plain body of known length: werkzeug reads it as such.
            environ["CONTENT_LENGTH"] = str(len(body))
            environ.pop("HTTP_TRANSFER_ENCODING")
            environ.pop("wsgi.input_terminated", None)
        return self.app(environ, start_response)


def _refuse_nul_in_the_address() -> None:
    """A NUL in the path or the query string is never meant (PostgreSQL
    refuses it in a string, which would surface as a 500): a 400."""
    if "\x00" in request.path:
        abort(400)
    if request.query_string and any("\x00" in value for _key, value in request.args.items(multi=True)):
        abort(400)


def _refuse_cross_site_posts() -> None:
    """A browser says where a request comes from in Sec-Fetch-Site (sent
    whatever the referrer policy): a form sent from another site is refused
    before CSRF protection even looks at the token. A client that sends no
    such header (an older browser) still needs the token."""
    if request.method in _WITH_BODY and request.headers.get("Sec-Fetch-Site") == "cross-site":
        abort(400)


def _refuse_other_bodies() -> None:
    if request.method not in _WITH_BODY:
        return
    if request.environ.get(_TOO_LARGE):
        abort(413)
    mimetype = request.mimetype
    if mimetype == FORM or (not mimetype and not request.content_length):
        return
    view = current_app.view_functions.get(request.endpoint or "")
    upload_limit = getattr(view, "accepts_files", None)
    if mimetype == MULTIPART and upload_limit:
        request.max_content_length = upload_limit  # before anything parses the body
        return
    abort(415)


def init_app(app: Flask) -> None:
    """Before the extensions: this check must run before CSRF protection reads the form."""
    app.url_map.converters["int"] = BoundedInt
    app.wsgi_app = BufferChunkedBodies(app.wsgi_app, app.config["MAX_CONTENT_LENGTH"])  # type: ignore[method-assign]
    app.before_request(_refuse_nul_in_the_address)
    app.before_request(_refuse_cross_site_posts)
    app.before_request(_refuse_other_bodies)
