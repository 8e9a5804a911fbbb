"""Static files under content-hashed names, cached by browsers for a year.

``url_for('static', filename='css/portal.css')`` gives
``/static/css/portal.<hash>.css``, where <hash> is the first 12 hex digits
of the file's SHA-256: a changed file gets a new name, so the old one can
be cached for good (``Cache-Control: public, max-age=31536000,
immutable``). The plain names still work, with Flask's usual revalidated
caching; so does a hashed name whose hash is no longer the file's (a page
rendered before a deploy), without the year. A file's hash is computed
once per process, and again when its modification time changes."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from typing import Any

from flask import Flask, Response, current_app, send_from_directory

YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR}, immutable"
_HASHED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{12})(?P<ext>\.[A-Za-z0-9]+)$")
_lock = threading.Lock()


def _digest(app: Flask, filename: str) -> str | None:
    """The file's content hash (12 hex digits), or None if it is not a file we have."""
    folder = app.static_folder
    if folder is None or filename.startswith("/") or ".." in filename.split("/"):
        return None
    path = os.path.join(folder, filename)
    try:
        mtime = os.stat(path).st_mtime_ns
    except (OSError, ValueError):  # missing, or a NUL in the name
        return None
    known: dict[str, tuple[int, str]] = app.extensions.setdefault("static_hashes", {})
    cached = known.get(filename)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    with open(path, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()[:12]
    with _lock:
        known[filename] = (mtime, digest)
    return digest


def hashed_name(filename: str) -> str:
    """``css/portal.css`` -> ``css/portal.<hash>.css`` (the name as is if unknown or without a suffix)."""
    stem, dot, ext = filename.rpartition(".")
    if not dot or "/" in ext or not stem:
        return filename
    digest = _digest(current_app._get_current_object(), filename)  # type: ignore[attr-defined]
    return f"{stem}.{digest}.{ext}" if digest else filename


def static_url(filename: str) -> str:
    """The address of a static file under its hashed name."""
    from flask import url_for
    return url_for("static", filename=filename)


def _hash_static_urls(endpoint: str, values: dict[str, Any]) -> None:
    """url_defaults: every url_for('static', ...) gives the hashed name."""
    if endpoint == "static" and isinstance(values.get("filename"), str):
        values["filename"] = hashed_name(values["filename"])


def _serve_static(filename: str) -> Response:
    """The static view: a hashed name that matches is cached for a year; any other as Flask does."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    match = _HASHED.match(filename)
    if match is not None:
        plain = match["stem"] + match["ext"]
        if _digest(app, plain) == match["hash"]:
            response = send_from_directory(app.static_folder, plain, max_age=YEAR)
            response.headers["Cache-Control"] = IMMUTABLE
            return response
        if _digest(app, plain) is not None:
            return app.send_static_file(plain)
    return app.send_static_file(filename)


def init_app(app: Flask) -> None:
    """Hash the static names and serve them."""
    app.url_defaults(_hash_static_urls)
    if "static" in app.view_functions:
        app.view_functions["static"] = _serve_static
    app.jinja_env.globals["static_url"] = static_url
