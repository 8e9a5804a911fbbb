"""The cached pages' front door: a WSGI layer that answers the commonest
request of all (a first visit: GET, no cookie, no query, no body) for a
cached page with no per-request values from the complete response the app
gave the last such request, before Flask is entered.

What it sends is what the app sent, byte for byte and header for header
(security headers, CSP, ``Vary: Cookie``), with a new ``X-Request-Id``; and
it writes the same request log line (portal/logging.py). A response is
kept only when the app said it may be (``allow_front()`` from
``@cached_page``: a page with nothing made for the visitor) and it is a
200 that sets no cookie. Everything else, and every request with a cookie,
goes to the app as always. Entries expire and are bounded like the page
cache's, per address and host."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, g, request, request_finished

from portal import logging as request_log

_KEY = "portal.page_front"
_REQUEST_ID = "x-request-id"


@dataclass(frozen=True)
class Stored:
    """A final response: status line, headers (the request id's place
    marked), body, the route's pattern for the log line, and expiry."""

    status: str
    headers: tuple[tuple[str, str], ...]
    request_id_at: int
    body: bytes
    route: str | None
    expires: float


def _front_key(environ: dict[str, Any]) -> tuple | None:
    """The key of a request the front may answer, or None."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("QUERY_STRING") \
            or environ.get("HTTP_COOKIE") or environ.get("CONTENT_LENGTH") not in (None, "", "0") \
            or environ.get("HTTP_TRANSFER_ENCODING"):
        return None
    return (environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""), environ.get("HTTP_HOST"),
            environ.get("HTTP_X_FORWARDED_HOST"), environ.get("wsgi.url_scheme"),
            environ.get("HTTP_X_FORWARDED_PROTO"))


class Front:
    """WSGI middleware in front of the app (see the module's docstring)."""

    def __init__(self, app: Callable[..., Iterable[bytes]], store: Any) -> None:
        self.app = app
        self.store = store  # a page_cache.PageCache of Stored

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        key = _front_key(environ)
        if key is None:
            return self.app(environ, start_response)
        stored = self.store.get(key)
        if stored is None:
            environ[_KEY] = key
            return self.app(environ, start_response)
        started = time.perf_counter()
        request_id = secrets.token_hex(8)  # random, as the app's own
        headers = list(stored.headers)
        headers[stored.request_id_at] = ("X-Request-Id", request_id)
        method = environ["REQUEST_METHOD"]
        request_log.write_line(request_log.request_line({
            "request_id": request_id, "method": method, "route": stored.route, "status": 200,
            "ms": round((time.perf_counter() - started) * 1000, 1)}))
        start_response(stored.status, headers)
        return [stored.body] if method == "GET" else []


def allow_front() -> None:
    """From the view: this request's response has nothing made for the visitor."""
    g.page_front_allowed = True


def _keep(app: Flask, response: Response, **_extra: object) -> None:
    """request_finished: keep the final response of a request the front may answer."""
    key = request.environ.get(_KEY)
    if key is None or request.method != "GET" or not g.get("page_front_allowed") \
            or response.status_code != 200 or "Set-Cookie" in response.headers or response.is_streamed:
        return
    headers = tuple(response.headers.items())
    names = [name.lower() for name, _value in headers]
    if _REQUEST_ID not in names:
        return
    store = app.extensions["page_front"]
    store.put(key, Stored(response.status, headers, names.index(_REQUEST_ID), response.get_data(),
                          request.url_rule.rule if request.url_rule is not None else None,
                          time.monotonic() + store.seconds))


def init_app(app: Flask, store: Any) -> None:
    """Put the front before the app's WSGI callable."""
    app.extensions["page_front"] = store
    app.wsgi_app = Front(app.wsgi_app, store)  # type: ignore[method-assign]
    request_finished.connect(_keep, app)
