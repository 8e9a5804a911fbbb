"""What a person does on the public pages, in the browser, with JavaScript
and without it: every flow must complete both ways."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal import db
from portal.models import ContactDetails
from tests.browser.checks import assert_focus_visible, receipt_code, submit

pytestmark = pytest.mark.browser

JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])

QUESTION = {
    "da": "Jeg er gravid i 6. måned og ved ikke, hvordan vi skal få råd til en større lejlighed.",
    "ar": "أنا حامل في الشهر السادس ولا أعرف كيف سندفع إيجار شقة أكبر.",
}
ANSWER = {
    "da": "Tak for dit spørgsmål. Du kan måske få boligstøtte; ring til os, så ser vi på det sammen.",
    "ar": "شكرا لسؤالك. ربما يمكنك الحصول على دعم السكن؛ اتصلي بنا وسننظر في الأمر معا.",
}
FOLLOW_UP = {"da": "Tak! Jeg ringer på mandag.", "ar": "شكرا! سأتصل يوم الاثنين."}


@JS
@pytest.mark.parametrize("lang", ["da", "ar"])
def test_ask_anonymously_and_read_the_answer(new_context, live, lang, javascript):
    page = new_context(javascript=javascript).new_page()
    page.goto(f"/{lang}/")
    page.locator(f"main .ways-in a[href='/{lang}/ask']").click()
    page.locator("#question").fill(QUESTION[lang])
    page.locator("#topics-2").check()
    page.locator("#hospital").select_option(index=1)
    submit(page)
    code = receipt_code(page)
    assert re.fullmatch(r"[2-9A-Z]{4}( [2-9A-Z]{4}){4}", code), code

    live.answer(code, ANSWER[lang])  # the counsellor, on the staff side

    page.locator(f"main a[href='/{lang}/answer']").click()
    page.locator("#code").fill(code.lower().replace(" ", "-"))  # typed loosely
    submit(page)
    expect(page.locator(".thread-message--family .thread-body")).to_have_text(QUESTION[lang])
    expect(page.locator(".thread-message--staff .thread-body")).to_have_text(ANSWER[lang])

    page.locator("#message").fill(FOLLOW_UP[lang])
    submit(page)
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(".thread-message--family .thread-body")).to_have_text([QUESTION[lang], FOLLOW_UP[lang]])


def _label_below_quick_exit_bar(page: Page, field_id: str) -> None:
    """The field's label (or legend) is on screen, not under the sticky bar."""
    box = page.evaluate("""id => {
        const el = document.getElementById(id);
        const fieldset = el.closest('fieldset');
        const label = (el.type === 'radio' && fieldset) ? fieldset.querySelector('legend') : el.labels[0];
        const r = label.getBoundingClientRect();
        return {top: r.top, bottom: r.bottom,
                bar: document.querySelector('.quick-exit-bar').getBoundingClientRect().bottom};
    }""", field_id)
    assert box["bar"] - 1 <= box["top"] and box["bottom"] <= page.viewport_size["height"], box


@JS
def test_ask_to_be_contacted_with_mistakes_first(new_context, live, javascript):
    page = new_context(javascript=javascript).new_page()
    phone = "+45 20 30 40 50" if javascript else "+45 20 30 40 51"
    page.goto("/da/contact-me")
    page.locator("#nickname").fill("Sara")
    page.locator("#phone").fill("12")
    page.locator("#email").fill("sara@")
    page.locator("#may_send_text").check()
    page.locator("#best_times-0").check()
    page.locator("#topics-1").check()
    page.locator("#note").fill("Vi skal flytte i marts.")
    submit(page)

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    if javascript:
        expect(summary).to_be_focused()
    # What was typed is still there.
    expect(page.locator("#nickname")).to_have_value("Sara")
    expect(page.locator("#phone")).to_have_value("12")
    expect(page.locator("#email")).to_have_value("sara@")
    expect(page.locator("#may_send_text")).to_be_checked()
    expect(page.locator("#best_times-0")).to_be_checked()
    expect(page.locator("#topics-1")).to_be_checked()
    expect(page.locator("#note")).to_have_value("Vi skal flytte i marts.")
    expect(page.locator("#consent")).not_to_be_checked()

    # Each link of the summary leads to its field.
    links = summary.locator("a")
    targets = [href.lstrip("#") for href in links.evaluate_all("as => as.map(a => a.getAttribute('href'))")]
    assert targets == ["phone", "email", "pregnancy_status-0", "consent"], targets
    for index, field_id in enumerate(targets):
        links.nth(index).click()
        field = page.locator(f"[id='{field_id}']")
        if javascript:
            expect(field).to_be_focused()
            assert_focus_visible(page)
            _label_below_quick_exit_bar(page, field_id)
        else:
            expect(page).to_have_url(re.compile(f"#{re.escape(field_id)}$"))
            expect(field).to_be_in_viewport()

    page.locator("#phone").fill(phone)
    page.locator("#email").fill("sara@example.dk")
    page.locator("#pregnancy_status-1").check()
    page.locator("#consent").check()
    submit(page)
    expect(page).to_have_url(re.compile(re.escape(live.url("/da/contact-me/sent")) + r"\?by=\d{4}-\d{2}-\d{2}$"))
    expect(page.locator("h1")).to_be_visible()

    with live.app.app_context():
        # The phone is encrypted at rest: no SQL filter on it, the one with this number.
        [stored] = [c for c in db.session().scalars(select(ContactDetails)) if c.phone == phone]
        assert (stored.nickname, stored.email, stored.may_send_text) == ("Sara", "sara@example.dk", True)


def _route_quick_exit(page: Page, live) -> str:
    """The network is closed: answer the neutral site with a small stub."""
    url = live.app.config["QUICK_EXIT_URL"]
    page.route(url, lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8",
        body="<!doctype html><html lang='da'><title>DR</title><h1>Nyheder</h1></html>"))
    return url


def test_quick_exit_escape_twice_leaves_and_back_does_not_return(page, live):
    exit_url = _route_quick_exit(page, live)
    # portal.js counts two presses within 1.5 s; the page's clock is ours,
    # so the test does not depend on how fast the machine is.
    page.clock.install(time=datetime(2030, 1, 1, 12, 0))
    page.goto("/da/ask")
    page.clock.pause_at(datetime(2030, 1, 1, 13, 0))
    page.locator("#question").fill("Noget ingen andre må se")

    page.keyboard.press("Escape")
    page.clock.fast_forward("00:02")  # two presses 2 s apart are not a double press
    page.keyboard.press("Escape")
    # leave() empties the page at once, so the page still being whole is proof.
    expect(page.locator("#question")).to_have_value("Noget ingen andre må se")
    assert page.url == live.url("/da/ask")

    page.keyboard.press("Escape")  # the second press, at once
    expect(page).to_have_url(exit_url)
    expect(page.locator("h1")).to_have_text("Nyheder")
    page.go_back()  # what was the portal page is gone from the history
    assert not page.url.startswith(live.base_url), page.url


def test_quick_exit_button_with_javascript_replaces_the_page(page, live):
    exit_url = _route_quick_exit(page, live)
    page.goto("/ar/contact-me")
    page.locator("#quick-exit").click()
    expect(page).to_have_url(exit_url)
    page.go_back()
    assert not page.url.startswith(live.base_url), page.url


def test_quick_exit_link_works_without_javascript(nojs_page, live):
    exit_url = _route_quick_exit(nojs_page, live)
    nojs_page.goto("/da/ask")
    nojs_page.locator("#quick-exit").click()
    expect(nojs_page).to_have_url(exit_url)
    expect(nojs_page.locator("h1")).to_have_text("Nyheder")


SWITCHES = [  # (page, from, to)
    ("/", "da", "ar"), ("/ask", "ar", "uk"), ("/answer", "uk", "tr"), ("/contact-me", "tr", "ur"),
    ("/contact-me/sent", "ur", "en"), ("/activities", "en", "da"), ("/accessibility", "da", "ar"),
]


@JS
def test_language_switcher_keeps_you_on_the_same_page(new_context, live, javascript):
    page = new_context(javascript=javascript).new_page()
    for path, before, after in SWITCHES:
        page.goto(f"/{before}{path}")
        page.locator(f"nav.lang-switch a[hreflang='{after}']").click()
        expect(page).to_have_url(live.url(f"/{after}{path}"))
        expect(page.locator("html")).to_have_attribute("lang", after)
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if after in ("ar", "ur") else "ltr")
        expect(page.locator(f"nav.lang-switch a[hreflang='{after}']")).to_have_attribute("aria-current", "true")


@JS
def test_accessibility_statement_from_the_footer_and_from_was(new_context, live, javascript):
    page = new_context(javascript=javascript, locale="ar").new_page()
    page.goto("/ar/ask")
    page.locator("footer a[href='/ar/accessibility']").click()
    expect(page).to_have_url(live.url("/ar/accessibility"))
    expect(page.locator(f"main a[href='mailto:{live.app.config['COUNSELLING_EMAIL']}']")).to_be_visible()
    page.goto("/was")
    expect(page).to_have_url(live.url("/ar/accessibility"))
