"""Spor 3's pages in the browser walks: the data they show (associations,
a weekly group with a photo and a cancelled date, a cancelled outing, an
activity waiting for approval) and how a person opens each page. The
states themselves are declared in pages.py (public) and staff_pages.py."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import TYPE_CHECKING

from PIL import Image
from playwright.sync_api import Page, expect

from portal import db
from portal.services import activities, activity_photos
from portal.services.activity_calendar import today
from tests.activity_factories import make_activity, make_association, weekly
from tests.factories import make_counsellor

if TYPE_CHECKING:
    from tests.browser.conftest import Live
    from tests.browser.staff_pages import StaffWorld

_SEEDED: dict[str, dict[str, int]] = {}


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (230, 160, 60)).save(out, "JPEG")
    return out.getvalue()


def seed_spor3(live: Live) -> dict[str, int]:
    """Once per served app: two associations and their activities; returns their ids."""
    if live.base_url in _SEEDED:
        return _SEEDED[live.base_url]
    with live.app.app_context():
        sess = db.session()
        lead = make_counsellor(sess, role="lead", name="Browser Leder")
        north = make_association(sess, name="Lokalforening Nordvest", lead=lead)
        make_association(sess, name="Lokalforening Amager", lead=lead, municipalities=("tarnby", "dragor"))
        group = make_activity(sess, north, **weekly(first=today() - timedelta(days=14), weeks=10),
                              description="Vi drikker kaffe og taler om livet med en baby.\n\nLæs mere: https://example.dk",
                              address="Bispebjerg Bibliotek, Rentemestervej 76", municipality="kobenhavn",
                              audiences=["children_0_1", "pregnant"], languages=["da", "ar", "en"])
        activities.cancel_date(sess, lead, group, group.starts_on + timedelta(days=21))
        activity_photos.set_photo(sess, lead, group, _jpeg(), alt_text="Forældre med barnevogne i en park")
        cancelled = make_activity(sess, north, status="cancelled", title="Juletur til Tivoli", price_dkk=50,
                                  join_method="sign_up", join_contact="Mette, 20 30 40 50", places=20)
        make_activity(sess, north, status="pending", title="Fars legestue", audiences=["fathers"])
        db.commit()
        _SEEDED[live.base_url] = {"association": north.id, "group": group.id, "cancelled": cancelled.id}
    return _SEEDED[live.base_url]


# --- public pages --------------------------------------------------------------

def listing(page: Page, live: Live, lang: str) -> None:
    seed_spor3(live)
    page.goto(f"/{lang}/activities")
    expect(page.locator(".activity-card").first).to_be_visible()


def listing_filtered_empty(page: Page, live: Live, lang: str) -> None:
    """The filters chosen by a person, with nothing found."""
    seed_spor3(live)
    page.goto(f"/{lang}/activities")
    page.locator("details.activity-filters summary").click()
    page.locator("#municipality").select_option("bornholm")
    page.locator("#free").check()
    page.locator("details.activity-filters button[type=submit]").click()
    expect(page.locator(".activity-card")).to_have_count(0)


def activity(page: Page, live: Live, lang: str) -> None:
    ids = seed_spor3(live)
    page.goto(f"/{lang}/activities/{ids['group']}")
    expect(page.locator("img.activity-photo")).to_be_visible()
    expect(page.locator("h1")).to_have_attribute("lang", "da")


def activity_cancelled(page: Page, live: Live, lang: str) -> None:
    ids = seed_spor3(live)
    page.goto(f"/{lang}/activities/{ids['cancelled']}")
    expect(page.locator(".alert-warning")).to_be_visible()


# --- staff and association pages (logged in as a lead) ----------------------------

def staff_get(path: str):
    """A page whose address names the seeded activities: {association}, {group}."""
    def opener(page: Page, world: StaffWorld) -> None:
        page.goto(path.format(**seed_spor3(world.live)))
    return opener


def review(page: Page, world: StaffWorld) -> None:
    seed_spor3(world.live)
    page.goto("/staff/activities/review")
    expect(page.locator(".review-item").first).to_be_visible()


def new_activity_errors(page: Page, world: StaffWorld) -> None:
    ids = seed_spor3(world.live)
    page.goto(f"/association/{ids['association']}/activities/new")
    page.locator("form.activity-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
