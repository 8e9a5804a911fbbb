"""Referrals from hospital staff (issue 8) in the browser: a midwife logs
in with password and TOTP, refers a family with the keyboard, a counsellor
takes the referral from the queue, reaches the family and writes a
feedback line, and the midwife sees that the family was reached; and
screenshots of the new pages. (axe, titles and the layout at 320 and
1280 px of every referrer page, of the new staff pages and of the leaflet
in every language are in the walk of tests/browser/staff_pages.py, judged
by test_accessibility.py and test_staff.py.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal import db
from portal.models import User
from portal.services import referrals
from tests.browser.checks import tab_to
from tests.browser.staff_pages import STAFF_BY_NAME, StaffUser, create_staff_user, fresh_code, log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

FIRST_NAME, PHONE = "Birte", "+45 40 41 42 43"
FEEDBACK = "Vi mødes med familien på barselsgangen på torsdag."


def _type(page: Page, selector: str, text: str) -> None:
    """Tab to the field (the focus ring seen at every stop) and type."""
    tab_to(page, selector)
    page.keyboard.type(text)


def _skip_to_main(page: Page) -> None:
    """The first Tab stop is the skip link; Enter puts the focus on main."""
    page.keyboard.press("Tab")
    expect(page.locator("a.skipnav")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()


def _log_in_typing(page: Page, live, user: StaffUser) -> None:
    """Password, then the code from the app, typed into the fields."""
    page.goto("/refer/")
    expect(page).to_have_url(re.compile(r"/staff/login\?next="))  # sent to log in first
    for field, text in (("email", user.email), ("password", PASSWORD)):
        page.locator(f"label[for='{field}']").click()
        page.keyboard.type(text)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/staff/login/code"))
    page.locator("label[for='code']").click()
    page.keyboard.type(fresh_code(live, user))
    page.keyboard.press("Enter")
    expect(page).to_have_url(live.url("/refer/"))  # a referrer's start page
    expect(page.locator("form.staff-logout")).to_contain_text(user.name)


def _row(page: Page, text: str):
    return page.locator("main table tbody tr", has_text=text)


def test_a_midwife_refers_a_family_and_sees_that_the_counsellor_reached_them(new_context, live):
    midwife = create_staff_user(live, "referrer", name="Hanne Jordemoder")
    refer = new_context().new_page()
    _log_in_typing(refer, live, midwife)

    # The referral form, with the keyboard only.
    _skip_to_main(refer)
    tab_to(refer, "main a[href='/refer/new']")
    refer.keyboard.press("Enter")
    expect(refer).to_have_url(re.compile(re.escape(live.url("/refer/new")) + "(#main-content)?$"))
    _skip_to_main(refer)
    _type(refer, "#first_name", FIRST_NAME)
    _type(refer, "#phone", PHONE)
    tab_to(refer, "#topics-2")  # Housing
    refer.keyboard.press("Space")
    expect(refer.locator("#topics-2")).to_be_checked()
    tab_to(refer, "#urgency-0")  # the radio group: "normal" is chosen, the arrow moves on
    refer.keyboard.press("ArrowDown")
    expect(refer.locator("#urgency-1")).to_be_checked()
    tab_to(refer, "#family_agreed")
    refer.keyboard.press("Space")
    expect(refer.locator("#family_agreed")).to_be_checked()
    tab_to(refer, "main form button[type=submit]")
    refer.keyboard.press("Enter")

    # (The redirect keeps the skip link's #main-content, as browsers do.)
    expect(refer).to_have_url(re.compile(re.escape(live.url("/refer/")) + "(#main-content)?$"))
    expect(refer.locator(".alert-success")).to_be_visible()
    row = _row(refer, FIRST_NAME)
    expect(row).to_contain_text("Modtaget")
    expect(row.locator(".urgent-mark")).to_have_text("Haster")

    with live.app.app_context():
        sent = referrals.own_referrals(db.session(), db.session().get(User, midwife.id))
        assert len(sent) == 1
        label, inquiry = sent[0].inquiry.label, sent[0].inquiry
        assert (inquiry.contact.nickname, inquiry.contact.phone, inquiry.topics) == (FIRST_NAME, PHONE, ["housing"])

    # A counsellor takes it from the queue: the newest referrals no one has taken.
    counsellor = create_staff_user(live, "counsellor", name="Mette Rådgiver")
    staff = new_context().new_page()
    log_in(staff, live, counsellor)
    staff.locator("#f-kind").select_option("professional_referral")
    staff.locator("#f-holder").select_option("unassigned")
    staff.locator("#f-sort").select_option("newest")
    staff.locator("form.queue-filters button[type=submit]").click()
    expect(staff).to_have_url(re.compile(r"kind=professional_referral"))
    row = staff.locator("table.queue-table tbody tr", has=staff.get_by_role("link", name=label, exact=True))
    expect(row.locator(".urgent-mark")).to_have_text("Haster")
    row.get_by_role("link", name=label, exact=True).click()
    expect(staff.locator("h1")).to_contain_text(label)
    expect(staff.locator("h1 .urgent-mark")).to_have_text("Haster")
    expect(staff.locator(".facts").first).to_contain_text("Henvist af")
    expect(staff.locator(".facts").first).to_contain_text(midwife.name)

    staff.locator("form[action$='/claim'] button[type=submit]").click()
    expect(staff.locator(".alert-success")).to_be_visible()

    staff.locator("#method-0").check()  # a phone call
    staff.locator("#reached-0").check()  # reached
    staff.locator("#note").fill("Talte med mor")
    staff.locator("form[action$='/attempts'] button[type=submit]").click()
    expect(staff.locator(".alert-success")).to_be_visible()
    expect(staff.locator("ul.attempts li")).to_have_count(1)

    staff.locator("#code").select_option("contact_made")
    staff.locator("#text").fill(FEEDBACK)
    staff.locator("form[action$='/feedback'] button[type=submit]").click()
    expect(staff.locator(".alert-success")).to_be_visible()
    expect(staff.locator("#text")).to_have_value(FEEDBACK)

    # The midwife looks in again: the family was reached, and the feedback line.
    refer.reload()
    row = _row(refer, FIRST_NAME)
    expect(row).to_contain_text("Kontakt opnået")
    expect(row).to_contain_text(FEEDBACK)
    expect(refer.locator("main")).not_to_contain_text("Talte med mor")  # the counselling stays with us
    expect(refer.locator("main")).not_to_contain_text(counsellor.name)


# --- screenshots -----------------------------------------------------------------

VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}
# The new pages of issue 8, in Danish; the leaflet also in Arabic.
# (The forms are shot with their errors or warning: the whole form, and the alerts.)
SHOTS = ("refer_index", "refer_errors", "refer_referral", "sparring_warning", "sparring_thread",
         "leaflets_referrer", "inquiry_referral", "inquiry_sparring", "hospitals", "leaflet_da", "leaflet_ar")


def _shot_name(name: str, width: int) -> str:
    state = STAFF_BY_NAME[name]
    lang = state.page_lang or "da"
    page = name.removesuffix(f"_{state.page_lang}") if state.page_lang else name
    area = "" if name.startswith(("refer", "sparring", "leaflet")) else "staff-"
    return f"{lang}-{width}px-{area}{page.replace('_', '-')}"


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_screenshots_of_the_referral_pages(new_context, staff_world, save_screenshot, device):
    world, viewport = staff_world("da"), VIEWPORTS[device]
    pages = {account: new_context(viewport=viewport, storage_state=world.state_of(account),
                                  client_errors=True).new_page()
             for account in ("lead", "referrer")}
    for name in SHOTS:
        state = STAFF_BY_NAME[name]
        page = pages[state.account]
        state.open(page, world)
        shot = save_screenshot(page, _shot_name(name, viewport["width"]))
        assert shot.stat().st_size > 1000, shot
