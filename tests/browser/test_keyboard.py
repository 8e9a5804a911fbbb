"""Keyboard only: Tab, Shift+Tab, Enter and Space to move and act (plus
typing the text itself). At every Tab stop the focus must be visible: an
outline or a box-shadow on the focused element (on the drawn box, for
DKFDS's checkboxes and radio buttons), on screen and not covered."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.checks import assert_focus_visible, receipt_code, tab_to

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["da", "ar"])
def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, lang):
    page.goto(f"/{lang}/ask")
    page.keyboard.press("Tab")
    skip = page.locator("a.skipnav")
    expect(skip).to_be_focused()
    assert_focus_visible(page)
    box, width = skip.bounding_box(), page.viewport_size["width"]
    side_gap = width - (box["x"] + box["width"]) if lang == "ar" else box["x"]
    assert side_gap < 40, (lang, box)  # at the reading start: the right in Arabic
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#question")).to_be_focused()  # the first thing in main
    assert_focus_visible(page)


def test_ask_and_read_the_answer_with_the_keyboard_only(page, live):
    question = "Hvor kan jeg låne en barnevogn?"
    page.goto("/da/ask")
    tab_to(page, "#question")
    page.keyboard.type(question)
    tab_to(page, "#topics-0")
    page.keyboard.press("Space")
    expect(page.locator("#topics-0")).to_be_checked()
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    code = receipt_code(page)

    live.answer(code, "Mødrehjælpens lokalforening har en byttecentral.")
    tab_to(page, "main a[href='/da/answer']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(live.url("/da/answer"))
    tab_to(page, "#code")
    page.keyboard.type(code)
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Space")
    expect(page.locator(".thread-message--staff .thread-body")).to_have_text(
        "Mødrehjælpens lokalforening har en byttecentral.")

    tab_to(page, "#message")
    page.keyboard.type("Tak for svaret!")
    tab_to(page, "main form button[type=submit].button-primary")  # not the delete button
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_be_visible()


def test_ask_to_be_contacted_with_the_keyboard_only_mistakes_included(page, live):
    page.goto("/da/contact-me")
    tab_to(page, "#nickname")
    page.keyboard.type("Maja")
    tab_to(page, "#phone")
    page.keyboard.type("12")  # too short: fixed below
    tab_to(page, "#email")
    tab_to(page, "#phone", key="Shift+Tab")  # back again
    tab_to(page, "#may_leave_voicemail")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    assert_focus_visible(page)
    expect(page.locator("#nickname")).to_have_value("Maja")
    expect(page.locator("#may_leave_voicemail")).to_be_checked()

    # The phone number, reached through the summary's first link.
    tab_to(page, ".error-summary a[href='#phone']")
    page.keyboard.press("Enter")
    expect(page.locator("#phone")).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(" 34 56 78")
    expect(page.locator("#phone")).to_have_value("12 34 56 78")

    # Back up to the summary for the other two.
    tab_to(page, ".error-summary a[href='#pregnancy_status-0']", key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#pregnancy_status-0")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Space")
    expect(page.locator("#pregnancy_status-0")).to_be_checked()

    tab_to(page, ".error-summary a[href='#consent']", key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#consent")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#consent")).to_be_checked()

    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(live.url("/da/contact-me/sent")) + r"\?by=\d{4}-\d{2}-\d{2}$"))
