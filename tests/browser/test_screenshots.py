"""Screenshots of the main public pages in Danish and Arabic, on a phone
(390 px) and a desktop (1280 px), for people to look at. The folder is
printed at the end of the run (test-artifacts/screenshots/, git-ignored)."""

from __future__ import annotations

import pytest

from tests.browser.pages import BY_NAME, MAIN_PAGES

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("device", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["da", "ar"])
def test_screenshots_of_the_main_pages(new_context, live, save_screenshot, lang, device):
    viewport = VIEWPORTS[device]
    page = new_context(locale=lang, viewport=viewport).new_page()
    for name in MAIN_PAGES:
        BY_NAME[name].open(page, live, lang)
        shot = save_screenshot(page, f"{lang}-{viewport['width']}px-{name}")
        assert shot.stat().st_size > 1000, shot
