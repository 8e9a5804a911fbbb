"""Languages: URLs, direction, the switcher, and complete catalogs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.checkers import python_format
from babel.messages.pofile import read_po

from portal.i18n import LANGUAGES, STAFF_LANGUAGES
from portal.i18n_tools import DOMAINS, TRANSLATIONS, domain_of, domain_paths, missing_from_catalogs

RTL = {"ar", "ur"}
PAGES = ["/", "/ask", "/answer", "/contact-me", "/contact-me/sent", "/activities", "/accessibility"]


def test_at_least_six_languages_with_danish_default():
    assert list(LANGUAGES)[0] == "da"
    assert {"da", "en", "ar", "uk"} <= set(LANGUAGES) and len(LANGUAGES) >= 6


@pytest.mark.parametrize("header, target", [
    ("ar,en;q=0.8", "/ar/"), ("uk-UA,uk;q=0.9", "/uk/"), ("en-GB,en;q=0.9", "/en/"),
    ("de-DE,de;q=0.9", "/da/"), ("", "/da/"), ("tr", "/tr/"),
])
def test_root_redirects_by_accept_language(client, header, target):
    response = client.get("/", headers={"Accept-Language": header} if header else {})
    assert response.status_code == 302
    assert response.headers["Location"] == target


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("page", PAGES)
def test_html_lang_and_dir_on_every_page(client, lang, page):
    response = client.get(f"/{lang}{page}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    direction = "rtl" if lang in RTL else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in html


@pytest.mark.parametrize("page", PAGES)
def test_language_switcher_names_each_language_in_itself_and_keeps_the_page(client, page):
    html = client.get(f"/da{page}").get_data(as_text=True)
    nav = re.search(r'<nav class="lang-switch".*?</nav>', html, re.S).group(0)
    for code, name in LANGUAGES.items():
        assert re.search(rf'href="/{code}{re.escape(page)}" lang="{code}"[^>]*>{re.escape(name)}</a>', nav), code
    assert 'lang="da"' in nav and 'aria-current="true"' in nav


def test_switcher_on_a_post_result_points_to_front_pages(client, ask):
    code = ask()
    html = client.post("/da/answer/reply", data={"code": code, "message": "Hej"}).get_data(as_text=True)
    assert 'href="/ar/" lang="ar"' in html


def _entries(po: Path):
    with po.open("rb") as fh:
        catalog = read_po(fh)
    return catalog, [m for m in catalog if m.id]


CATALOGS = [(lang, domain) for domain, spec in DOMAINS.items() for lang in spec["languages"]]


@pytest.mark.parametrize("lang, domain", CATALOGS)
def test_catalog_complete_no_fuzzy_and_placeholders_match(lang, domain):
    po = TRANSLATIONS / lang / "LC_MESSAGES" / f"{domain}.po"
    assert po.exists(), po
    catalog, entries = _entries(po)
    untranslated = [m.id for m in entries
                    if not (all(m.string) if isinstance(m.string, (tuple, list)) else m.string)]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert untranslated == [], f"{lang}/{domain}: {len(untranslated)} untranslated"
    assert fuzzy == [], f"{lang}/{domain}: {len(fuzzy)} fuzzy"
    for message in entries:
        python_format(catalog, message)  # raises on a placeholder mismatch


def test_public_catalogs_ship_every_language_and_staff_danish_and_english():
    assert set(DOMAINS["messages"]["languages"]) == set(LANGUAGES)
    assert set(DOMAINS["staff"]["languages"]) == set(STAFF_LANGUAGES)


def test_fresh_extraction_finds_nothing_missing_from_the_catalogs():
    assert missing_from_catalogs() == {}


def test_every_template_and_module_is_extracted_into_exactly_one_domain():
    """The domain follows from the folder: every .py and .html under portal/
    is extracted, into one domain, so a new module can never be missed."""
    root = Path(__file__).resolve().parent.parent
    on_disk = {p.relative_to(root).as_posix() for p in (root / "portal").rglob("*")
               if p.suffix in (".py", ".html") and "static" not in p.parts}
    extracted = [f for domain in DOMAINS for f in domain_paths(domain)]
    assert sorted(extracted) == sorted(on_disk)
    assert len(extracted) == len(set(extracted))


@pytest.mark.parametrize("path, domain", [
    ("portal/templates/public/new_page.html", "messages"),
    ("portal/blueprints/public/new_feature.py", "messages"),
    ("portal/vocab/public.py", "messages"),
    ("portal/templates/staff/new_page.html", "staff"),
    ("portal/blueprints/referrers/refer.py", "staff"),
    ("portal/templates/associations/activity.html", "staff"),
    ("portal/services/stats.py", "staff"),
    ("portal/vocab/staff.py", "staff"),
])
def test_domain_follows_from_the_folder(path, domain):
    assert domain_of(path) == domain


def test_translated_pages_in_each_language(client):
    """Spot check: the landing page heading is not English in the other languages."""
    english = "Free counselling when you are expecting a baby or have just had one"
    for lang in LANGUAGES:
        html = client.get(f"/{lang}/").get_data(as_text=True)
        assert (english in html) == (lang == "en"), lang


@pytest.mark.parametrize("days, word", [(2, "يومَي عمل"), (3, "أيام عمل"), (11, "يوم عمل")])
def test_arabic_uses_its_own_plural_forms(make_app, days, word):
    """Arabic has six plural forms; the promise on the question page must use
    the right one (the confirmation names the day itself: tests/blueprints/test_promised_day.py)."""
    client = make_app(ANSWER_WORKING_DAYS=days).test_client()
    html = client.get("/ar/ask").get_data(as_text=True)
    assert f"{days} {word}" in html


def test_ukrainian_plural_forms(make_app):
    client = make_app(CONTACT_RETENTION_MONTHS=5).test_client()
    assert "5 місяців" in client.get("/uk/").get_data(as_text=True)
