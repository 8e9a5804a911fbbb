"""Security helpers: response headers, receipt codes, the rate-limit key."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timezone

from flask import Flask, Request, Response, current_app, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import URLSafeTimedSerializer

from portal.signing import QuickSigner

# No look-alikes: no 0/O, 1/I/L, no U/V pair confusion.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
RECEIPT_LENGTH = 20  # 20 * log2(29) = 97 bits
RECEIPT_GROUP = 4
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def new_receipt_code() -> str:
    """A fresh receipt code from ``secrets``, unformatted."""
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def format_receipt_code(code: str) -> str:
    """Groups of four, separated by spaces, for printing."""
    code = normalise_receipt_code(code)
    return " ".join(code[i:i + RECEIPT_GROUP] for i in range(0, len(code), RECEIPT_GROUP))


def normalise_receipt_code(raw: str) -> str:
    """Upper-case, drop spaces, dashes and anything else that is not a letter or digit."""
    return _NOT_ALNUM.sub("", (raw or "").upper())


def receipt_digest(code: str) -> str:
    """HMAC-SHA256 under the server pepper of the normalised code: all we store."""
    pepper = current_app.config["RECEIPT_PEPPER"].encode()
    return hmac.new(pepper, normalise_receipt_code(code).encode(), hashlib.sha256).hexdigest()


# A survey code is printed on a slip or texted, and typed in again:
# 16 letters in groups of four (16 * log2(29) = 77 bits).
SURVEY_CODE_LENGTH = 16


def new_survey_code() -> str:
    """A fresh survey code from ``secrets``, unformatted (it is also the link's token)."""
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(SURVEY_CODE_LENGTH))


def survey_digest(code: str) -> str:
    """HMAC-SHA256 under the server pepper of the normalised survey code
    (its own prefix, so it never equals a receipt's digest): all we store."""
    pepper = current_app.config["RECEIPT_PEPPER"].encode()
    return hmac.new(pepper, b"survey:" + normalise_receipt_code(code).encode(), hashlib.sha256).hexdigest()


def client_address() -> str:
    """Rate-limit key: a keyed hash of the client address, so not even the
    limiter's counter store (memory or Redis) holds the address itself. The
    key changes every day and is never the receipt pepper; the counters
    themselves expire with their window (minutes)."""
    address = request.remote_addr or "unknown"
    day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    key = hmac.new(current_app.config["SECRET_KEY"].encode(), b"rate-limit-key:" + day.encode(),
                   hashlib.sha256).digest()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:32]


def browser_session() -> str:
    """Rate-limit key for one person: a random value kept in their session
    cookie (made on first use). Everyone behind one hospital Wi-Fi shares an
    address; a person's typos must slow only that person. A client that
    drops cookies gets a new key each time, and meets the per-address
    ceiling instead."""
    if "rate_key" not in session:
        session["rate_key"] = secrets.token_urlsafe(16)
    return "s:" + str(session["rate_key"])


CSP = "; ".join([
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "font-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
])


# Sent on every response unless the view set its own (in this order).
_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CSP),
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
_NO_STORE: tuple[str, str] = ("Cache-Control", "no-store")
_HSTS: tuple[str, str] = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def _missing(response: Response, headers: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """The headers the response does not have yet (one pass over its headers,
    not one per header: this runs on every request)."""
    present = {key.lower() for key in response.headers.keys()}
    return [(key, value) for key, value in headers if key.lower() not in present]


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, without its work on a request that
    has no session cookie and leaves the session empty (most public
    pages): the signer is built once per key, not per request."""

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (tuple(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        cached = app.extensions.get("session_signer")
        if cached is None or cached[0] != keys:
            made = super().get_signing_serializer(app)
            if made is not None:
                made.signer = QuickSigner  # the same signatures, keyed once (portal/signing.py)
            cached = app.extensions["session_signer"] = (keys, made)
        return cached[1]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not session and not session.modified:  # nothing to set or delete
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    """Send the security headers on every response."""
    app.session_interface = SessionInterface()
    production = app.config["ENV"] == "production"

    @app.after_request
    def _headers(response: Response) -> Response:
        wanted: tuple[tuple[str, str], ...] = _HEADERS
        if not request.path.startswith("/static/"):
            wanted += (_NO_STORE,)
        if production:
            wanted += (_HSTS,)
        for key, value in _missing(response, wanted):
            response.headers.add(key, value)
        return response
