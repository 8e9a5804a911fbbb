"""A family deletes their own anonymous question, with JavaScript and
without: the button on the thread, the confirmation step, the page that
says it is gone, and axe on each of them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal import db
from portal.models import Inquiry
from tests.browser.checks import describe_violations, run_axe, submit
from tests.browser.staff_pages import create_staff_user, log_in
from tests.factories import make_contact_request

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


@pytest.mark.parametrize("lang", ["da", "en"])
def test_lead_erases_a_contact_request_in_two_steps(new_context, live, lang):
    """The lead's confirmation page (axe), a wrong name, then the erasure."""
    lead = create_staff_user(live, "lead", name="Lise Leder", language=lang)
    with live.app.app_context():
        family = make_contact_request(db.session(), phone="44556677")
        db.commit()
        inquiry_id, label = family.id, family.label
    page = new_context(client_errors=True).new_page()  # the wrong name is answered with a 400
    page.goto("/staff/login")
    log_in(page, live, lead)
    page.goto(f"/staff/inquiries/{inquiry_id}")
    page.locator(f"main form[action='/staff/inquiries/{inquiry_id}/erase'] button").click()
    expect(page.locator("main h1")).to_contain_text(label)
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
    page.locator("#label").fill("Et forkert navn")
    submit(page)
    expect(page.locator(".form-error-message")).to_be_visible()
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
    page.locator("#label").fill(label)
    submit(page)
    expect(page).to_have_url(live.url("/staff/"))
    with live.app.app_context():
        assert db.session().get(Inquiry, inquiry_id) is None
