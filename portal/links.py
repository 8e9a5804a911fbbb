"""Absolute links (set-up links, links in mails) are built from
PORTAL_BASE_URL, never from the Host header of the request at hand: a
forged Host must not turn a set-up link into one for another site."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint`` under PORTAL_BASE_URL."""
    base = current_app.config["BASE_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)
