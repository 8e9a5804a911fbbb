"""Every staff page the browser tests check, the data they show, and the
staff login done the way a person does it.

``STAFF_STATES`` must name every GET rule of the ``staff`` blueprint
(test_staff.py fails on one that is missing here); a POST-only rule is
checked through the page it renders (the answer form's errors are the
inquiry page as ``staff.answer`` returns it). The pages are walked in
Danish and English, the two staff languages, by the ``staff_pages``
fixture: the anonymous ones (log-in, set-up) in a fresh context, the
rest logged in as a lead, who sees every staff page and every form."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pyotp
from flask_babel import force_locale, gettext
from playwright.sync_api import Page, expect

from portal import db
from portal.models import User
from portal.services import accounts, cases, inquiries, triage
from tests.browser.pages import State
from tests.conftest import PASSWORD
from tests.factories import make_contact_request

if TYPE_CHECKING:
    from tests.browser.conftest import Live

STAFF_BLUEPRINTS = ("staff",)


# --- accounts and TOTP -------------------------------------------------------

@dataclass(frozen=True)
class StaffUser:
    id: int
    email: str
    name: str
    role: str
    secret: str | None


def create_staff_user(live: Live, role: str, *, name: str, language: str = "da",
                      totp: bool = True) -> StaffUser:
    """An account with PASSWORD (and a confirmed TOTP secret if ``totp``),
    made through the services in the served app's database."""
    email = f"{role}-{time.time_ns()}@test.invalid"
    with live.app.app_context():
        user, _token = accounts.create_user(db.session(), email=email, role=role, name=name, language=language)
        accounts.complete_setup(user, PASSWORD)
        if totp:
            user.totp_secret = pyotp.random_base32()
            user.totp_confirmed = True
        db.commit()
        return StaffUser(user.id, user.email, user.name, role, user.totp_secret)


def fresh_code(live: Live, user: StaffUser) -> str:
    """A code the account has not used yet: this step's, or the next one's
    if this step is spent (a code counts once; ±1 step of drift is allowed)."""
    with live.app.app_context():
        last = db.session().get(User, user.id).totp_last_step
    totp = pyotp.TOTP(user.secret)
    step = int(time.time() // totp.interval)
    if last is not None and last >= step:
        step = last + 1
    return totp.at(step * totp.interval)


def wrong_code(user: StaffUser) -> str:
    """Six digits the server cannot accept, whichever step it is in."""
    totp, now = pyotp.TOTP(user.secret), int(time.time())
    valid = {totp.at(now + drift * totp.interval) for drift in range(-2, 3)}
    return next(code for code in ("123456", "654321", "111111", "999999") if code not in valid)


def error_prefix(live: Live, lang: str) -> str:
    """What a page title starts with when a form on the page has errors ("Fejl:")."""
    with live.app.test_request_context(), force_locale(lang):
        return gettext("Error:")


def enter_password(page: Page, user: StaffUser, *, password: str = PASSWORD) -> None:
    """Step one of the login, typed into the real fields."""
    page.goto("/staff/login")
    page.locator("#email").fill(user.email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()


def log_in(page: Page, live: Live, user: StaffUser) -> None:
    """Password, then the code from the app; lands on the start page."""
    enter_password(page, user)
    expect(page).to_have_url(live.url("/staff/login/code"))
    page.locator("#code").fill(fresh_code(live, user))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("form.staff-logout")).to_be_visible()


# --- what the staff pages show -------------------------------------------------

@dataclass
class StaffWorld:
    """The accounts and inquiries one walk over the staff pages uses."""

    live: Live
    lang: str
    lead: StaffUser  # the walk's logged-in account; its language is the walk's
    counsellor: StaffUser  # holds the inquiries; also the pending login of the code page
    setup_token: str  # an unused set-up link of an invited account
    question_id: int  # an anonymous question with an answer
    contact_id: int  # a contact request with attempts, and a case
    case_id: int  # the contact request's case, with notes
    storage_state: dict | None = None  # the lead's logged-in browser state, once logged in

    @property
    def error_prefix(self) -> str:
        return error_prefix(self.live, self.lang)


def seed_staff_world(live: Live, lang: str) -> StaffWorld:
    lead = create_staff_user(live, "lead", name="Lone Leder", language=lang)
    counsellor = create_staff_user(live, "counsellor", name="Rikke Rådgiver")
    with live.app.app_context():
        sess = db.session()
        holder = sess.get(User, counsellor.id)
        _invited, token = accounts.create_user(sess, email=f"invited-{time.time_ns()}@test.invalid",
                                               role="counsellor", name="Ida Inviteret")

        question, _code = inquiries.create_anonymous_question(
            sess, text="Hvordan søger jeg om hjælp til en barnevogn?", language="da",
            topics=["economy", "parenting"], hospital_code="rh")
        triage.claim(sess, holder, question.id)
        triage.answer(sess, holder, question, "Tak for dit spørgsmål. Ring til os, så hjælper vi.")

        contact = make_contact_request(
            sess, language="ar", nickname="Fatima", phone="+45 99 88 77 66", email="fatima@example.dk",
            may_send_text=True, best_times=["morning"], hospital_code="rh", pregnancy_status="pregnant",
            topics=["housing"], note="Jeg taler lidt dansk.", conversation_language="ar",
            interpreter_needed=True)
        triage.claim(sess, holder, contact.id)
        triage.log_attempt(sess, holder, contact, method="phone", reached=False, note="Telefonsvarer")
        triage.log_attempt(sess, holder, contact, method="text", reached=True)
        case = cases.open_case(sess, holder, contact)
        cases.update_evaluation(sess, holder, case, {"heard_from": None, "children_0_3": 1})
        cases.add_note(sess, holder, case, body="Første samtale. Aftalt at ringe igen.",
                       noted_on=date.today() - timedelta(days=1))
        cases.add_note(sess, holder, case, body="Boligstøtte søgt sammen med familien.")
        db.commit()
        return StaffWorld(live, lang, lead, counsellor, token, question.id, contact.id, case.id)


# --- the pages ------------------------------------------------------------------

StaffOpener = Callable[[Page, StaffWorld], None]


@dataclass(frozen=True)
class StaffState(State):
    open: StaffOpener  # type: ignore[assignment]  # (page, world), not (page, live, lang)
    logged_in: bool = True  # opened in the lead's context, else in an anonymous one
    status: int = 200  # the HTTP status of the page on screen


def _get(path: str) -> StaffOpener:
    def opener(page: Page, world: StaffWorld) -> None:
        page.goto(path.format(w=world))
    return opener


def _errors_shown(page: Page) -> None:
    expect(page.locator(".error-summary")).to_be_visible()


def _choose_language(page: Page, world: StaffWorld) -> None:
    """Before logging in, the language links set the staff language."""
    page.goto(f"/staff/language/{world.lang}")
    expect(page).to_have_url(world.live.url("/staff/login"))
    expect(page.locator("html")).to_have_attribute("lang", world.lang)


def _login_errors(page: Page, world: StaffWorld) -> None:
    page.goto("/staff/login")
    page.locator("#email").fill("nobody@test.invalid")
    page.locator("#password").fill("not the password")
    page.locator("main form button[type=submit]").click()
    _errors_shown(page)


def _login_code(page: Page, world: StaffWorld) -> None:
    enter_password(page, world.counsellor)
    expect(page).to_have_url(world.live.url("/staff/login/code"))


def _login_code_errors(page: Page, world: StaffWorld) -> None:
    _login_code(page, world)
    page.locator("#code").fill(wrong_code(world.counsellor))
    page.locator("main form button[type=submit]").click()
    _errors_shown(page)


def _totp_setup(page: Page, world: StaffWorld) -> None:
    """The set-up link's second step: after the password, the QR code."""
    page.goto(f"/staff/setup?t={world.setup_token}")
    page.locator("#password").fill("grøn-cykel-under-broen")
    page.locator("#confirm").fill("grøn-cykel-under-broen")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(world.live.url("/staff/setup/2fa"))
    expect(page.locator(".totp-qr svg")).to_be_visible()


def _queue_empty(page: Page, world: StaffWorld) -> None:
    page.goto("/staff/?status=all&kind=professional_referral&language=uk")  # no test makes those
    expect(page.locator(".queue-table")).to_have_count(0)


def _queue(page: Page, world: StaffWorld) -> None:
    page.goto("/staff/")
    expect(page.locator(".queue-table tbody tr").first).to_be_visible()


def _answer_errors(page: Page, world: StaffWorld) -> None:
    page.goto(f"/staff/inquiries/{world.question_id}")
    page.locator("form[action$='/answer'] button[type=submit]").click()  # nothing written
    _errors_shown(page)


def _case_errors(page: Page, world: StaffWorld) -> None:
    page.goto(f"/staff/cases/{world.case_id}")
    page.locator("#birth_year").fill("1800")
    page.locator("#children_4_6").fill("99")
    page.locator("form.case-form button[type=submit]").click()
    _errors_shown(page)


def _note_errors(page: Page, world: StaffWorld) -> None:
    page.goto(f"/staff/cases/{world.case_id}")
    page.locator("form[action$='/notes'] button[type=submit]").click()  # nothing written
    _errors_shown(page)


def _user_invited(page: Page, world: StaffWorld) -> None:
    page.goto("/staff/users")
    page.locator("#email").fill(f"ny-{time.time_ns()}@example.dk")
    page.locator("#name").fill("Niels Ny")
    page.locator("#role").select_option("counsellor")
    page.locator("main form button[type=submit]").last.click()  # the invite form's
    expect(page.locator(".setup-link")).to_be_visible()


def _users_errors(page: Page, world: StaffWorld) -> None:
    page.goto("/staff/users")
    page.locator("#email").fill("not-an-address")
    page.locator("main form button[type=submit]").last.click()
    _errors_shown(page)


def _account_errors(page: Page, world: StaffWorld) -> None:
    page.goto("/staff/account")
    page.locator("#pw-current_password").fill("wrong")
    page.locator("#pw-password").fill("kort")
    page.locator("form:has(#pw-password) button[type=submit]").click()
    _errors_shown(page)


STAFF_STATES: tuple[StaffState, ...] = (
    # Anonymous: before the login is complete.
    StaffState("set_language", "staff.set_language", _choose_language, redirect_to="login", logged_in=False),
    StaffState("login", "staff.login", _get("/staff/login"), logged_in=False),
    StaffState("login_errors", "staff.login", _login_errors, method="POST", logged_in=False),
    StaffState("login_code", "staff.login_code", _login_code, logged_in=False),
    StaffState("login_code_errors", "staff.login_code", _login_code_errors, method="POST", logged_in=False),
    StaffState("setup", "staff.setup", _get("/staff/setup?t={w.setup_token}"), logged_in=False),
    StaffState("totp_setup", "staff.setup_2fa", _totp_setup, logged_in=False),
    StaffState("setup_invalid", "staff.setup", _get("/staff/setup?t=no-such-link"), logged_in=False, status=404),
    # Logged in as a lead.
    StaffState("queue", "staff.queue", _queue),
    StaffState("queue_empty", "staff.queue", _queue_empty),
    StaffState("inquiry_question", "staff.inquiry", _get("/staff/inquiries/{w.question_id}")),
    StaffState("answer_errors", "staff.answer", _answer_errors, method="POST", status=400),
    StaffState("inquiry_contact", "staff.inquiry", _get("/staff/inquiries/{w.contact_id}")),
    StaffState("cases", "staff.case_list", _get("/staff/cases?holder=all")),
    StaffState("case", "staff.case", _get("/staff/cases/{w.case_id}")),
    StaffState("case_errors", "staff.save_case", _case_errors, method="POST", status=400),
    StaffState("note_errors", "staff.add_note", _note_errors, method="POST", status=400),
    StaffState("case_audit", "staff.case_audit", _get("/staff/cases/{w.case_id}/audit")),
    StaffState("users", "staff.users", _get("/staff/users")),
    StaffState("users_errors", "staff.users", _users_errors, method="POST"),
    StaffState("user_invited", "staff.users", _user_invited, method="POST"),
    StaffState("user_audit", "staff.user_audit", _get("/staff/users/{w.counsellor.id}/audit")),
    StaffState("account", "staff.account", _get("/staff/account")),
    StaffState("account_errors", "staff.account", _account_errors, method="POST"),
)
STAFF_BY_NAME = {state.name: state for state in STAFF_STATES}
