"""A family deletes their own anonymous question, with JavaScript and
without: the button on the thread, the confirmation step, the page that
says it is gone, and axe on each of them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.checks import describe_violations, run_axe, submit

pytestmark = pytest.mark.browser

JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])


@JS
@pytest.mark.parametrize("lang", ["da", "ar"])
def test_family_deletes_their_question(new_context, live, lang, javascript):
    code = live.seed_question("Et spørgsmål familien sletter igen", lang=lang, answer="Her er vores svar.")
    page = new_context(javascript=javascript).new_page()
    page.goto(f"/{lang}/answer")
    page.locator("#code").fill(code)
    submit(page)
    expect(page.locator(".thread-message")).to_have_count(2)
    page.locator("main form[action$='/answer/delete'] button").click()
    expect(page.locator("h1")).to_be_visible()
    assert code.replace(" ", "") not in page.url.replace(" ", "").replace("%20", "")
    violations = run_axe(page) if javascript else []
    assert not violations, describe_violations(violations)
    page.locator("main form[action$='/answer/delete/confirm'] button").click()
    expect(page).to_have_url(live.url(f"/{lang}/answer/deleted"))
    violations = run_axe(page) if javascript else []
    assert not violations, describe_violations(violations)
    # The code no longer opens anything.
    page.goto(f"/{lang}/answer")
    page.locator("#code").fill(code)
    submit(page)
    expect(page.locator(".form-error-message")).to_be_visible()
