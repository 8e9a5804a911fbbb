"""The receipt page of a question is kept cut at its code and its day
(page_cache.cached_text): every family still gets its own code and day on
a page otherwise identical to a freshly rendered one, and the kept page
holds no code."""

from __future__ import annotations

from portal.page_cache import page_cache
from tests.conftest import receipt_from

QUESTION = {"question": "Hvad har jeg ret til, når jeg går på barsel?"}


def _ask(client, lang: str = "da") -> str:
    response = client.post(f"/{lang}/ask", data=QUESTION)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_family_gets_its_own_code_on_the_same_page(make_app):
    cached, fresh = make_app(PAGE_CACHE_SECONDS=300), make_app(PAGE_CACHE_SECONDS=0)
    pages = [_ask(cached.test_client()) for _ in range(3)]
    codes = [receipt_from(page) for page in pages]
    assert len(set(codes)) == 3
    rendered = _ask(fresh.test_client())
    for page, code in zip(pages, codes, strict=True):
        assert page.replace(code, "CODE") == rendered.replace(receipt_from(rendered), "CODE")
    with cached.app_context():
        entries = page_cache().entries()
    kept = "".join(part for entry in entries for part in entry.parts)
    assert 'class="receipt-code"' in kept  # the receipt page is kept ...
    for code in codes:
        assert code not in kept  # ... without any code


def test_the_page_is_kept_per_language(make_app):
    app = make_app(PAGE_CACHE_SECONDS=300)
    client = app.test_client()
    danish, english = _ask(client, "da"), _ask(client, "en")
    assert '<html lang="da"' in danish
    assert '<html lang="en"' in english
    assert receipt_from(_ask(client, "en")) != receipt_from(english)
