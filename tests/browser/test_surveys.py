"""The survey pages alone, in a browser: axe and no sideways scrolling on
the family's pages (Danish and Arabic) and the staff side (Danish and
English), and the family's survey answered without JavaScript. The whole
walks (test_accessibility.py, test_layout.py, test_staff.py) cover the same
states among every other page; this file lets `-k survey` check them alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.checks import describe_violations, submit
from tests.browser.conftest import walk_public_pages, walk_staff_pages
from tests.browser.pages import STATES
from tests.browser.staff_pages import STAFF_STATES

pytestmark = pytest.mark.browser

SURVEY_STATES = [state for state in STATES if state.name.startswith("survey")]
STAFF_SURVEY_STATES = [state for state in STAFF_STATES if "survey" in state.name or state.name == "case_closed"]


def _assert_clean(report, where: str) -> None:
    found = {name: violations for name, violations in report.violations.items() if violations}
    assert not found, "\n".join(f"{where} {name}:\n{describe_violations(v)}" for name, v in found.items())
    assert not report.overflow, "\n".join(f"{where} {k}: {v}" for k, v in report.overflow.items())
    assert report.problems == [], "\n".join(report.problems)


@pytest.mark.parametrize("lang", ["da", "ar"])
def test_survey_pages_pass_axe_and_fit_a_phone(browser, live, lang):
    assert len(SURVEY_STATES) == 5
    report = walk_public_pages(browser, live, lang, SURVEY_STATES)
    assert report.walked == [state.name for state in SURVEY_STATES]
    _assert_clean(report, f"/{lang}")


@pytest.mark.parametrize("lang", ["da", "en"])
def test_staff_survey_pages_pass_axe_and_fit_a_phone(browser, live, staff_world, lang):
    assert len(STAFF_SURVEY_STATES) == 8
    report = walk_staff_pages(browser, live, staff_world(lang), STAFF_SURVEY_STATES)
    assert report.walked == [state.name for state in STAFF_SURVEY_STATES]
    _assert_clean(report, f"staff ({lang})")


def test_family_answers_the_survey_without_javascript_in_arabic(new_context, live):
    page = new_context(javascript=False, locale="ar", client_errors=True).new_page()  # the dead link: 404
    path = live.survey_path("ar")
    page.goto(path)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("label[for='felt_welcome-0']").click()
    page.locator("label[for='recommend-1']").click()
    submit(page)
    expect(page).to_have_url(live.url("/ar/survey/thank-you"))
    page.goto(path)  # the link has died
    expect(page.locator("h1")).to_be_visible()
    assert page.locator("form.survey-form").count() == 0
