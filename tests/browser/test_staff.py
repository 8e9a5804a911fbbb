"""The staff area in the browser: the login with password and TOTP, taking
and answering a question that the family then reads, a wrong code,
logging out, the layout at 320 and 1280 px, and screenshots. (axe on
every staff page is in test_accessibility.py.)

The pages are those of tests/browser/staff_pages.py, walked once per
staff language by the ``staff_pages`` fixture; the lead of that walk logs
in once through the real form, and tests reuse its browser state."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal import db
from portal.i18n import STAFF_LANGUAGES
from portal.services import inquiries
from tests.browser.checks import assert_focus_visible, receipt_code, submit
from tests.browser.pages import WIDTHS
from tests.browser.staff_pages import (
    STAFF_BY_NAME,
    StaffUser,
    create_staff_user,
    enter_password,
    error_prefix,
    fresh_code,
    log_in,
    wrong_code,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


# --- layout ---------------------------------------------------------------------

@pytest.mark.parametrize("lang", list(STAFF_LANGUAGES))
def test_no_sideways_scrolling_on_staff_pages_at_320_and_1280_px(staff_pages, lang):
    """Every staff page, the login page included, fits 320 and 1280 px; the
    tables scroll inside their own container (see the queue test below)."""
    report = staff_pages(lang)
    assert WIDTHS == (320, 1280) and "login" in report.walked
    assert not report.overflow, "\n".join(f"staff ({lang}) {where}: {what}"
                                           for where, what in report.overflow.items())


_TABLE_SCROLL = """table => {
    const box = table.parentElement, doc = document.documentElement;
    return {wrapped: box.matches('div.table--responsive-scroll'), overflowX: getComputedStyle(box).overflowX,
            boxRight: box.getBoundingClientRect().right, tableWidth: table.getBoundingClientRect().width,
            boxScrolls: box.scrollWidth > box.clientWidth, pageWidth: doc.scrollWidth, innerWidth};
}"""


def test_queue_at_1280_px_scrolls_sideways_only_inside_the_tables_container(new_context, staff_world):
    world = staff_world("da")
    page = new_context(storage_state=world.storage_state).new_page()  # 1280 px wide
    page.goto("/staff/?status=all")
    table = page.locator("table.queue-table")
    expect(table.locator("tbody tr").first).to_be_visible()
    fits = table.evaluate(_TABLE_SCROLL)
    assert fits["wrapped"] and fits["overflowX"] in ("auto", "scroll"), fits
    assert fits["pageWidth"] <= fits["innerWidth"] and fits["boxRight"] <= fits["innerWidth"], fits

    # A table wider than the screen (more columns, a long hospital name):
    # the container scrolls, the page does not.
    table.evaluate("table => { table.style.minInlineSize = '2400px'; }")
    wide = table.evaluate(_TABLE_SCROLL)
    assert wide["tableWidth"] >= 2400 and wide["boxScrolls"], wide
    assert wide["pageWidth"] <= wide["innerWidth"] and wide["boxRight"] <= wide["innerWidth"], wide


# --- flows -----------------------------------------------------------------------

def _type_into(page: Page, field_id: str, text: str) -> None:
    """Click the field's label and type, as a person does."""
    page.locator(f"label[for='{field_id}']").click()
    expect(page.locator(f"#{field_id}")).to_be_focused()
    page.keyboard.type(text)


def _log_in_typing(page: Page, live, user: StaffUser) -> None:
    page.goto("/staff/")
    expect(page).to_have_url(re.compile(r"/staff/login\?next="))  # sent to log in first
    _type_into(page, "email", user.email)
    _type_into(page, "password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/staff/login/code"))
    _type_into(page, "code", fresh_code(live, user))
    page.keyboard.press("Enter")
    expect(page).to_have_url(live.url("/staff/"))
    expect(page.locator("form.staff-logout")).to_contain_text(user.name)


def test_counsellor_logs_in_takes_a_new_question_and_answers_it_and_the_family_reads_it(new_context, live):
    question = "Vi skal have tvillinger. Kan vi få hjælp til en større barnevogn?"
    answer = "Tillykke! Ring til os på mandag, så finder vi en brugt tvillingevogn sammen."

    family = new_context().new_page()
    family.goto("/da/ask")
    family.locator("#question").fill(question)
    submit(family)
    code = receipt_code(family)
    with live.app.app_context():
        label = inquiries.find_by_receipt(db.session(), code).label

    counsellor = create_staff_user(live, "counsellor", name="Maja Rådgiver")
    staff = new_context().new_page()
    _log_in_typing(staff, live, counsellor)

    # The newest questions no one has taken, through the queue's filters.
    staff.locator("#f-kind").select_option("anonymous_question")
    staff.locator("#f-holder").select_option("unassigned")
    staff.locator("#f-sort").select_option("newest")
    staff.locator("form.queue-filters button[type=submit]").click()
    expect(staff).to_have_url(re.compile(r"kind=anonymous_question"))
    staff.locator("table.queue-table").get_by_role("link", name=label, exact=True).click()
    expect(staff.locator("h1")).to_have_text(label)
    expect(staff.locator(".thread-message--family .thread-body")).to_have_text(question)

    staff.locator("form[action$='/claim'] button[type=submit]").click()
    expect(staff.locator(".alert-success")).to_be_visible()
    expect(staff.locator(".facts")).to_contain_text(counsellor.name)

    _type_into(staff, "body", answer)
    staff.locator("form[action$='/answer'] button[type=submit]").click()
    expect(staff.locator(".alert-success")).to_be_visible()
    expect(staff.locator(".thread-message--staff .thread-body")).to_have_text(answer)

    family.locator("main a[href='/da/answer']").click()
    family.locator("#code").fill(code)
    submit(family)
    expect(family.locator(".thread-message--family .thread-body")).to_have_text(question)
    expect(family.locator(".thread-message--staff .thread-body")).to_have_text(answer)


def test_a_wrong_code_from_the_app_shows_the_error_summary_with_focus(new_context, live):
    user = create_staff_user(live, "counsellor", name="Karen Kode")
    page = new_context().new_page()
    enter_password(page, user)
    expect(page).to_have_url(live.url("/staff/login/code"))
    _type_into(page, "code", wrong_code(user))
    page.keyboard.press("Enter")

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    assert_focus_visible(page)
    expect(page).to_have_title(re.compile("^" + re.escape(error_prefix(live, "da"))))
    expect(page.locator("#code")).to_have_attribute("aria-invalid", "true")
    summary.locator("a[href='#code']").click()
    expect(page.locator("#code")).to_be_focused()

    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(fresh_code(live, user))  # the right one now
    page.keyboard.press("Enter")
    expect(page).to_have_url(live.url("/staff/"))


def test_logging_out_ends_the_session(new_context, live):
    user = create_staff_user(live, "counsellor", name="Lars Log-ud")
    context = new_context()
    page = context.new_page()
    log_in(page, live, user)
    copy = context.storage_state()

    page.locator("form.staff-logout button[type=submit]").click()
    expect(page).to_have_url(live.url("/staff/login"))
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("form.staff-logout")).to_have_count(0)
    page.goto("/staff/")
    expect(page).to_have_url(re.compile(r"/staff/login\?next="))

    # A copy of the session cookie from before the log-out is worth nothing.
    stale = new_context(storage_state=copy).new_page()
    stale.goto("/staff/")
    expect(stale).to_have_url(re.compile(r"/staff/login\?next="))


# --- screenshots -----------------------------------------------------------------

def test_screenshots_of_the_staff_pages(new_context, staff_world, save_screenshot):
    """The queue, an inquiry of each kind and a case, at 1280 px, in the
    suite's screenshot folder."""
    world = staff_world("da")
    page = new_context(storage_state=world.storage_state).new_page()
    for name in ("queue", "inquiry_question", "inquiry_contact", "case", "stats"):
        STAFF_BY_NAME[name].open(page, world)
        shot = save_screenshot(page, f"da-1280px-staff-{name.replace('_', '-')}")
        assert shot.stat().st_size > 1000, shot
