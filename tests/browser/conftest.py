"""The browser harness: the app served on a free localhost port, Debian's
chromium driven by Playwright, and checks shared by the browser tests.

One server and one browser per session; a new browser context per test.
Without a chromium the browser tests are skipped, with the reason printed
(``-ra``); everything else that goes wrong here is an error, not a skip."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from portal import create_app, db
from portal.i18n import text_direction
from portal.schema import upgrade_database
from portal.security import format_receipt_code
from portal.services import inquiries, surveys, triage
from tests.browser.checks import horizontal_overflow, run_axe
from tests.browser.pages import STATES, WIDTHS, State
from tests.browser.staff_pages import (
    ACCOUNTS,
    StaffState,
    StaffUser,
    StaffWorld,
    log_in,
    seed_staff_world,
    walked_in,
)
from tests.factories import make_closed_case, make_counsellor

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOT_DIR = ROOT / "test-artifacts" / "screenshots"
DEFAULT_VIEWPORT = {"width": 1280, "height": 900}
STAFF_NARROW_AXE_LANG = "da"  # the staff pages are also checked with axe at 320 px in this language

# Where the session keeps what the terminal summary prints.
_BROWSER_INFO = pytest.StashKey[str]()
_SCREENSHOTS = pytest.StashKey[list]()

# Longer than SQLite's busy timeout (15 s, portal/db.py): on a loaded CI
# machine a POST may wait that long for the write lock before it answers.
WAIT_MS = 30_000
expect.set_options(timeout=WAIT_MS)


def find_chromium() -> str | None:
    """Debian's chromium (never a browser Playwright downloads)."""
    for candidate in (os.environ.get("PORTAL_TEST_CHROMIUM"), CHROMIUM,
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


# --- the app, served ---------------------------------------------------------

class _QuietHandler(WSGIRequestHandler):
    """No access log lines between the test dots (errors are still logged)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def _buffered(app: Flask):
    """Hand werkzeug each response whole. When the browser drops a
    connection mid-response (it navigates on while a font is still
    loading), werkzeug's dev server can skip the response's close(),
    leaving the static file open: a ResourceWarning, which this project
    turns into an error in whichever test is running."""

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@dataclass
class Live:
    """The served app: its base URL, and the counsellor's side of a flow,
    done through the services on the same database file."""

    app: Flask
    base_url: str

    def url(self, path: str) -> str:
        return self.base_url + path

    def seed_question(self, text: str, *, lang: str, answer: str | None = None) -> str:
        """An anonymous question (answered if ``answer``); returns its printed code."""
        with self.app.app_context():
            session = db.session()
            inquiry, code = inquiries.create_anonymous_question(session, text=text, language=lang)
            if answer:
                _claim_and_answer(session, inquiry, answer)
            db.commit()
        return format_receipt_code(code)

    def survey_path(self, lang: str) -> str:
        """A family's one-time survey, as the counsellor makes it for a closed case: its link's path."""
        with self.app.app_context():
            session = db.session()
            counsellor = make_counsellor(session, name="Browser Rådgiver")
            _invitation, code = surveys.offer_family_survey(session, counsellor, make_closed_case(session, counsellor),
                                                            language=lang)
            db.commit()
        return f"/{lang}/survey/{code}"

    def answer(self, code: str, text: str) -> None:
        """A counsellor answers the question with this receipt code."""
        with self.app.app_context():
            session = db.session()
            inquiry = inquiries.find_by_receipt(session, code)
            assert inquiry is not None, "no question with that code in the database"
            _claim_and_answer(session, inquiry, text)
            db.commit()


def _claim_and_answer(session, inquiry, text: str) -> None:
    """What a counsellor does on the staff side: take the question, answer it."""
    counsellor = make_counsellor(session, name="Browser Rådgiver")
    triage.claim(session, counsellor, inquiry.id)
    triage.answer(session, counsellor, inquiry, text)


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The app on a migrated SQLite file, served by werkzeug in a daemon thread."""
    path = tmp_path_factory.mktemp("browser") / "portal.sqlite3"
    url = f"sqlite:///{path}"
    upgrade_database(url)
    app = create_app({
        "ENV": "testing",
        "DATABASE_URL": url,
        "MIN_FILL_SECONDS": 0,
        "WTF_CSRF_ENABLED": True,
        # The limiter counts per client, and every test is the same client.
        "RATELIMIT_POST": "100000 per minute",
        "RATELIMIT_RECEIPT_FAILURES": "100000 per minute",
    })
    server = make_server("127.0.0.1", 0, _buffered(app), threaded=True, request_handler=_QuietHandler)
    # Absolute addresses (the leaflet's QR code) lead to the served app.
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="browser-test-server", daemon=True)
    thread.start()
    try:
        yield Live(app=app, base_url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.extensions["db_engine"].dispose()


# --- the browser -------------------------------------------------------------

@pytest.fixture(scope="session")
def browser(pytestconfig: pytest.Config) -> Iterator[Browser]:
    executable = find_chromium()
    if executable is None:
        reason = (f"no chromium found (looked for $PORTAL_TEST_CHROMIUM, {CHROMIUM}, and "
                  "chromium / chromium-browser on PATH); `make chromium` installs Debian's")
        pytestconfig.stash[_BROWSER_INFO] = "SKIPPED: " + reason
        pytest.skip(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        pytestconfig.stash[_BROWSER_INFO] = f"Chromium {launched.version} ({executable})"
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class _Watch:
    """What went wrong in a test's pages besides its own assertions."""

    base_url: str
    problems: list[str] = field(default_factory=list)
    # Pages answered with a 4xx on purpose (a form with errors: 400; a dead
    # set-up link: 404) are left for the caller to judge: their statuses are
    # kept here, and chromium's console line about them is not a problem.
    judge_documents: bool = False
    document_statuses: list[int] = field(default_factory=list)
    _failed_documents: set[str] = field(default_factory=set)

    def page(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"script error: {exc}"))
        page.on("response", self._response)

    def _console(self, message) -> None:
        # A CSP violation or a failed load shows up here as an error.
        if message.type == "error":
            if (self.judge_documents and message.text.startswith("Failed to load resource")
                    and message.location.get("url") in self._failed_documents):
                return
            self.problems.append(f"console error: {message.text}")

    def _response(self, response) -> None:
        local = response.url.startswith(self.base_url)
        document = response.request.resource_type == "document"
        if local and document and self.judge_documents and 400 <= response.status < 500:
            self.document_statuses.append(response.status)
            self._failed_documents.add(response.url)
        elif local and (response.status >= 500 or (response.status >= 400 and not document)):
            self.problems.append(f"HTTP {response.status} for {response.url}")

    def foreign(self, route) -> None:
        # Nothing on a public page may come from another host; tests that
        # follow a link away (quick exit) route that address on the page.
        self.problems.append(f"request to another host: {route.request.url}")
        route.abort()


def _open_context(browser: Browser, live: Live, watch: _Watch, *, javascript: bool = True,
                  locale: str = "da-DK", **options) -> BrowserContext:
    """A context on the served app; ``locale`` is also its Accept-Language."""
    options.setdefault("viewport", DEFAULT_VIEWPORT)
    context = browser.new_context(base_url=live.base_url, java_script_enabled=javascript,
                                  locale=locale, **options)
    context.set_default_timeout(WAIT_MS)
    context.route(lambda url: not url.startswith(live.base_url), watch.foreign)
    context.on("page", watch.page)
    return context


@pytest.fixture
def new_context(browser: Browser, live: Live) -> Iterator[Callable[..., BrowserContext]]:
    """Make browser contexts on the served app (closed after the test).

    The test fails afterwards on a console error (a CSP violation, say), a
    script error, a 5xx, a missing asset, or a request to another host.
    ``client_errors=True``: the test opens pages answered with a 4xx on
    purpose (a form with errors: 400), which are then no problem."""
    contexts: list[BrowserContext] = []
    watch = _Watch(live.base_url)

    def _new(*, client_errors: bool = False, **options) -> BrowserContext:
        watch.judge_documents = watch.judge_documents or client_errors
        context = _open_context(browser, live, watch, **options)
        contexts.append(context)
        return context

    yield _new
    for context in contexts:
        context.close()
    assert watch.problems == [], "\n".join(watch.problems)


@pytest.fixture
def page(new_context) -> Page:
    """A page with JavaScript, in a fresh context."""
    return new_context().new_page()


@pytest.fixture
def nojs_page(new_context) -> Page:
    """A page with JavaScript switched off, in a fresh context."""
    return new_context(javascript=False).new_page()


# --- every public page, walked once per language ---------------------------

@dataclass
class PagesReport:
    """What one walk over every public page in one language found."""

    lang: str
    walked: list[str] = field(default_factory=list)  # pages measured, by State name
    violations: dict[str, list[dict]] = field(default_factory=dict)  # page -> axe findings
    overflow: dict[str, dict] = field(default_factory=dict)  # "page at 320px" -> what sticks out
    problems: list[str] = field(default_factory=list)


def walk_public_pages(browser: Browser, live: Live, lang: str, states: Sequence[State] = STATES) -> PagesReport:
    """Open each state in ``lang``: axe, then each width (a survey test walks only its own)."""
    report = PagesReport(lang)
    watch = _Watch(live.base_url, report.problems, judge_documents=True)
    context = _open_context(browser, live, watch, locale=lang)
    try:
        page = context.new_page()
        for state in states:
            page.set_viewport_size(DEFAULT_VIEWPORT)
            state.open(page, live, lang)
            state.check_endpoint(page, live)
            statuses, expected = watch.document_statuses, [state.status] if state.status >= 400 else []
            if statuses != expected:
                report.problems.append(f"{state.name}: pages answered {statuses}, expected {expected}")
            statuses.clear()
            if state.redirect_to:
                continue  # it landed on a page walked under its own name
            report.walked.append(state.name)
            report.violations[state.name] = run_axe(page)
            for width in WIDTHS:
                overflow = horizontal_overflow(page, width)
                if overflow:
                    report.overflow[f"{state.name} at {width}px"] = overflow
    finally:
        context.close()
    return report


@pytest.fixture(scope="session")
def public_pages(browser: Browser, live: Live) -> Callable[[str], PagesReport]:
    """Walk every public page in a language once (axe, then each width) and
    keep the report: the axe and the layout tests each judge their part,
    so the pages are not opened twice."""
    reports: dict[str, PagesReport] = {}

    def _report(lang: str) -> PagesReport:
        if lang not in reports:
            reports[lang] = walk_public_pages(browser, live, lang)
        return reports[lang]

    return _report


# --- every staff page, walked once per staff language ------------------------

@pytest.fixture(scope="session")
def staff_world(browser: Browser, live: Live) -> Callable[[str], StaffWorld]:
    """The staff pages' data in a language (a lead and a referrer whose
    account language it is, inquiries, referrals, a case), with the lead and
    the referrer each logged in once through the real login form; tests
    reuse that browser state (``world.storage_state``, ``world.referrer_state``)."""
    worlds: dict[str, StaffWorld] = {}

    def _world(lang: str) -> StaffWorld:
        if lang not in worlds:
            world = seed_staff_world(live, lang)
            watch = _Watch(live.base_url)
            world.storage_state = _logged_in_state(browser, live, watch, lang, world.lead)
            world.referrer_state = _logged_in_state(browser, live, watch, lang, world.referrer)
            assert watch.problems == [], "\n".join(watch.problems)
            worlds[lang] = world
        return worlds[lang]

    return _world


def _logged_in_state(browser: Browser, live: Live, watch: _Watch, lang: str, user: StaffUser) -> dict:
    context = _open_context(browser, live, watch, locale=lang)
    try:
        log_in(context.new_page(), live, user)
        return context.storage_state()
    finally:
        context.close()


def walk_staff_pages(browser: Browser, live: Live, world: StaffWorld,
                     states: Sequence[StaffState] | None = None) -> PagesReport:
    """Open each staff state of the walk in the world's language (a survey test walks only its own)."""
    report = PagesReport(world.lang)
    watch = _Watch(live.base_url, report.problems, judge_documents=True)
    contexts = {account: _open_context(browser, live, watch, locale=world.lang,
                                       storage_state=world.state_of(account)) for account in ACCOUNTS}
    try:
        pages = {account: context.new_page() for account, context in contexts.items()}
        for state in walked_in(world.lang) if states is None else states:
            page = pages[state.account]
            page.set_viewport_size(DEFAULT_VIEWPORT)
            state.open(page, world)
            state.check_endpoint(page, live)
            statuses, expected = watch.document_statuses, [state.status] if state.status >= 400 else []
            if statuses != expected:
                report.problems.append(f"{state.name}: pages answered {statuses}, expected {expected}")
            statuses.clear()
            if state.redirect_to:
                continue
            page_lang = state.page_lang or world.lang
            lang, direction = page.locator("html").get_attribute("lang"), page.locator("html").get_attribute("dir")
            if (lang, direction) != (page_lang, text_direction(page_lang)):
                report.problems.append(f"{state.name} is in {lang!r} ({direction}), not {page_lang!r} "
                                       f"({text_direction(page_lang)})")
            title, errors = page.title(), page.locator(".error-summary").count() > 0
            if errors != title.startswith(world.error_prefix):
                report.problems.append(f"{state.name}: the title {title!r} does not tell whether the form "
                                       f"has errors (an error summary {'is' if errors else 'is not'} shown)")
            if state.title is not None:
                wanted = (f"{world.error_prefix} " if errors else "") + state.title(world, page_lang)
                if title != wanted:
                    report.problems.append(f"{state.name}: the title is {title!r}, not {wanted!r}")
            report.walked.append(state.name)
            report.violations[state.name] = run_axe(page)
            for width in WIDTHS:
                overflow = horizontal_overflow(page, width)
                if overflow:
                    report.overflow[f"{state.name} at {width}px"] = overflow
                if width < DEFAULT_VIEWPORT["width"] and world.lang == STAFF_NARROW_AXE_LANG:
                    # On a phone the tables scroll inside their containers; axe
                    # again at that width (in one language: the layout is the same).
                    report.violations[f"{state.name} at {width}px"] = run_axe(page)
    finally:
        for context in contexts.values():
            context.close()
    return report


@pytest.fixture(scope="session")
def staff_pages(browser: Browser, live: Live, staff_world) -> Callable[[str], PagesReport]:
    """Walk every staff page in a staff language once (axe, then each
    width); the axe and the layout tests each judge their part."""
    reports: dict[str, PagesReport] = {}

    def _report(lang: str) -> PagesReport:
        if lang not in reports:
            reports[lang] = walk_staff_pages(browser, live, staff_world(lang))
        return reports[lang]

    return _report


# --- screenshots -------------------------------------------------------------

@pytest.fixture(scope="session")
def screenshot_dir(pytestconfig: pytest.Config) -> Path:
    """test-artifacts/screenshots/, emptied once per run (git-ignored)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOT_DIR.glob("*.png"):
        old.unlink()
    pytestconfig.stash[_SCREENSHOTS] = []
    return SCREENSHOT_DIR


@pytest.fixture
def save_screenshot(screenshot_dir: Path, pytestconfig: pytest.Config) -> Callable[[Page, str], Path]:
    def _save(page: Page, name: str) -> Path:
        target = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        pytestconfig.stash[_SCREENSHOTS].append(target)
        return target
    return _save


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    info = config.stash.get(_BROWSER_INFO, None)
    shots = config.stash.get(_SCREENSHOTS, None)
    if info is None and not shots:
        return
    terminalreporter.write_sep("-", "browser tests")
    if info:
        terminalreporter.write_line(f"browser: {info}")
    if shots:
        terminalreporter.write_line(f"screenshots: {len(shots)} in {SCREENSHOT_DIR}")
