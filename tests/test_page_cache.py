"""Public pages kept rendered in the process (portal/page_cache.py): a
family sees the same page, cached or not; a cached page never holds what
was made for another visitor (a CSRF token, a form's start time, a session
cookie); and what is added per request still is."""

from __future__ import annotations

import json
import logging
import re

import pytest
from sqlalchemy import select

from portal.i18n import LANGUAGES
from portal.logging import REQUEST_LOGGER

PAGES = ["/", "/accessibility", "/ask", "/answer", "/contact-me"]
FORM_PAGES = ["/ask", "/answer", "/contact-me"]
# Per request by design: the session's CSRF token and a form's signed start time.
_FRESH = re.compile(r'(name="(?:csrf_token|started)"[^>]*?value=")[^"]*(")')


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def _started(html: str) -> str:
    match = re.search(r'name="started"[^>]*?value="([^"]+)"', html)
    assert match, "no start time on the page"
    return match.group(1)


def _same_but_fresh_values(html: str) -> str:
    return _FRESH.sub(r"\1…\2", html)


@pytest.fixture
def cached_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True, PAGE_CACHE_SECONDS=300)


@pytest.fixture
def uncached_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True, PAGE_CACHE_SECONDS=0)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_cached_page_is_the_page_rendered_in_every_language(cached_app, uncached_app, lang):
    for page in PAGES:
        path = f"/{lang}{page}"
        rendered = uncached_app.test_client().get(path)
        first = cached_app.test_client().get(path)   # renders and keeps it
        again = cached_app.test_client().get(path)   # from the cache
        assert rendered.status_code == first.status_code == again.status_code == 200, path
        html = _same_but_fresh_values(rendered.get_data(as_text=True))
        assert _same_but_fresh_values(first.get_data(as_text=True)) == html, path
        assert _same_but_fresh_values(again.get_data(as_text=True)) == html, path
        assert sorted(k for k, _v in again.headers if k not in {"X-Request-Id", "Set-Cookie"}) == \
            sorted(k for k, _v in rendered.headers if k not in {"X-Request-Id", "Set-Cookie"}), path
        assert again.headers["Content-Security-Policy"] == rendered.headers["Content-Security-Policy"]
        assert again.headers["Cache-Control"] == "no-store"
    assert len(cached_app.extensions["page_cache"]) == len(PAGES)


@pytest.mark.parametrize("page", FORM_PAGES)
def test_each_visitor_gets_their_own_csrf_token_and_start_time(cached_app, page):
    first, second = cached_app.test_client(), cached_app.test_client()
    a = first.get(f"/da{page}")
    b = second.get(f"/da{page}")  # served from the cache
    html_a, html_b = a.get_data(as_text=True), b.get_data(as_text=True)
    assert _token(html_a) != _token(html_b)
    # Each visitor's own session cookie, never the other's.
    cookie_a, cookie_b = a.headers.get("Set-Cookie"), b.headers.get("Set-Cookie")
    assert cookie_a and cookie_b and cookie_a != cookie_b
    # The same visitor again: a token for their session, not the first visitor's.
    assert _token(second.get(f"/da{page}").get_data(as_text=True)) != _token(html_a)
    # Nothing made for a visitor is kept in the cache.
    kept = "".join("".join(entry.parts) for entry in cached_app.extensions["page_cache"].entries())
    for made in (_token(html_a), _token(html_b), _started(html_a), _started(html_b)):
        assert made not in kept


def test_a_token_from_the_cached_page_is_accepted_and_another_visitors_is_not(cached_app):
    first, second = cached_app.test_client(), cached_app.test_client()
    token_a = _token(first.get("/da/ask").get_data(as_text=True))
    token_b = _token(second.get("/da/ask").get_data(as_text=True))  # from the cache
    question = {"question": "Hvordan søger jeg om barselsdagpenge?"}
    refused = second.post("/da/ask", data={**question, "csrf_token": token_a})
    assert refused.status_code == 400
    sent = second.post("/da/ask", data={**question, "csrf_token": token_b})
    assert sent.status_code == 200 and "Hvordan søger jeg" not in json.dumps(
        [e.parts for e in cached_app.extensions["page_cache"].entries()])


def test_the_leaflets_hospital_is_preselected_from_its_own_entry(cached_app):
    from portal import db
    from portal.models import Hospital
    with cached_app.app_context():
        code = db.session().scalars(select(Hospital.code).where(Hospital.active)).first()
    plain = cached_app.test_client()
    assert "selected" not in plain.get("/da/ask").get_data(as_text=True).split('name="hospital"')[1].split("</select>")[0]
    via_leaflet = cached_app.test_client()
    assert via_leaflet.get(f"/da/?h={code}").status_code == 302
    for _ in range(2):
        select_html = via_leaflet.get("/da/ask").get_data(as_text=True).split('name="hospital"')[1].split("</select>")[0]
        assert f'value="{code}" selected' in select_html or f'selected value="{code}"' in select_html
    assert "selected" not in plain.get("/da/ask").get_data(as_text=True).split('name="hospital"')[1].split("</select>")[0]


def test_a_flashed_message_and_a_query_are_never_served_from_or_kept_in_the_cache(cached_app):
    client = cached_app.test_client()
    client.get("/da/")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "En besked kun til denne besøgende")]
    assert "En besked kun til denne besøgende" in client.get("/da/").get_data(as_text=True)
    assert "En besked kun" not in cached_app.test_client().get("/da/").get_data(as_text=True)
    cached_app.test_client().get("/da/accessibility?x=1")
    assert ("/da/accessibility", None) not in {key for key in cached_app.extensions["page_cache"]._entries}


def test_a_page_from_the_cache_still_gets_its_request_log_line_and_id(cached_app):
    lines: list[str] = []

    class _Lines(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    handler = _Lines()
    logging.getLogger(REQUEST_LOGGER).addHandler(handler)
    try:
        client = cached_app.test_client()
        client.get("/da/")
        response = client.get("/da/")
    finally:
        logging.getLogger(REQUEST_LOGGER).removeHandler(handler)
    record = json.loads(lines[-1])
    assert record["route"] == "/<lang_code>/" and record["status"] == 200 and record["method"] == "GET"
    assert record["request_id"] == response.headers["X-Request-Id"]
    assert json.loads(lines[0])["request_id"] != record["request_id"]


def test_the_cache_is_bounded_and_expires(make_app, monkeypatch):
    from portal import page_cache
    app = make_app(PAGE_CACHE_SECONDS=60, PAGE_CACHE_ENTRIES=2)
    client = app.test_client()
    for lang in ("da", "en", "ar"):
        client.get(f"/{lang}/")
    cache = app.extensions["page_cache"]
    assert len(cache) == 2 and {key[0] for key in cache._entries} == {"/en/", "/ar/"}
    now = page_cache.time.monotonic()
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: now + 61)
    assert cache.get(("/en/", None)) is None


def test_no_cache_when_turned_off(make_app):
    app = make_app(PAGE_CACHE_SECONDS=0)
    assert app.test_client().get("/da/").status_code == 200
    assert "page_cache" not in app.extensions


def test_a_first_visit_is_answered_by_the_front_with_the_apps_own_response(cached_app):
    first = cached_app.test_client().get("/da/")
    front = cached_app.extensions["page_front"]
    assert len(front) == 1
    second = cached_app.test_client().get("/da/")
    assert second.get_data() == first.get_data()
    assert [(k, v) for k, v in second.headers if k != "X-Request-Id"] == \
        [(k, v) for k, v in first.headers if k != "X-Request-Id"]
    assert [k for k, _v in second.headers] == [k for k, _v in first.headers]
    assert second.headers["X-Request-Id"] != first.headers["X-Request-Id"]
    assert second.headers["Vary"] == "Cookie" and "Set-Cookie" not in second.headers
    assert cached_app.test_client().head("/da/").get_data() == b""


def test_the_front_keeps_nothing_with_a_token_a_cookie_or_a_query(cached_app):
    client = cached_app.test_client()
    client.get("/da/ask")               # a CSRF token and a session cookie
    client.get("/da/")                  # a request with a cookie
    cached_app.test_client().get("/da/accessibility?x=1")
    assert len(cached_app.extensions["page_front"]) == 0


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_pages_are_as_before_but_for_the_static_file_names(make_app, cached_app, lang):
    """As rendered without the cache and without hashed static names (the
    pages before this change), in every language."""
    from portal import static_files
    before_app = make_app(WTF_CSRF_ENABLED=True, PAGE_CACHE_SECONDS=0)
    before_app.url_default_functions[None].remove(static_files._hash_static_urls)
    unhashed = re.compile(r'(/static/[^"]+?)\.[0-9a-f]{12}(\.[A-Za-z0-9]+")')
    for page in PAGES:
        path = f"/{lang}{page}"
        before = _same_but_fresh_values(before_app.test_client().get(path).get_data(as_text=True))
        cached_app.test_client().get(path)
        now = cached_app.test_client().get(path).get_data(as_text=True)
        assert "/static/css/portal.css" in before
        assert unhashed.sub(r"\1\2", _same_but_fresh_values(now)) == before, path
