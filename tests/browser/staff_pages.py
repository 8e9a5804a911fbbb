"""Every staff and referrer page the browser tests check, the data they
show, and the staff login done the way a person does it.

``STAFF_STATES`` must name every GET rule of the ``staff`` and
``referrers`` blueprints, and every GET rule under /staff/ or /refer/
(test_accessibility.py fails on one that is missing here); a POST-only
rule is checked through the page it renders (the answer form's errors are
the inquiry page as ``staff.answer`` returns it). The pages are walked in
Danish and English, the two staff languages, by the ``staff_pages``
fixture: the anonymous ones (log-in, set-up) in a fresh context, the
referrer's pages (/refer/, the leaflets) logged in as a midwife at
Rigshospitalet, the rest logged in as a lead, who sees every staff page
and every form. The printed leaflet is walked in each of the six public
languages in the Danish walk, and in English and Arabic in the English
walk (only its screen-only bar, in the staff member's language, differs)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pyotp
from flask_babel import force_locale, gettext
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal import db
from portal.i18n import LANGUAGES
from portal.models import Inquiry, User
from portal.services import (
    accounts,
    admissions,
    attendance,
    cases,
    courses,
    inquiries,
    referrals,
    sparring,
    surveys,
    triage,
)
from tests.browser import activity_pages
from tests.browser.pages import State
from tests.conftest import PASSWORD
from tests.factories import make_closed_case, make_contact_request

if TYPE_CHECKING:
    from tests.browser.conftest import Live

STAFF_BLUEPRINTS = ("staff", "referrers", "associations")
# Every GET rule under these paths is a staff-side page, whichever blueprint serves it.
STAFF_PREFIXES = ("/staff/", "/refer/", "/association/")
# GET routes that send a file, not a page (nothing for axe to check): the
# test client covers them (tests/blueprints/test_stats_page.py, tests/services/test_exports.py).
DOWNLOADS = frozenset({"staff.export_csv", "staff.export_xlsx", "staff.export_cases",
                       "associations.photo",  # the photo: tests/blueprints/test_association_access.py
                       # A person's data as JSON: tests/blueprints/test_rights_flow.py.
                       "staff.export_inquiry", "staff.export_case"})
# The hospital of the walk's referrer, and of the leaflets walked.
HOSPITAL = "rh"
# What every page title ends with (base.html), after " – ".
SITE_TITLE = "Counselling for pregnant women and new families"
LEAFLETS_IN_EVERY_WALK = ("en", "ar")
SLIP_LANGUAGE = "ar"  # the family's language of the survey slip walked (right to left)


# --- accounts and TOTP -------------------------------------------------------

@dataclass(frozen=True)
class StaffUser:
    id: int
    email: str
    name: str
    role: str
    secret: str | None


def create_staff_user(live: Live, role: str, *, name: str, language: str = "da",
                      totp: bool = True, hospital_code: str | None = None) -> StaffUser:
    """An account with PASSWORD (and a confirmed TOTP secret if ``totp``),
    made through the services in the served app's database. A referrer
    belongs to a hospital (``hospital_code``, Rigshospitalet unless told)."""
    email = f"{role}-{time.time_ns()}@test.invalid"
    if role == "referrer":
        hospital_code = hospital_code or HOSPITAL
    with live.app.app_context():
        user, _token = accounts.create_user(db.session(), email=email, role=role, name=name, language=language,
                                            hospital_code=hospital_code)
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


def translate(live: Live, lang: str, text: str) -> str:
    """``text`` as the app translates it in ``lang`` (staff catalog first,
    then the public one, as the app's BABEL_DOMAIN has it)."""
    with live.app.test_request_context(), force_locale(lang):
        return gettext(text)


def error_prefix(live: Live, lang: str) -> str:
    """What a page title starts with when a form on the page has errors ("Fejl:")."""
    return translate(live, lang, "Error:")


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
    referrer: StaffUser  # a midwife at HOSPITAL whose account language is the walk's
    referral_id: int  # her urgent referral: taken, the family reached, a feedback line
    referral_label: str  # its label on the staff side
    sparring_id: int  # her sparring question, answered by the counsellor
    sparring_label: str
    hospital_name: str  # HOSPITAL's name
    storage_state: dict | None = None  # the lead's logged-in browser state, once logged in
    referrer_state: dict | None = None  # the referrer's, once logged in
    # Spor 2: a running course (one family admitted, one waiting, one proposed
    # by the referrer; attendance taken for its first session) and a stay offer.
    course_id: int = 0
    course_session_id: int = 0
    enrollment_id: int = 0  # Fatima's place on the course (her sheet is in Arabic)
    stay_id: int = 0

    @property
    def error_prefix(self) -> str:
        return error_prefix(self.live, self.lang)

    def state_of(self, account: str) -> dict | None:
        """The logged-in browser state of "lead" or "referrer" (None: anonymous)."""
        return {"lead": self.storage_state, "referrer": self.referrer_state}.get(account)


def seed_staff_world(live: Live, lang: str) -> StaffWorld:
    lead = create_staff_user(live, "lead", name="Lone Leder", language=lang)
    counsellor = create_staff_user(live, "counsellor", name="Rikke Rådgiver")
    referrer = create_staff_user(live, "referrer", name="Jette Jordemoder", language=lang)
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
        referred = _seed_referrals(sess, holder, sess.get(User, referrer.id))
        on_courses = _seed_courses(sess, holder, sess.get(User, referrer.id), contact, referred["referral_id"])
        db.commit()
        return StaffWorld(live, lang, lead, counsellor, token, question.id, contact.id, case.id,
                          referrer=referrer, **referred, **on_courses)


def _seed_referrals(sess, holder: User, midwife: User) -> dict:
    """The referrer's referrals in each status the referrer sees (received,
    contact made, counselling under way, closed), with feedback lines, and
    two sparring questions (one answered): what /refer/ lists."""
    def refer(**fields) -> Inquiry:
        return referrals.refer(sess, midwife, referrals.Referral(family_agreed=True, **fields), retention_months=6)

    closed = refer(first_name="Louise", email="louise@example.dk", topics=["network"], pregnancy_status="pregnant")
    triage.claim(sess, holder, closed.id)
    triage.log_attempt(sess, holder, closed, method="phone", reached=False)
    triage.close(sess, holder, closed, "no_contact")
    referrals.give_feedback(sess, holder, closed, code="could_not_reach")

    counselling = refer(first_name="Maria", phone="+45 31 32 33 34", topics=["economy", "parental_leave"],
                        pregnancy_status="parent", conversation_language="da")
    triage.claim(sess, holder, counselling.id)
    triage.log_attempt(sess, holder, counselling, method="phone", reached=True)
    cases.open_case(sess, holder, counselling)
    referrals.give_feedback(sess, holder, counselling, code="in_counselling")

    reached = refer(first_name="Amira", phone="+45 11 22 33 44", email="amira@example.dk", may_leave_voicemail=True,
                    may_send_text=True, best_times=["afternoon"], conversation_language="ar", interpreter_needed=True,
                    pregnancy_status="pregnant", topics=["housing", "economy"], urgent=True,
                    reason="Bekymret for huslejen efter fødslen; bor hos en veninde.")
    triage.claim(sess, holder, reached.id)
    triage.log_attempt(sess, holder, reached, method="phone", reached=True, note="Talte med mor om boligstøtte")
    referrals.give_feedback(sess, holder, reached, code="contact_made", text="Vi ses på torsdag på barselsgangen.")

    refer(first_name="Sara", phone="22 33 44 55", topics=["pregnancy_birth"], urgent=True)  # no one has taken it

    sparring.ask(sess, midwife, "Hvordan taler vi med en familie om gæld, uden at de føler sig dømt?")  # waiting
    question = sparring.ask(sess, midwife, "En mor er bange for at miste sin lejlighed efter fødslen. "
                                           "Hvad kan hun søge om, og hvor skal hun starte?")
    triage.claim(sess, holder, question.id)
    triage.answer(sess, holder, question, "Hun kan søge boligstøtte på borger.dk og tale med kommunens "
                                          "boligrådgivning. Henvis hende gerne til os, så hjælper vi med det.")
    return {"referral_id": reached.id, "referral_label": reached.label, "sparring_id": question.id,
            "sparring_label": question.label, "hospital_name": midwife.hospital.name}


def _seed_courses(sess, holder: User, midwife: User, contact: Inquiry, referral_id: int) -> dict:
    """A running course with two sessions: Fatima admitted, Maria waiting,
    Amira proposed by her midwife; and a stay offer with one family."""
    course = courses.create_course(sess, holder, courses.CourseDetails(
        title="Netværksgruppe for nye forældre", theme="network", form="group", audience="both", language="da",
        place_kind="mh", place="Nørrebrogade 1, 2200 København N", facilitators="Rikke Rådgiver, Johanne (frivillig)",
        capacity=1, description="Fire formiddage med kaffe og snak om hverdagen med en lille."))
    first = courses.add_session(sess, holder, course, held_on=date.today() - timedelta(days=7), starts_at="10:00",
                                ends_at="12:00")
    courses.add_session(sess, holder, course, held_on=date.today() + timedelta(days=7), starts_at="10:00")
    courses.set_status(sess, holder, course, "open")
    fatima = admissions.propose(sess, holder, course, contact, reason="Savner andre forældre at tale med.")
    admissions.admit(sess, holder, course, fatima)
    maria = sess.scalars(select(Inquiry).where(Inquiry.referred_by_id == midwife.id, Inquiry.id != referral_id,
                                               Inquiry.status == "in_progress")).first()
    admissions.admit(sess, holder, course, admissions.propose(sess, holder, course, maria, reason="Netværk"))
    admissions.propose(sess, midwife, course, sess.get(Inquiry, referral_id), reason="Mor er meget alene.")
    courses.set_status(sess, holder, course, "running")
    attendance.record(sess, holder, course, first, {fatima.id})
    stay = courses.create_course(sess, holder, courses.CourseDetails(
        title="Familierum efter fødslen", theme="parenthood", form="stay", audience="after_birth", language="da",
        place_kind="other", place="Barselshuset, Amager", capacity=5, max_nights=14))
    courses.set_status(sess, holder, stay, "open")
    admissions.admit(sess, holder, stay, admissions.propose(
        sess, holder, stay, maria, reason="Brug for ro efter fødslen", arrives_on=date.today(),
        leaves_on=date.today() + timedelta(days=5)))
    return {"course_id": course.id, "course_session_id": first.id, "enrollment_id": fatima.id, "stay_id": stay.id}


def _course_errors(page: Page, world: StaffWorld) -> None:
    page.goto("/staff/courses/new")
    page.locator("main form button[type=submit]").click()  # nothing filled in
    _errors_shown(page)
    expect(page.locator("#title")).to_have_attribute("aria-invalid", "true")


def _course_page(page: Page, world: StaffWorld) -> None:
    """The admitted family, the waiting one, the proposal, by label and first name."""
    page.goto(f"/staff/courses/{world.course_id}")
    expect(page.locator("#participants-caption")).to_be_attached()
    expect(page.locator("main")).to_contain_text("Fatima")
    expect(page.locator("main")).to_contain_text("Maria")
    expect(page.locator("main")).not_to_contain_text("+45")


def _family_sheet(page: Page, world: StaffWorld) -> None:
    """Fatima's sheet: in Arabic, right to left, the staff bar in the staff language."""
    page.goto(f"/staff/courses/{world.course_id}/enrollments/{world.enrollment_id}/sheet")
    expect(page.locator("main.leaflet h1")).to_be_visible()
    expect(page.locator("nav.leaflet-tools")).to_have_attribute("lang", world.lang)
    expect(page.locator(".staff-nav")).to_have_count(0)


# --- the pages ------------------------------------------------------------------

StaffOpener = Callable[[Page, StaffWorld], None]
# The page's whole title as it should read in a language (without the
# "Error:" that a form with errors puts in front).
Title = Callable[[StaffWorld, str], str]
ACCOUNTS = ("anonymous", "lead", "referrer")


@dataclass(frozen=True)
class StaffState(State):
    open: StaffOpener  # type: ignore[assignment]  # (page, world), not (page, live, lang)
    account: str = "lead"  # whose context it is opened in: one of ACCOUNTS
    status: int = 200  # the HTTP status of the page on screen
    page_lang: str | None = None  # the page's own language (the leaflet's); else the walk's
    title: Title | None = None  # checked when given
    staff_langs: tuple[str, ...] | None = None  # walked in these staff languages only; None: in each

    def __post_init__(self) -> None:
        assert self.account in ACCOUNTS, self.account


def walked_in(lang: str) -> list[StaffState]:
    """The states the walk in staff language ``lang`` opens, in order."""
    return [state for state in STAFF_STATES if state.staff_langs is None or lang in state.staff_langs]


def _titled(text: str) -> Title:
    """A page whose title is ``text`` (an English message id), translated."""
    return lambda world, lang: f"{translate(world.live, lang, text)} – {translate(world.live, lang, SITE_TITLE)}"


def _label_title(attribute: str) -> Title:
    """An inquiry page: its label is the title."""
    return lambda world, lang: f"{getattr(world, attribute)} – {translate(world.live, lang, SITE_TITLE)}"


def _leaflet_title(world: StaffWorld, lang: str) -> str:
    return f"{world.hospital_name} – {translate(world.live, lang, SITE_TITLE)}"


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


def _inquiry_referral(page: Page, world: StaffWorld) -> None:
    """A professional referral as the counsellors see it: who referred, the
    urgent mark, the consent line and the feedback form."""
    page.goto(f"/staff/inquiries/{world.referral_id}")
    expect(page.locator("h1 .urgent-mark")).to_be_visible()
    expect(page.locator(".facts").first).to_contain_text(world.referrer.name)
    expect(page.locator("form[action$='/feedback'] select#code")).to_have_value("contact_made")
    expect(page.locator("#text")).to_have_value("Vi ses på torsdag på barselsgangen.")


def _inquiry_sparring(page: Page, world: StaffWorld) -> None:
    page.goto(f"/staff/inquiries/{world.sparring_id}")
    expect(page.locator(".thread-message")).to_have_count(2)
    expect(page.locator(".thread-message--professional .thread-meta")).to_contain_text(world.referrer.name)
    expect(page.locator("form[action$='/answer'] textarea#body")).to_be_visible()


def _hospitals(page: Page, world: StaffWorld) -> None:
    page.goto("/staff/hospitals")
    with world.live.app.app_context():
        count = len(inquiries.hospitals(db.session()))
    expect(page.locator("main form[action^='/staff/hospitals/']")).to_have_count(count)


def _hospitals_errors(page: Page, world: StaffWorld) -> None:
    page.goto("/staff/hospitals")
    page.locator(f"#{HOSPITAL}-contact_emails").fill("barsel@example.dk\nnot-an-address")
    page.locator(f"form[action='/staff/hospitals/{HOSPITAL}'] button[type=submit]").click()
    _errors_shown(page)
    expect(page.locator(f"#{HOSPITAL}-contact_emails")).to_have_attribute("aria-invalid", "true")


def _leaflets(count: Callable[[StaffWorld], int]) -> StaffOpener:
    """The leaflet links: every language of each hospital the account prints for."""
    def opener(page: Page, world: StaffWorld) -> None:
        page.goto("/staff/leaflets")
        expect(page.locator("main a[href^='/staff/leaflets/']")).to_have_count(count(world) * len(LANGUAGES))
    return opener


def _all_hospitals(world: StaffWorld) -> int:
    with world.live.app.app_context():
        return len(inquiries.hospitals(db.session()))


def _leaflet(lang: str) -> StaffOpener:
    """The printable leaflet: a page of its own, in its language, without
    the staff chrome; the QR code leads to the front page in that language."""
    def opener(page: Page, world: StaffWorld) -> None:
        page.goto(f"/staff/leaflets/{HOSPITAL}/{lang}")
        expect(page.locator("main.leaflet h1")).to_be_visible()
        expect(page.locator(".staff-nav, body > header, body > footer, .skipnav")).to_have_count(0)
        tools = page.locator("nav.leaflet-tools")
        expect(tools).to_have_attribute("lang", world.lang)  # the bar is in the staff member's language
        expect(tools.locator("a[href='/staff/leaflets']")).to_be_visible()
        address = world.live.url(f"/{lang}/?h={HOSPITAL}")
        expect(page.locator(".leaflet-url")).to_have_text(address)
        expect(page.locator(".leaflet-qr svg")).to_be_visible()
        expect(page.locator(".leaflet-qr svg title")).to_have_text(address)
        assert page.request.get(address).ok, f"the leaflet's address {address} does not open"
    return opener


def _refer_index(page: Page, world: StaffWorld) -> None:
    """Her referrals with their statuses and feedback lines, and her sparring."""
    page.goto("/refer/")
    expect(page.locator("main table tbody tr")).to_have_count(4)
    expect(page.locator("main .plain-list li")).to_have_count(2)


def _refer_errors(page: Page, world: StaffWorld) -> None:
    page.goto("/refer/new")
    page.locator("main form button[type=submit]").click()  # nothing filled in
    _errors_shown(page)
    expect(page.locator("#family_agreed")).to_have_attribute("aria-invalid", "true")


def _sparring_warning(page: Page, world: StaffWorld) -> None:
    """A phone number in the question: a warning, and a box to send it anyway."""
    page.goto("/refer/sparring/new")
    page.locator("#question").fill("Mor (tlf. 12 34 56 78) spørger, om hun kan få hjælp til gæld efter fødslen.")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-warning")).to_be_visible()
    expect(page.locator("#send_anyway")).to_be_attached()
    expect(page.locator("#send_anyway")).not_to_be_checked()


def _sparring_thread(page: Page, world: StaffWorld) -> None:
    page.goto(f"/refer/sparring/{world.sparring_id}")
    expect(page.locator(".thread-message")).to_have_count(2)
    expect(page.locator(".thread-message--staff .thread-body")).to_contain_text("borger.dk")


def _closed_case(world: StaffWorld) -> int:
    """A case the walk's lead closed today (a fresh one each time: a survey slip is made once)."""
    with world.live.app.app_context():
        sess = db.session()
        case = make_closed_case(sess, sess.get(User, world.lead.id))
        db.commit()
        return case.id


def _case_closed(page: Page, world: StaffWorld) -> None:
    """A closed case: the small form that makes the family's survey."""
    page.goto(f"/staff/cases/{_closed_case(world)}")
    expect(page.locator("form[action$='/survey'] select#survey-language")).to_be_visible()


def _survey_slip(page: Page, world: StaffWorld) -> None:
    """The printable slip in the family's language (Arabic), with the link and the code."""
    _case_closed(page, world)
    page.locator("#survey-language").select_option(SLIP_LANGUAGE)
    page.locator("form[action$='/survey'] button[type=submit]").click()
    expect(page.locator("main.survey-slip .receipt-code")).to_be_visible()
    expect(page.locator("nav.leaflet-tools")).to_have_attribute("lang", world.lang)


def _staff_link(world: StaffWorld) -> str:
    """An open survey link for HOSPITAL's staff, made by the walk's lead: its path."""
    with world.live.app.app_context():
        sess = db.session()
        hospital = next(h for h in inquiries.hospitals(sess) if h.code == HOSPITAL)
        _link, code = surveys.create_staff_link(sess, sess.get(User, world.lead.id), hospital, days=30)
        db.commit()
    return f"/staff/survey/{code}"


def _surveys_link_made(page: Page, world: StaffWorld) -> None:
    page.goto("/staff/surveys")
    page.locator("#hospital").select_option(HOSPITAL)
    page.locator("form[action='/staff/surveys'] button[type=submit]").click()
    expect(page.locator(".staff-survey-link")).to_be_visible()


def _surveys_errors(page: Page, world: StaffWorld) -> None:
    page.goto("/staff/surveys")
    page.locator("#days").fill("0")
    page.locator("form[action='/staff/surveys'] button[type=submit]").click()
    _errors_shown(page)


def _staff_survey(page: Page, world: StaffWorld) -> None:
    """The hospital staff's survey, opened from the shared link without an account."""
    page.goto(f"{_staff_link(world)}?lang={world.lang}")
    expect(page.locator("main form.survey-form fieldset")).to_have_count(4)


def _staff_survey_thanks(page: Page, world: StaffWorld) -> None:
    _staff_survey(page, world)
    page.locator("label[for='easy_to_refer-0']").click()
    page.locator("#free_text").fill("Hurtig og venlig tilbagemelding.")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(world.live.url("/staff/survey/thank-you"))


STAFF_STATES: tuple[StaffState, ...] = (
    # Anonymous: before the login is complete.
    StaffState("set_language", "staff.set_language", _choose_language, redirect_to="login", account="anonymous"),
    StaffState("login", "staff.login", _get("/staff/login"), account="anonymous"),
    StaffState("login_errors", "staff.login", _login_errors, method="POST", account="anonymous"),
    StaffState("login_code", "staff.login_code", _login_code, account="anonymous"),
    StaffState("login_code_errors", "staff.login_code", _login_code_errors, method="POST", account="anonymous"),
    StaffState("setup", "staff.setup", _get("/staff/setup?t={w.setup_token}"), account="anonymous"),
    StaffState("totp_setup", "staff.setup_2fa", _totp_setup, account="anonymous"),
    StaffState("setup_invalid", "staff.setup", _get("/staff/setup?t=no-such-link"), account="anonymous", status=404),
    # Logged in as a lead.
    StaffState("queue", "staff.queue", _queue),
    StaffState("queue_empty", "staff.queue", _queue_empty),
    StaffState("queue_overdue", "staff.queue", _get("/staff/?due=overdue&sort=oldest")),
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
    # Issue 8: referrals from hospital staff, as the lead sees them.
    StaffState("inquiry_referral", "staff.inquiry", _inquiry_referral, title=_label_title("referral_label")),
    StaffState("inquiry_sparring", "staff.inquiry", _inquiry_sparring, title=_label_title("sparring_label")),
    StaffState("stats", "staff.stats_page", _get("/staff/stats?from=2024-12-01"), title=_titled("Statistics")),
    StaffState("hospitals", "staff.hospitals_page", _hospitals, title=_titled("Hospitals")),
    StaffState("hospitals_errors", "staff.save_hospital", _hospitals_errors, method="POST", status=400,
               title=_titled("Hospitals")),
    StaffState("leaflets", "staff.leaflets", _leaflets(_all_hospitals), title=_titled("Leaflets")),
    # Issue 9: satisfaction surveys.
    StaffState("case_closed", "staff.case", _case_closed),
    StaffState("survey_slip", "staff.offer_survey", _survey_slip, method="POST", page_lang=SLIP_LANGUAGE),
    StaffState("surveys", "staff.surveys_page", _get("/staff/surveys"), title=_titled("Surveys")),
    StaffState("surveys_link_made", "staff.create_staff_link", _surveys_link_made, method="POST",
               title=_titled("Surveys")),
    StaffState("surveys_errors", "staff.create_staff_link", _surveys_errors, method="POST", status=400,
               title=_titled("Surveys")),
    StaffState("staff_survey", "staff.staff_survey", _staff_survey, account="anonymous",
               title=_titled("Survey about the social counselling")),
    StaffState("staff_survey_gone", "staff.staff_survey", _get("/staff/survey/2222333344445555"),
               account="anonymous", status=404),
    StaffState("staff_survey_thanks", "staff.staff_survey_thanks", _staff_survey_thanks, account="anonymous",
               title=_titled("Thank you for your answers")),
    # Issue 10: courses and stay offers (spor 2).
    StaffState("courses", "staff.course_list", _get("/staff/courses?all=1"), title=_titled("Courses")),
    StaffState("course_new", "staff.new_course", _get("/staff/courses/new"),
               title=_titled("New course or stay offer")),
    StaffState("course_new_errors", "staff.new_course", _course_errors, method="POST", status=400,
               title=_titled("New course or stay offer")),
    StaffState("course", "staff.course", _course_page),
    StaffState("course_stay", "staff.course", _get("/staff/courses/{w.stay_id}")),
    StaffState("course_edit", "staff.edit_course", _get("/staff/courses/{w.course_id}/edit"),
               title=_titled("Change the course")),
    StaffState("course_attendance", "staff.session_attendance",
               _get("/staff/courses/{w.course_id}/sessions/{w.course_session_id}/attendance")),
    StaffState("course_sheet", "staff.family_sheet", _family_sheet, page_lang="ar"),
    # Spor 3 (issue 11), as the lead sees it: associations, approval, the two weeks; the association pages.
    StaffState("associations", "staff.associations_page", activity_pages.staff_get("/staff/associations"),
               title=_titled("Local associations")),
    StaffState("association", "staff.association_page",
               activity_pages.staff_get("/staff/associations/{association}")),
    StaffState("activity_review", "staff.review", activity_pages.review, title=_titled("Activities to approve")),
    StaffState("activities_week", "staff.activities_week", activity_pages.staff_get("/staff/activities/week"),
               title=_titled("Activities this week and next")),
    StaffState("association_index", "associations.index", activity_pages.staff_get("/association/"),
               title=_titled("Local associations")),
    StaffState("association_activities", "associations.association",
               activity_pages.staff_get("/association/{association}/")),
    StaffState("new_activity", "associations.new_activity",
               activity_pages.staff_get("/association/{association}/activities/new"), title=_titled("New activity")),
    StaffState("new_activity_errors", "associations.new_activity", activity_pages.new_activity_errors,
               method="POST", status=400, title=_titled("New activity")),
    StaffState("activity_edit", "associations.activity", activity_pages.staff_get("/association/activities/{group}")),
    StaffState("activity_usage", "associations.usage",
               activity_pages.staff_get("/association/activities/{group}/usage"), title=_titled("How many came")),
    # Logged in as a referrer (a midwife at HOSPITAL).
    StaffState("refer_index", "referrers.index", _refer_index, account="referrer", title=_titled("Your referrals")),
    StaffState("refer_new", "referrers.new", _get("/refer/new"), account="referrer",
               title=_titled("Refer a family")),
    StaffState("refer_errors", "referrers.new", _refer_errors, method="POST", account="referrer", status=400,
               title=_titled("Refer a family")),
    StaffState("refer_referral", "referrers.referral", _get("/refer/referrals/{w.referral_id}"), account="referrer",
               title=_titled("Referral")),
    StaffState("sparring_new", "referrers.new_sparring", _get("/refer/sparring/new"), account="referrer",
               title=_titled("Ask for sparring")),
    StaffState("sparring_warning", "referrers.new_sparring", _sparring_warning, method="POST", account="referrer",
               title=_titled("Ask for sparring")),
    StaffState("sparring_thread", "referrers.sparring_thread", _sparring_thread, account="referrer",
               title=_titled("Sparring")),
    StaffState("refer_courses", "referrers.courses_page", _get("/refer/courses"), account="referrer",
               title=_titled("Courses")),
    StaffState("refer_course_propose", "referrers.propose_family", _get("/refer/courses/{w.course_id}/propose"),
               account="referrer", title=_titled("Propose a family")),
    StaffState("leaflets_referrer", "staff.leaflets", _leaflets(lambda world: 1), account="referrer",
               title=_titled("Leaflets")),
    # The leaflet in every language in the Danish walk; in the English walk
    # (where only the screen-only bar changes) one left-to-right and one
    # right-to-left.
    *(StaffState(f"leaflet_{lang}", "staff.leaflet", _leaflet(lang), account="referrer", page_lang=lang,
                 title=_leaflet_title, staff_langs=None if lang in LEAFLETS_IN_EVERY_WALK else ("da",))
      for lang in LANGUAGES),
)
STAFF_BY_NAME = {state.name: state for state in STAFF_STATES}
