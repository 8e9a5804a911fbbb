"""Every public page the browser tests check, and how a person gets there.

A page is a route in a given state: the ask form empty, with errors, and
its receipt page are three. ``STATES`` must name every rule of the
blueprints in ``PUBLIC_BLUEPRINTS`` (test_accessibility.py fails on a
public route that is missing here), so a new public page is checked in
every language from the day it is added. The staff pages have their own
list, in tests/browser/staff_pages.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.browser import activity_pages
from tests.browser.checks import receipt_code, submit

if TYPE_CHECKING:
    from tests.browser.conftest import Live

PUBLIC_BLUEPRINTS = ("public", "root")
# Public GET routes that send a file, not a page (nothing for axe to check):
# tests/blueprints/test_activities_flow.py and test_activity_photos.py read them.
PUBLIC_DOWNLOADS = frozenset({"public.activity_ics_file", "public.activities_feed", "public.association_feed",
                              "public.activity_photo"})
# No sideways scrolling at these widths (CSS px): a small phone, a desktop.
WIDTHS = (320, 1280)

Opener = Callable[[Page, "Live", str], None]


@dataclass(frozen=True)
class State:
    name: str
    endpoint: str
    open: Opener
    method: str = "GET"  # how the page that ends up on screen was requested
    redirect_to: str | None = None  # a redirect: lands on the page of that state
    status: int = 200  # the HTTP status of the page on screen (a used survey link: 404)

    def check_endpoint(self, page: Page, live: Live) -> None:
        """The page on screen really is this state's route."""
        if self.redirect_to:
            return
        path = urlsplit(page.url).path
        endpoint, _args = live.app.url_map.bind("localhost").match(path, method=self.method)
        assert endpoint == self.endpoint, f"{self.name}: {path} is {endpoint}, not {self.endpoint}"


def _get(path: str) -> Opener:
    def opener(page: Page, live: Live, lang: str) -> None:
        page.goto(f"/{lang}{path}")
    return opener


def _ask_errors(page: Page, live: Live, lang: str) -> None:
    page.goto(f"/{lang}/ask")
    submit(page)
    expect(page.locator(".error-summary")).to_be_visible()


def _ask_sent(page: Page, live: Live, lang: str) -> None:
    page.goto(f"/{lang}/ask")
    page.locator("#question").fill("Hvordan søger jeg om hjælp til udstyr til babyen?")
    submit(page)
    receipt_code(page)


def _answer_errors(page: Page, live: Live, lang: str) -> None:
    page.goto(f"/{lang}/answer")
    page.locator("#code").fill("2222 3333 4444 5555 6666")
    submit(page)
    expect(page.locator(".form-error-message")).to_be_visible()


def _thread(page: Page, live: Live, lang: str) -> None:
    code = live.seed_question("Kan jeg få hjælp til at søge barselsdagpenge?", lang=lang,
                              answer="Ja. Ring til os, så gennemgår vi ansøgningen sammen.")
    page.goto(f"/{lang}/answer")
    page.locator("#code").fill(code)
    submit(page)
    expect(page.locator(".thread-message")).to_have_count(2)


def _reply_sent(page: Page, live: Live, lang: str) -> None:
    _thread(page, live, lang)
    page.locator("#message").fill("Tak! Jeg ringer i morgen.")
    submit(page)
    expect(page.locator(".alert-success")).to_be_visible()


def _delete_asked(page: Page, live: Live, lang: str) -> None:
    """The family asks to delete their question: the confirmation step."""
    _thread(page, live, lang)
    page.locator("main form[action$='/answer/delete'] button").click()
    expect(page.locator("main form[action$='/answer/delete/confirm']")).to_be_visible()


def _delete_kept(page: Page, live: Live, lang: str) -> None:
    _delete_asked(page, live, lang)
    page.locator("main form[action$='/answer/delete/cancel'] button").click()
    expect(page.locator(".thread-message")).to_have_count(2)


def _deleted(page: Page, live: Live, lang: str) -> None:
    _delete_asked(page, live, lang)
    page.locator("main form[action$='/answer/delete/confirm'] button").click()
    expect(page).to_have_url(live.url(f"/{lang}/answer/deleted"))


def _contact_errors(page: Page, live: Live, lang: str) -> None:
    page.goto(f"/{lang}/contact-me")
    submit(page)
    expect(page.locator(".error-summary")).to_be_visible()


def _survey(page: Page, live: Live, lang: str) -> None:
    """The family's survey from the slip's link (a closed case's one-time code)."""
    page.goto(live.survey_path(lang))
    expect(page.locator("main form.survey-form fieldset")).to_have_count(4)


def _survey_thanks(page: Page, live: Live, lang: str) -> None:
    _survey(page, live, lang)
    page.locator("label[for='helped-1']").click()
    page.locator("#free_text").fill("Tak for en god samtale.")
    submit(page)
    expect(page).to_have_url(live.url(f"/{lang}/survey/thank-you"))


def _survey_code_errors(page: Page, live: Live, lang: str) -> None:
    page.goto(f"/{lang}/survey")
    page.locator("#code").fill("2222 3333 4444 5555")
    submit(page)
    expect(page.locator(".form-error-message")).to_be_visible()


def _redirect(path: str, landing: str) -> Opener:
    """The root addresses pick the language from Accept-Language (the
    browser context's locale)."""
    def opener(page: Page, live: Live, lang: str) -> None:
        page.goto(path)
        expect(page).to_have_url(live.url(f"/{lang}{landing}"))
    return opener


STATES: tuple[State, ...] = (
    State("index", "public.index", _get("/")),
    State("ask", "public.ask", _get("/ask")),
    State("ask_errors", "public.ask", _ask_errors, method="POST"),
    State("ask_sent", "public.ask", _ask_sent, method="POST"),
    State("answer", "public.answer", _get("/answer")),
    State("answer_errors", "public.answer", _answer_errors, method="POST"),
    State("thread", "public.answer", _thread, method="POST"),
    State("reply_sent", "public.reply", _reply_sent, method="POST"),
    # The family deletes their own question (issue 13).
    State("delete_asked", "public.delete_thread", _delete_asked, method="POST"),
    State("delete_kept", "public.keep_thread", _delete_kept, method="POST"),
    State("delete_done", "public.delete_thread_confirmed", _deleted, method="POST", redirect_to="deleted"),
    State("deleted", "public.thread_deleted", _get("/answer/deleted")),
    State("contact_me", "public.contact_me", _get("/contact-me")),
    State("contact_errors", "public.contact_me", _contact_errors, method="POST"),
    State("contact_sent", "public.contact_sent", _get("/contact-me/sent")),
    State("activities", "public.activities", activity_pages.listing),
    State("activities_filtered", "public.activities", activity_pages.listing_filtered_empty),
    State("activity", "public.activity", activity_pages.activity),
    State("activity_cancelled", "public.activity", activity_pages.activity_cancelled),
    State("accessibility", "public.accessibility", _get("/accessibility")),
    # Satisfaction surveys (issue 9).
    State("survey", "public.survey", _survey),
    State("survey_gone", "public.survey", _get("/survey/2222333344445555"), status=404),
    State("survey_thanks", "public.survey_thanks", _survey_thanks),
    State("survey_code", "public.survey_code", _get("/survey")),
    State("survey_code_errors", "public.survey_code", _survey_code_errors, method="POST"),
    State("root", "root.root", _redirect("/", "/"), redirect_to="index"),
    State("was", "root.accessibility", _redirect("/was", "/accessibility"), redirect_to="accessibility"),
)
BY_NAME = {state.name: state for state in STATES}

# The pages a person sees most; screenshotted at phone and desktop width.
MAIN_PAGES = ("index", "ask", "ask_sent", "answer", "thread", "contact_me", "contact_errors",
              "contact_sent", "activities", "activity", "accessibility")
