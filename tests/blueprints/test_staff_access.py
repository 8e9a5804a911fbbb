"""Who may see and do what in the staff area: one table over every staff
URL and every role, plus anonymous visitors."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from sqlalchemy import select

from portal import db
from portal.models import AuditEvent, Hospital, User
from portal.services import accounts, admissions, courses, erasure, sparring, subject_access, surveys, triage
from tests.activity_factories import make_activity, make_association
from tests.conftest import PASSWORD, login
from tests.factories import make_case, make_closed_case, make_inquiry, make_referral

ROLES = ["admin", "lead", "counsellor", "referrer", "association_editor"]
CASE = {"lead", "counsellor"}
USER_ADMIN = {"lead", "admin"}
EVERYONE = set(ROLES)
REFERRER = {"referrer"}
PRINT = {"lead", "referrer"}
# The class of error alerts: flashed refusals and form error summaries.
ERROR_CLASS = "alert-error"

COURSE_FORM = {"title": "Netværksgruppe", "theme": "network", "form": "group", "audience": "both", "language": "da",
               "place_kind": "mh", "capacity": "3"}

# (method, path template, roles allowed, form data)
TABLE = [
    ("GET", "/staff/", CASE, None),
    ("GET", "/staff/?due=overdue", CASE, None),
    ("GET", "/staff/cases", CASE, None),
    ("GET", "/staff/inquiries/{inquiry}", CASE, None),
    ("POST", "/staff/inquiries/{unclaimed}/claim", CASE, {}),
    ("POST", "/staff/inquiries/{inquiry}/release", CASE, {}),
    ("POST", "/staff/inquiries/{inquiry}/reassign", {"lead"}, {"counsellor": "{counsellor}"}),
    ("POST", "/staff/inquiries/{inquiry}/answer", CASE, {"body": "Et svar"}),
    ("POST", "/staff/inquiries/{contact}/attempts", CASE, {"method": "phone", "reached": "no"}),
    ("POST", "/staff/inquiries/{inquiry}/close", CASE, {"reason": "completed"}),
    ("POST", "/staff/inquiries/{inquiry}/case", CASE, {}),
    ("GET", "/staff/cases/{case}", CASE, None),
    ("POST", "/staff/cases/{case}", CASE, {"gender": "female", "version": "{case_version}"}),
    ("POST", "/staff/cases/{case}/notes", CASE, {"note-body": "Kort note", "note-noted_on": "2026-11-20"}),
    ("GET", "/staff/cases/{case}/audit", {"lead"}, None),
    ("POST", "/staff/cases/{closed_case}/survey", CASE, {"survey-language": "ar"}),
    ("GET", "/staff/users", USER_ADMIN, None),
    ("POST", "/staff/users", USER_ADMIN, {"email": "ny@example.dk", "name": "Ny", "role": "referrer", "hospital": "rh"}),
    ("POST", "/staff/users/{counsellor}/unlock", {"lead"}, {}),  # nor may an admin unlock one
    ("POST", "/staff/users/{counsellor}/setup-link", {"lead"}, {}),  # an admin may not reset a counsellor
    ("GET", "/staff/users/{counsellor}/audit", {"lead"}, None),
    ("GET", "/staff/account", EVERYONE, None),
    ("POST", "/staff/inquiries/{referral}/feedback", CASE, {"code": "contact_made", "text": "Vi har talt sammen"}),
    ("GET", "/staff/hospitals", {"lead"}, None),
    ("GET", "/staff/stats", CASE, None),
    ("GET", "/staff/stats/export.csv", {"lead"}, None),
    ("GET", "/staff/stats/export.xlsx", {"lead"}, None),
    ("GET", "/staff/stats/cases.csv", {"lead"}, None),
    ("GET", "/staff/surveys", {"lead"}, None),
    ("POST", "/staff/surveys", {"lead"}, {"hospital": "rh", "days": "30"}),
    ("POST", "/staff/surveys/{staff_link}/close", {"lead"}, {}),
    ("GET", "/staff/leaflets", PRINT, None),
    ("GET", "/staff/leaflets/{hospital}/{lang}", PRINT, None),
    ("POST", "/staff/hospitals/rh", {"lead"}, {"rh-contact_emails": "afdeling@example.dk", "rh-urgent_notice": "y"}),
    # Spor 3: local associations (leads), approving activities and the two-week overview (counsellors).
    ("GET", "/staff/associations", {"lead"}, None),
    ("POST", "/staff/associations", {"lead"}, {"name": "Ny lokalforening", "municipalities": "ballerup"}),
    ("GET", "/staff/associations/{association}", {"lead"}, None),
    ("POST", "/staff/associations/{association}", {"lead"}, {"name": "Omdøbt lokalforening"}),
    ("POST", "/staff/associations/{association}/editors", {"lead"}, {"email": "frivillig@example.dk", "name": "Fri"}),
    ("GET", "/staff/activities/review", CASE, None),
    ("POST", "/staff/activities/{pending_activity}/approve", CASE, {}),
    ("POST", "/staff/activities/{pending_activity}/send-back", CASE, {"reason": "Skriv adressen."}),
    ("GET", "/staff/activities/week", CASE, None),
    ("POST", "/staff/cases/{case}/activity", CASE, {"activity": "{published_activity}"}),
    # A person's rights: a lead downloads everything stored, or erases it (two steps).
    ("GET", "/staff/inquiries/{inquiry}/export.json", {"lead"}, None),
    ("GET", "/staff/cases/{case}/export.json", {"lead"}, None),
    ("POST", "/staff/inquiries/{inquiry}/erase", {"lead"}, {}),
    ("POST", "/staff/cases/{case}/erase", {"lead"}, {}),
    ("POST", "/staff/inquiries/{inquiry}/erase/confirm", {"lead"},
     {"token": "{inquiry_erase_token}", "label": "{inquiry_label}"}),
    ("POST", "/staff/cases/{case}/erase/confirm", {"lead"}, {"token": "{case_erase_token}", "label": "{case_label}"}),
    # Referrers: their own referrals and sparring only (objects made by the account itself).
    ("GET", "/refer/", REFERRER, None),
    ("GET", "/refer/new", REFERRER, None),
    ("POST", "/refer/new", REFERRER, {"phone": "12 34 56 78", "topics": "housing", "urgency": "normal",
                                      "pregnancy_status": "pregnant", "family_agreed": "y"}),
    ("GET", "/refer/referrals/{referral}", REFERRER, None),
    ("GET", "/refer/sparring/new", REFERRER, None),
    ("POST", "/refer/sparring/new", REFERRER, {"question": "Hvordan støtter vi en familie med gæld?"}),
    ("GET", "/refer/sparring/{sparring}", REFERRER, None),
    # Spor 2: courses (the course is open; one family proposed, one admitted).
    ("GET", "/staff/courses", CASE, None),
    ("GET", "/staff/courses/new", CASE, None),
    ("POST", "/staff/courses/new", CASE, COURSE_FORM),
    ("GET", "/staff/courses/{course}", CASE, None),
    ("GET", "/staff/courses/{course}/edit", CASE, None),
    ("POST", "/staff/courses/{course}/edit", CASE, {**COURSE_FORM, "capacity": "4"}),
    ("POST", "/staff/courses/{course}/status", CASE, {"status": "running"}),
    ("POST", "/staff/courses/{course}/sessions", CASE, {"session-held_on": "2026-12-20", "session-starts_at": "10:00"}),
    ("POST", "/staff/courses/{course}/sessions/{course_session}/remove", CASE, {}),
    ("GET", "/staff/courses/{course}/sessions/{course_session}/attendance", CASE, None),
    ("POST", "/staff/courses/{course}/sessions/{course_session}/attendance", CASE, {"present": "{enrolled}"}),
    ("POST", "/staff/courses/{course}/propose", CASE, {"propose-family": "{contact}", "propose-reason": "Netværk"}),
    ("POST", "/staff/courses/{course}/enrollments/{proposed}/admit", CASE, {}),
    ("POST", "/staff/courses/{course}/enrollments/{proposed}/decline", CASE, {}),
    ("POST", "/staff/courses/{course}/enrollments/{enrolled}/withdraw", CASE, {}),
    ("GET", "/staff/courses/{course}/enrollments/{enrolled}/sheet", CASE, None),
    ("GET", "/refer/courses", REFERRER, None),
    ("GET", "/refer/courses/{course}/propose", REFERRER, None),
    ("POST", "/refer/courses/{course}/propose", REFERRER, {"family": "{referral}", "reason": "Savner netværk"}),
]
# Reachable without logging in (the way in).
OPEN = {"/staff/login", "/staff/login/code", "/staff/setup", "/staff/setup/2fa",
        "/staff/language/<code>", "/staff/logout",
        # The hospital staff's survey: midwives may have no account.
        "/staff/survey/<token>", "/staff/survey/thank-you"}


@pytest.fixture
def build_objects(app, make_user):
    """Build what the table acts on: an unclaimed question, and a claimed
    question and a contact request with an open case, all three held by the
    account ``holder_id`` (by default by a counsellor of their own, who is
    also the account the /users/ rows act on); a closed case held by the
    same account, and an open survey link for hospital staff."""
    counsellor = make_user("counsellor", name="Objekt Rådgiver")
    midwife = make_user("referrer", name="Objekt Jordemoder")
    survey_lead = make_user("lead", name="Objekt Leder")

    def _build(holder_id: int | None = None, referrer_id: int | None = None) -> dict:
        with app.app_context():
            sess = db.session()
            holder = sess.get(User, holder_id or counsellor["id"])
            referrer = sess.get(User, referrer_id or midwife["id"])
            unclaimed, _code = make_inquiry(sess, text="Et spørgsmål om økonomi")
            question, _code = make_inquiry(sess, text="Et spørgsmål om bolig")
            triage.claim(sess, holder, question.id)
            case = make_case(sess, holder)
            referral = make_referral(sess, referrer)
            triage.claim(sess, holder, referral.id)
            question_for_advice = sparring.ask(sess, referrer, "Hvordan hjælper vi en familie uden bolig?")
            closed_case = make_closed_case(sess, holder)
            rh = sess.scalar(select(Hospital).where(Hospital.code == "rh"))
            staff_link, _code = surveys.create_staff_link(sess, sess.get(User, survey_lead["id"]), rh, days=30)
            course = _open_course(sess, holder, proposed=question, enrolled=unclaimed)
            association = make_association(sess, name="Objektforening")
            pending = make_activity(sess, association, status="pending")
            published = make_activity(sess, association)
            question_subject = subject_access.of_inquiry(sess, question)
            case_subject = subject_access.of_case(sess, case)
            secret = app.config["SECRET_KEY"]
            rights = {"inquiry_erase_token": erasure.confirmation_token(question_subject, secret=secret),
                      "inquiry_label": question_subject.label, "case_label": case_subject.label,
                      "case_erase_token": erasure.confirmation_token(case_subject, secret=secret)}
            db.commit()
            return {**rights, "unclaimed": unclaimed.id, "inquiry": question.id, "contact": case.inquiry_id,
                    "case": case.id, "case_version": case.version, "counsellor": counsellor["id"],
                    "referral": referral.id, "sparring": question_for_advice.id, "hospital": "rh", "lang": "da",
                    "closed_case": closed_case.id, "staff_link": staff_link.id,
                    "course": course.id, "course_session": course.sessions[0].id,
                    "proposed": course.enrollments[0].id, "enrolled": course.enrollments[1].id,
                    "association": association.id, "pending_activity": pending.id,
                    "published_activity": published.id}

    return _build


def _open_course(sess, holder: User, *, proposed, enrolled):
    """An open course with a session, one family proposed and one admitted."""
    course = courses.create_course(sess, holder, courses.CourseDetails(
        title="Netværksgruppe", theme="network", form="group", audience="both", language="da",
        place_kind="mh", capacity=3))
    courses.add_session(sess, holder, course, held_on=date(2026, 12, 10), starts_at="10:00")
    courses.set_status(sess, holder, course, "open")
    admissions.propose(sess, holder, course, proposed, reason="Savner netværk")
    admissions.admit(sess, holder, course, admissions.propose(sess, holder, course, enrolled, reason="Netværk"))
    return course


def _fill(template, objects):
    if isinstance(template, str):
        return template.format(**objects)
    return {k: _fill(v, objects) for k, v in template.items()} if template is not None else None


def test_table_covers_every_staff_url(app):
    covered = {re.sub(r"\{(unclaimed|inquiry|contact|referral|sparring)\}", "<int:inquiry_id>", path)
               .replace("{case}", "<int:case_id>").replace("{closed_case}", "<int:case_id>")
               .replace("{staff_link}", "<int:link_id>").replace("{counsellor}", "<int:user_id>")
               .replace("/staff/hospitals/rh", "/staff/hospitals/<code>")
               .replace("{hospital}", "<hospital_code>").replace("{lang}", "<lang>")
               .replace("{course}", "<int:course_id>").replace("{course_session}", "<int:session_id>")
               .replace("{proposed}", "<int:enrollment_id>").replace("{enrolled}", "<int:enrollment_id>")
               .replace("/admit", "/<any(admit, decline, withdraw):action>")
               .replace("/decline", "/<any(admit, decline, withdraw):action>")
               .replace("/withdraw", "/<any(admit, decline, withdraw):action>")
               .replace("{association}", "<int:association_id>")
               .replace("{pending_activity}", "<int:activity_id>")
               for _m, path, _r, _d in TABLE}
    rules = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith(("/staff", "/refer"))}
    assert rules - covered - OPEN == set()


@pytest.mark.parametrize("role", ROLES + [None])
@pytest.mark.parametrize("method, path, allowed, data", TABLE, ids=[f"{m} {p}" for m, p, _a, _d in TABLE])
def test_access(app, make_user, build_objects, role, method, path, allowed, data):
    client = app.test_client()
    user = make_user(role) if role is not None else None
    # A lead or counsellor acts on what they hold themselves, so an allowed
    # action can succeed; for everyone else another counsellor holds it.
    objects = build_objects(user["id"] if role in CASE else None, user["id"] if role == "referrer" else None)
    if user is not None:
        login(app, client, user)
    url = _fill(path, objects)
    response = client.get(url) if method == "GET" else client.post(url, data=_fill(data, objects))
    location = response.headers.get("Location", "")
    if role is None:
        assert response.status_code == 302 and location.startswith("/staff/login"), response.status_code
    elif role in allowed:
        assert response.status_code in (200, 303), (response.status_code, response.get_data(as_text=True)[:300])
        assert not location.startswith("/staff/login")
        # A redirect may only carry a refusal ("Take the inquiry first."):
        # the page the action ends on must show no error.
        page = client.get(location) if response.status_code == 303 else response
        assert page.status_code == 200, (location, page.status_code)
        assert ERROR_CLASS.encode() not in page.get_data(), _error_shown(page)  # bytes: exports are files
    else:
        assert response.status_code == 403
    assert response.headers["Cache-Control"] == "no-store"


def _error_shown(page) -> str:
    """The text of the first error alert on a page, for the failure message."""
    html = page.get_data(as_text=True)
    start = html.rfind("<", 0, html.index(ERROR_CLASS))
    end = html.find("</div></div>", start)
    return " ".join(re.sub(r"<[^>]+>", " ", html[start:end if end > 0 else start + 600]).split())


def test_roles_land_on_their_own_start_page(app, make_user):
    expected = {"admin": "/staff/users", "lead": "/staff/", "counsellor": "/staff/",
                "referrer": "/refer/", "association_editor": "/association/"}
    for role, start in expected.items():
        client = app.test_client()
        response = login(app, client, make_user(role))
        assert response.headers["Location"] == start, role


def test_failed_totp_does_not_log_in(app, make_user):
    user = make_user("counsellor")
    client = app.test_client()
    client.post("/staff/login", data={"email": user["email"], "password": PASSWORD})
    response = client.post("/staff/login/code", data={"code": "000000"})
    assert response.status_code == 200 and "error-summary" in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302
    with app.app_context():
        actions = db.session().scalars(select(AuditEvent.action)).all()
    assert "login.failure.totp" in actions


def test_a_totp_code_is_accepted_only_once(app, make_user):
    user = make_user("counsellor")
    first = app.test_client()
    login(app, first, user)
    with app.app_context():
        step = db.session().get(User, user["id"]).totp_last_step
    import pyotp
    used = pyotp.TOTP(user["secret"]).at(step * 30)
    second = app.test_client()
    second.post("/staff/login", data={"email": user["email"], "password": PASSWORD})
    response = second.post("/staff/login/code", data={"code": used})
    assert response.status_code == 200 and second.get("/staff/").status_code == 302


def test_password_and_totp_roles_cannot_skip_the_second_factor(app, make_user):
    user = make_user("lead")
    client = app.test_client()
    client.post("/staff/login", data={"email": user["email"], "password": PASSWORD})
    for path in ("/staff/", "/staff/users", "/staff/account"):
        assert client.get(path).status_code == 302


def test_locked_account_after_repeated_failures(app, make_user):
    user = make_user("referrer")
    client = app.test_client()
    for _ in range(accounts.MAX_FAILED_LOGINS):
        response = client.post("/staff/login", data={"email": user["email"], "password": "forkert-kodeord-1234"})
        assert response.status_code == 200
    response = client.post("/staff/login", data={"email": user["email"], "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/staff/account").status_code == 302
    with app.app_context():
        actions = db.session().scalars(select(AuditEvent.action)).all()
        assert db.session().get(User, user["id"]).locked_until is not None
    assert actions.count("login.failure.password") == accounts.MAX_FAILED_LOGINS - 1
    assert "login.failure.locked" in actions


def test_lead_can_unlock(app, make_user, staff_client):
    locked = make_user("referrer")
    client = app.test_client()
    for _ in range(accounts.MAX_FAILED_LOGINS):
        client.post("/staff/login", data={"email": locked["email"], "password": "forkert-kodeord-1234"})
    lead, _lead = staff_client("lead")
    lead.post(f"/staff/users/{locked['id']}/unlock")
    assert login(app, app.test_client(), locked).status_code == 302


def test_session_expires_after_inactivity(app, staff_client):
    client, _user = staff_client("counsellor")
    assert client.get("/staff/").status_code == 200
    with client.session_transaction() as sess:
        sess["last_seen"] = time.time() - (app.config["STAFF_IDLE_MINUTES"] * 60 + 1)
    response = client.get("/staff/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")
    assert client.get("/staff/").status_code == 302


def test_password_change_logs_out_everywhere_else(app, make_user):
    user = make_user("counsellor")
    here, elsewhere = app.test_client(), app.test_client()
    login(app, here, user)
    login(app, elsewhere, user)
    assert elsewhere.get("/staff/").status_code == 200
    response = here.post("/staff/account", data={
        "form": "pw", "pw-current_password": PASSWORD, "pw-password": "nyt-langt-kodeord-til-test",
        "pw-confirm": "nyt-langt-kodeord-til-test"})
    assert response.status_code == 302
    assert here.get("/staff/").status_code == 200
    assert elsewhere.get("/staff/").status_code == 302


def test_no_staff_page_without_login_and_none_cached(app, build_objects):
    objects = build_objects()
    client = app.test_client()
    for _method, path, _allowed, _data in TABLE:
        if _method == "GET":
            response = client.get(_fill(path, objects))
            assert response.status_code == 302 and response.headers["Cache-Control"] == "no-store"
    for path in ("/staff/login", "/staff/setup", "/staff/setup?t=nonsense"):
        assert client.get(path).headers["Cache-Control"] == "no-store"
