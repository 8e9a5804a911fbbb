"""QuickSigner keys its HMAC once: the signatures must be itsdangerous'
own, byte for byte, and every check as strict (wrong key, tampered value,
an old key still accepted while it is a fallback)."""

from __future__ import annotations

import hashlib
import re
import time

import pytest
from flask_wtf.csrf import validate_csrf
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer

from portal.signing import QuickSigner

KEY, OLD = "a-test-key-" + "x" * 40, "an-old-test-key-" + "y" * 40


@pytest.mark.parametrize("kwargs", [{}, {"key_derivation": "hmac", "digest_method": hashlib.sha1},
                                    {"key_derivation": "concat"}, {"digest_method": hashlib.sha256}])
def test_the_same_signatures_as_itsdangerous(kwargs, monkeypatch):
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000)
    for salt in ("wtf-csrf-token", "form-started", "cookie-session"):
        for value in ("", "abc", "æøå" * 30, "1765000000.25"):
            ours = QuickSigner([OLD, KEY], salt=salt, **kwargs)
            theirs = TimestampSigner([OLD, KEY], salt=salt, **kwargs)
            assert ours.sign(value) == theirs.sign(value)
            assert ours.unsign(theirs.sign(value)) == theirs.unsign(ours.sign(value))


def test_checks_stay_strict():
    ours = URLSafeTimedSerializer(KEY, salt="form-started", signer=QuickSigner)
    token = ours.dumps(12.5)
    assert ours.loads(token, max_age=60) == 12.5
    with pytest.raises(BadSignature):
        URLSafeTimedSerializer("another-key-" + "z" * 40, salt="form-started", signer=QuickSigner).loads(token)
    with pytest.raises(BadSignature):
        URLSafeTimedSerializer(KEY, salt="another-salt", signer=QuickSigner).loads(token)
    with pytest.raises(BadSignature):
        ours.loads(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1])
    with pytest.raises(BadSignature):
        ours.loads(token[:-3])
    old = URLSafeTimedSerializer(OLD, salt="form-started", signer=QuickSigner).dumps(3.0)
    assert URLSafeTimedSerializer([OLD, KEY], salt="form-started", signer=QuickSigner).loads(old) == 3.0
    with pytest.raises(BadSignature):
        ours.loads(old)


def test_a_token_from_a_cached_page_is_accepted_by_flask_wtf(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, PAGE_CACHE_SECONDS=300)
    client = app.test_client()
    client.get("/da/ask")  # rendered: the page is kept
    other = app.test_client()
    page = other.get("/da/ask").get_data(as_text=True)  # served from the cache
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    with app.test_request_context():
        from flask import session
        session.update({"csrf_token": _raw_token(app, other)})
        validate_csrf(token)


def _raw_token(app, client) -> str:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)["csrf_token"]
