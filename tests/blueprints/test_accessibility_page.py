"""The accessibility statement (tilgængelighedserklæring) and its /was address."""

from __future__ import annotations

import re

import pytest

from portal.i18n import LANGUAGES


@pytest.mark.parametrize("header, target", [
    ("ar,en;q=0.8", "/ar/accessibility"), ("en-GB,en;q=0.9", "/en/accessibility"),
    ("de-DE,de;q=0.9", "/da/accessibility"), ("", "/da/accessibility"),
])
def test_was_redirects_to_the_statement_in_the_best_language(client, header, target):
    response = client.get("/was", headers={"Accept-Language": header} if header else {})
    assert response.status_code == 302
    assert response.headers["Location"] == target


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_statement_is_served_in_every_language(client, lang):
    response = client.get(f"/{lang}/accessibility")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}"' in html
    assert html.count("<h1>") == 1


def test_statement_says_target_testing_gaps_and_where_to_report(app, client):
    html = client.get("/en/accessibility").get_data(as_text=True)
    assert "WCAG" in html and "2.1" in html and "level AA" in html
    assert "webtilgængelighedsloven" in html
    assert "axe-core" in html and "keyboard" in html
    assert "screen reader" in html  # an honest known gap
    email = app.config["COUNSELLING_EMAIL"]
    assert f'href="mailto:{email}"' in html
    assert "Digitaliseringsstyrelsen" in html
    assert re.search(r'<a href="https://digst\.dk/[^"]*"', html)


def test_statement_loads_nothing_from_other_hosts(client):
    html = client.get("/da/accessibility").get_data(as_text=True)
    for attr in re.findall(r'\b(?:src|href)="([^"]+)"', html):
        if attr.startswith(("http://", "https://", "//")):
            # Only plain links (the complaint route), never a loaded resource.
            assert re.search(rf'<a [^>]*href="{re.escape(attr)}"', html), attr
    assert not re.search(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(?:https?:)?//', html)


@pytest.mark.parametrize("page", ["/", "/ask", "/contact-me", "/accessibility"])
def test_footer_links_to_the_statement_in_the_page_language(client, page):
    html = client.get(f"/ar{page}").get_data(as_text=True)
    footer = re.search(r'<ul class="footer-links">.*?</ul>', html, re.S).group(0)
    assert 'href="/ar/accessibility"' in footer


def test_statement_link_text_is_danish_in_danish(client):
    """The link in the footer carries the name the law uses."""
    html = client.get("/da/").get_data(as_text=True)
    footer = re.search(r'<ul class="footer-links">.*?</ul>', html, re.S).group(0)
    link = re.search(r'href="/da/accessibility">([^<]+)</a>', footer).group(1)
    assert link == "Tilgængelighedserklæring"
