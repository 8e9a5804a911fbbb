"""axe-core on every public page, in every shipped language, and on every
staff and referrer page, in both staff languages (the printed leaflet in
each of the six public languages, in the Danish walk).

Zero serious or critical violations of the WCAG 2.1 A/AA rules (tags
wcag2a, wcag2aa, wcag21a, wcag21aa). axe is read from the file `make
assets` copies (never from a CDN). The public pages are those of
tests/browser/pages.py, walked once per language by the ``public_pages``
fixture; the staff pages those of tests/browser/staff_pages.py, walked by
the ``staff_pages`` fixture (logged in as a lead or a referrer; in Danish also at 320 px,
where the tables scroll in their containers)."""

from __future__ import annotations

import pytest

from portal.i18n import LANGUAGES, STAFF_LANGUAGES
from tests.browser.checks import describe_violations
from tests.browser.pages import PUBLIC_BLUEPRINTS, PUBLIC_DOWNLOADS, STATES
from tests.browser.staff_pages import DOWNLOADS, STAFF_BLUEPRINTS, STAFF_PREFIXES, STAFF_STATES, walked_in

pytestmark = pytest.mark.browser

# Rules switched off, each with the reason. Only a rule that is wrong about
# our pages (a false positive) belongs here; a real finding is fixed in the
# templates or portal.css instead. None so far.
DISABLED_RULES: dict[str, str] = {}


def test_every_public_route_is_in_the_checked_list(live):
    """A new public route fails here until tests/browser/pages.py opens it."""
    routed = {rule.endpoint for rule in live.app.url_map.iter_rules()
              if rule.endpoint.split(".", 1)[0] in PUBLIC_BLUEPRINTS and rule.endpoint not in PUBLIC_DOWNLOADS}
    checked = {state.endpoint for state in STATES}
    assert routed - checked == set(), (
        f"public route(s) {sorted(routed - checked)} are not checked: add a State to tests/browser/pages.py")
    assert checked - routed == set(), f"tests/browser/pages.py names routes that are gone: {sorted(checked - routed)}"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_serious_or_critical_violations_on_any_public_page(public_pages, lang):
    _assert_clean(public_pages(lang), STATES, f"/{lang}")


def _assert_clean(report, states, where: str) -> None:
    """Every state was walked, and none has a violation left after DISABLED_RULES."""
    assert report.walked == [state.name for state in states if not state.redirect_to]
    found = {name: [v for v in violations if v["id"] not in DISABLED_RULES]
             for name, violations in report.violations.items()}
    found = {name: violations for name, violations in found.items() if violations}
    assert not found, "\n".join(f"{where} {name}:\n{describe_violations(v)}" for name, v in found.items())
    assert report.problems == [], "\n".join(report.problems)


def test_every_staff_page_is_in_the_checked_list(live):
    """A new GET route of the staff area or of the referrers' pages (by
    blueprint, or by a path under /staff/ or /refer/) fails here until
    tests/browser/staff_pages.py opens it; POST-only routes are checked
    through the pages they render or redirect to."""
    routed = {rule.endpoint for rule in live.app.url_map.iter_rules()
              if (rule.endpoint.split(".", 1)[0] in STAFF_BLUEPRINTS or rule.rule.startswith(STAFF_PREFIXES)
                  or rule.rule.rstrip("/") + "/" in STAFF_PREFIXES)
              and "GET" in (rule.methods or ()) and rule.endpoint not in DOWNLOADS}
    assert {"staff.queue", "referrers.index", "referrers.new", "staff.leaflet"} <= routed, "the guard finds nothing"
    checked = {state.endpoint for state in STAFF_STATES}
    assert routed - checked == set(), (
        f"staff or referrer route(s) {sorted(routed - checked)} are not checked: add a StaffState to "
        "tests/browser/staff_pages.py")
    every_rule = {rule.endpoint for rule in live.app.url_map.iter_rules()}
    assert checked - every_rule == set(), f"staff_pages.py names routes that are gone: {sorted(checked - every_rule)}"


@pytest.mark.parametrize("lang", list(STAFF_LANGUAGES))
def test_no_serious_or_critical_violations_on_any_staff_page(staff_pages, lang):
    _assert_clean(staff_pages(lang), walked_in(lang), f"staff ({lang})")
