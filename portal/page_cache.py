"""Public pages rendered once per language and kept in the process's memory.

``@cached_page`` on a GET view: the first request renders the page as
always; later requests for the same address (and language, and whatever
``vary`` names) get the same HTML without the template being rendered
again or the database asked. Everything that is added after a view
returns is still done per request: the security headers, the session
cookie, ``X-Request-Id`` and the request log line.

What is made for one visitor is never kept. A value a page must have
fresh on every request (the CSRF token, which is the visitor's session's;
a form's signed start time) is registered with ``per_request(value,
make)`` while the page renders; the entry keeps the page cut at that
value and ``make``, and each later request fills the cut with a value
made for it. A page is rendered as always, and nothing is kept, when the
request has a query string, when the session holds a flashed message, or
when the response is not a plain 200 or sets a cookie of its own.

The cache is small (PAGE_CACHE_ENTRIES, least recently used out first)
and its entries expire after PAGE_CACHE_SECONDS (0 turns it off): the
hospitals in a form's list may change, and each process keeps its own."""

from __future__ import annotations

import functools
import hashlib
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, make_response, request, session
from itsdangerous import URLSafeTimedSerializer
from markupsafe import escape

from portal import page_front
from portal.signing import app_serializer

_FLAG = "portal_cached_page"
_HOLES = "page_cache_holes"
_CSRF_FIELD = "csrf_token"
T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    """A page cut at its per-request values: ``parts`` around ``len(parts) - 1``
    holes, the ``makers`` index of each hole, and when it expires."""

    parts: tuple[str, ...]
    holes: tuple[int, ...]
    makers: tuple[Callable[[], str], ...]
    mimetype: str
    expires: float

    def render(self) -> str:
        """The page with a fresh value in each hole."""
        if not self.holes:
            return self.parts[0]
        fresh: dict[int, str] = {}
        out = [self.parts[0]]
        for hole, part in zip(self.holes, self.parts[1:], strict=True):
            if hole not in fresh:
                fresh[hole] = str(escape(self.makers[hole]()))
            out.append(fresh[hole])
            out.append(part)
        return "".join(out)


class PageCache:
    """A bounded, thread-safe map of (address, vary) -> Entry (or name -> a kept value)."""

    def __init__(self, *, entries: int, seconds: float) -> None:
        self.max_entries = entries
        self.seconds = seconds
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.expires <= time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: Hashable, entry: Any) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def entries(self) -> list[Entry]:
        with self._lock:
            return list(self._entries.values())


def per_request(value: str, make: Callable[[], str]) -> str:
    """Mark ``value`` in the page being rendered as one that ``make`` must
    make afresh for every request served from the cache. Returns ``value``."""
    if value:
        g.setdefault(_HOLES, []).append((value, make))
    return value


def _fresh_csrf_token() -> str:
    """Flask-WTF's generate_csrf() for the default settings, with its
    serializer made once per key (portal/signing.py): the same token,
    checked by Flask-WTF as always."""
    from flask_wtf.csrf import generate_csrf
    config = current_app.config
    if config.get("WTF_CSRF_SECRET_KEY") or config.get("WTF_CSRF_FIELD_NAME", _CSRF_FIELD) != _CSRF_FIELD:
        return generate_csrf()
    if _CSRF_FIELD not in g:
        if not isinstance(session.get(_CSRF_FIELD), str):
            session[_CSRF_FIELD] = hashlib.sha1(os.urandom(64)).hexdigest()  # noqa: S324 - as Flask-WTF
        setattr(g, _CSRF_FIELD, _csrf_serializer().dumps(session[_CSRF_FIELD]))
    return g.get(_CSRF_FIELD)


def _csrf_serializer() -> URLSafeTimedSerializer:
    return app_serializer("wtf-csrf-token")


def _cacheable_request() -> bool:
    # session is read here: a page served from the cache says Vary: Cookie
    # exactly as the rendered one does (its flashes read the session).
    return (request.method in ("GET", "HEAD") and not request.query_string
            and "_flashes" not in session)


def _cut(response: Response, expires: float) -> Entry | None:
    """The entry for a rendered response, or None if it must not be kept."""
    if response.status_code != 200 or response.direct_passthrough or "Set-Cookie" in response.headers:
        return None
    if set(response.headers.keys()) - {"Content-Type", "Content-Length"}:
        return None  # a header of the view's own: not worth guessing whether it is per visitor
    return _cut_text(response.get_data(as_text=True), response.mimetype or "text/html", expires)


def _cut_text(body: str, mimetype: str, expires: float) -> Entry:
    holes: list[tuple[str, Callable[[], str]]] = list(g.get(_HOLES, []))
    token = g.get(_CSRF_FIELD)
    if token:
        holes.append((token, _fresh_csrf_token))
    if not holes:
        return Entry((body,), (), (), mimetype, expires)
    by_text = {str(escape(value)): index for index, (value, _make) in enumerate(holes)}
    pieces = re.split("(" + "|".join(re.escape(text) for text in by_text) + ")", body)
    return Entry(tuple(pieces[0::2]), tuple(by_text[text] for text in pieces[1::2]),
                 tuple(make for _value, make in holes), mimetype, expires)


def cached_text(name: str, render: Callable[[], str]) -> str:
    """A page a POST shows, the same for everyone but its ``per_request``
    values (a receipt page: the code and the day), kept cut at them per
    address, language and ``name``: ``render()`` once, then the kept page
    with each request's own values filled in. The values themselves are
    never kept, only the page around them."""
    cache = page_cache()
    if cache is None or "_flashes" in session:
        return render()
    key = (request.path, "text", name)
    entry = cache.get(key)
    if entry is not None:
        return entry.render()
    g.pop(_HOLES, None)
    body = render()
    cache.put(key, _cut_text(body, "text/html", time.monotonic() + cache.seconds))
    g.pop(_HOLES, None)
    return body


@dataclass(frozen=True)
class _Value:
    value: Any
    expires: float


def cached_value(name: str, make: Callable[[], T]) -> T:
    """``make()``, kept as long as a page (and, like a page, per process):
    for what the cached pages show and their POSTs check again, such as a
    form's list of hospitals, which is then as fresh as the page showing it.
    Never anything a visitor wrote or that is made for one visitor."""
    cache = current_app.extensions.get("page_cache_values")
    if cache is None:
        return make()
    kept = cache.get(name)
    if kept is None:
        kept = _Value(make(), time.monotonic() + cache.seconds)
        cache.put(name, kept)
    return kept.value


def page_cache() -> PageCache | None:
    """This app's cache, or None when it is turned off."""
    return current_app.extensions.get("page_cache")


def cached_page(view: Callable[..., Any] | None = None, *,
                vary: Callable[[], object] | None = None) -> Any:
    """Serve a GET view's page from the cache, per address and language (the
    address holds it) and per ``vary()`` (a value from a small set only,
    e.g. a hospital's code: never something a visitor wrote)."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def serve(*args: Any, **kwargs: Any) -> Any:
            cache = page_cache()
            if cache is None or not _cacheable_request():
                return fn(*args, **kwargs)
            varies = vary() if vary is not None else None
            key = (request.path, varies)
            entry = cache.get(key)
            if entry is None:
                g.pop(_HOLES, None)
                response = make_response(fn(*args, **kwargs))
                entry = _cut(response, time.monotonic() + cache.seconds)
                if entry is None:
                    return response
                cache.put(key, entry)
            else:
                response = current_app.response_class(entry.render(), mimetype=entry.mimetype)
            if not entry.holes and varies is None:
                page_front.allow_front()
            return response

        setattr(serve, _FLAG, True)
        return serve

    return decorate(view) if view is not None else decorate


def is_cached_page() -> bool:
    """Is this request a GET of a cached page (which has no rate limit)?"""
    if request.method not in ("GET", "HEAD"):
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, _FLAG, False))


def _unless_cached_page(hook: Callable[..., Any], *, passes_on: bool) -> Callable[..., Any]:
    """``hook``, except on a GET of a cached page (an after_request hook
    then hands the response on untouched)."""
    @functools.wraps(hook)
    def run(*args: Any) -> Any:
        if is_cached_page():
            return args[0] if passes_on else None
        return hook(*args)
    return run


def init_app(app: Flask, *, skip: list[Callable[..., Any]] = ()) -> None:  # type: ignore[assignment]
    """One cache per app (PAGE_CACHE_SECONDS 0: none); the app-wide
    request hooks in ``skip`` (before, after or teardown) are not run for a
    GET of a cached page."""
    for registry, passes_on in ((app.before_request_funcs, False), (app.after_request_funcs, True),
                                (app.teardown_request_funcs, False)):
        hooks = registry.get(None, [])
        for hook in skip:
            if hook in hooks:
                hooks[hooks.index(hook)] = _unless_cached_page(hook, passes_on=passes_on)
    seconds = app.config.get("PAGE_CACHE_SECONDS", 0)
    if seconds:
        entries = app.config.get("PAGE_CACHE_ENTRIES", 128)
        app.extensions["page_cache"] = PageCache(entries=entries, seconds=seconds)
        app.extensions["page_cache_values"] = PageCache(entries=entries, seconds=seconds)
        page_front.init_app(app, PageCache(entries=entries, seconds=seconds))
