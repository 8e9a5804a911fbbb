"""Headers, CSRF, request size, production start-up rules."""

from __future__ import annotations

import pytest

from portal import create_app

PUBLIC_PAGES = ["/da/", "/da/ask", "/da/answer", "/da/contact-me", "/da/activities"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_security_headers(client, path):
    response = client.get(path)
    h = response.headers
    assert h["Content-Security-Policy"].startswith("default-src 'self'")
    assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
    assert h["Referrer-Policy"] == "no-referrer"
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["X-Frame-Options"] == "DENY"
    assert h["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_nothing_loaded_from_other_hosts(client, path):
    html = client.get(path).get_data(as_text=True)
    import re
    for attr in re.findall(r'(?:src|href)="([^"]+)"', html):
        if attr.startswith(("http://", "https://", "//")):
            # Only plain links may leave: the quick exit.
            assert attr == "https://www.dr.dk/", attr
    assert "<link" in html and 'href="https://' not in "".join(re.findall(r"<link[^>]+>", html))
    assert not re.findall(r"<script[^>]+src=\"(?:https?:)?//", html)


def test_csrf_is_required_on_every_post(make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    for path in ("/da/ask", "/da/answer", "/da/answer/reply", "/da/contact-me"):
        response = client.post(path, data={"question": "Et spørgsmål uden token"})
        assert response.status_code == 400, path


def test_csrf_token_round_trip(make_app):
    import re
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    html = client.get("/da/ask").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post("/da/ask", data={"csrf_token": token, "question": "Et rigtigt spørgsmål"})
    assert response.status_code == 200 and "receipt-code" in response.get_data(as_text=True)


def test_oversized_request_is_413(client):
    response = client.post("/da/ask", data={"question": "x" * 70_000})
    assert response.status_code == 413
    assert "<html" in response.get_data(as_text=True)


def test_session_cookie_flags(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True, WTF_CSRF_ENABLED=True)
    response = app.test_client().get("/da/ask")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie


def test_production_refuses_to_start_without_secret_and_pepper(monkeypatch):
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    monkeypatch.delenv("PORTAL_RECEIPT_PEPPER", raising=False)
    with pytest.raises(RuntimeError, match="PORTAL_SECRET_KEY"):
        create_app({"ENV": "production", "DATABASE_URL": "sqlite://"})
    monkeypatch.setenv("PORTAL_SECRET_KEY", "s" * 40)
    with pytest.raises(RuntimeError, match="PORTAL_RECEIPT_PEPPER"):
        create_app({"ENV": "production", "DATABASE_URL": "sqlite://"})
    monkeypatch.setenv("PORTAL_RECEIPT_PEPPER", "p" * 40)
    monkeypatch.delenv("PORTAL_TRUSTED_PROXIES", raising=False)
    with pytest.raises(RuntimeError, match="PORTAL_TRUSTED_PROXIES"):
        create_app({"ENV": "production", "DATABASE_URL": "sqlite://"})
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", "1")
    monkeypatch.delenv("PORTAL_ALLOW_SQLITE", raising=False)
    with pytest.raises(RuntimeError, match="on SQLite"):
        create_app({"ENV": "production", "DATABASE_URL": "sqlite://"})
    monkeypatch.setenv("PORTAL_ALLOW_SQLITE", "1")
    app = create_app({"ENV": "production", "DATABASE_URL": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["TRUSTED_PROXIES"] == 1
    response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:////srv/portal/instance/portal.sqlite3"])
def test_production_refuses_sqlite_unless_allowed(monkeypatch, url):
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", "0")
    monkeypatch.delenv("PORTAL_ALLOW_SQLITE", raising=False)
    settings = {"ENV": "production", "SECRET_KEY": "k" * 32, "RECEIPT_PEPPER": "p" * 32, "DATABASE_URL": url}
    with pytest.raises(RuntimeError) as refused:
        create_app(settings)
    message = str(refused.value)
    assert "\n" not in message and "SQLite" in message
    assert "--allow-sqlite" in message and "PORTAL_ALLOW_SQLITE=1" in message
    monkeypatch.setenv("PORTAL_ALLOW_SQLITE", "0")
    with pytest.raises(RuntimeError, match="on SQLite"):
        create_app(settings)
    if url == "sqlite://":
        assert create_app({**settings, "ALLOW_SQLITE": True}).config["ALLOW_SQLITE"] is True
        monkeypatch.setenv("PORTAL_ALLOW_SQLITE", "1")
        create_app(settings).extensions["db_engine"].dispose()


def test_production_starts_on_postgresql_without_the_sqlite_permission(monkeypatch):
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", "0")
    monkeypatch.delenv("PORTAL_ALLOW_SQLITE", raising=False)
    app = create_app({"ENV": "production", "SECRET_KEY": "k" * 32, "RECEIPT_PEPPER": "p" * 32,
                      "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none"})
    assert app.config["ALLOW_SQLITE"] is False
    app.extensions["db_engine"].dispose()


def test_gunicorn_access_log_leaves_out_address_and_agent():
    from portal import gunicorn_conf
    fmt = gunicorn_conf.access_log_format
    for atom in ("%(h)s", "%(a)s", "%(f)s", "%(r)s", "%(q)s", "%({x-forwarded-for}i)s"):
        assert atom not in fmt


def test_werkzeug_request_log_has_no_address(app, caplog):
    import logging
    caplog.set_level(logging.INFO, logger="werkzeug")
    logging.getLogger("werkzeug").info('203.0.113.5 - - [23/Nov/2026 10:00:00] "%s" %s %s\n', "GET /da/ HTTP/1.1", "200", "-")
    assert "203.0.113.5" not in caplog.text and "GET /da/" in caplog.text


def test_a_form_sent_over_https_without_a_referer_is_accepted(make_app):
    """Behind TLS our own pages send no Referer (no-referrer), so the token
    alone must carry a POST; Flask-WTF's strict https check would refuse it."""
    import re
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    https = {"base_url": "https://localhost"}
    html = client.get("/da/ask", **https).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post("/da/ask", data={"csrf_token": token, "question": "Et spørgsmål over https"},
                           headers={"Sec-Fetch-Site": "same-origin"}, **https)
    assert response.status_code == 200 and "receipt-code" in response.get_data(as_text=True)
    assert client.post("/da/ask", data={"question": "Uden token"}, **https).status_code == 400


def test_a_form_sent_from_another_site_is_refused(make_app):
    import re
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    html = client.get("/da/ask").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post("/da/ask", data={"csrf_token": token, "question": "Fra en anden side"},
                           headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 400
