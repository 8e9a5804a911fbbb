"""The queue and the case list link to the next and previous keyset page,
keep their filters on the way, and the previous page is the one before."""

from __future__ import annotations

import html
import re

from portal import db
from tests import bulk

LINK = re.compile(r'rel="(next|prev)" href="([^"]+)"')


def _links(page: str) -> dict[str, str]:
    return {rel: html.unescape(href) for rel, href in LINK.findall(page)}


def _rows(page: str) -> list[str]:
    return re.findall(r'href="(/staff/(?:inquiries|cases)/\d+)"', page)


def test_queue_and_cases_page_forward_and_back(app, staff_client):
    client, lead = staff_client("lead")
    with app.app_context():
        bulk.fill(db.session(), 480, open_rows=120, users=[lead["id"]], cases_every=1, analyze=False)
        db.commit()
    for first_url in ("/staff/?sort=newest&status=all", "/staff/cases?holder=all&closed=1"):
        first = client.get(first_url).get_data(as_text=True)
        links = _links(first)
        assert set(links) == {"next"}, first_url
        assert "holder=all" in links["next"] or "status=all" in links["next"]
        second = client.get(links["next"]).get_data(as_text=True)
        assert set(_links(second)) == {"next", "prev"}
        assert not set(_rows(second)) & set(_rows(first))
        back = client.get(_links(second)["prev"]).get_data(as_text=True)
        assert _rows(back) == _rows(first)
