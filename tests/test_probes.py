"""The classic probes of issue 14, item 1, each a test (what tests/
test_security.py, tests/blueprints/test_bad_input.py and
tests/test_hardening.py already show is not repeated): script in every
free-text field staff or families see, read back on the page that shows
it; SQL metacharacters in every filter; open redirects in next=; path
traversal in static files and language prefixes; POSTs without a CSRF
token on every form; oversized bodies on staff forms; Host and
X-Forwarded-For spoofing."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from portal import db
from portal.blueprints.staff import safe_next
from portal.models import Inquiry, User
from tests.conftest import PASSWORD, login, receipt_from
from tests.factories import make_case, make_closed_case, make_contact_request, make_referral

# Where a login may send an account: the logged-in areas.
OWN_AREAS = ("/staff/", "/refer/", "/association/")
SCRIPT = "<script>alert('x')</script><img src=x onerror=alert(1)>\"'&"
RAW = ("<script>alert(", "<img src=x")


def _shown_escaped(html: str) -> None:
    assert not any(raw in html for raw in RAW), "a script was shown as markup"
    assert str(escape(SCRIPT)) in html, "the text was not shown at all"


def _objects(app, counsellor: dict, referrer: dict | None = None) -> dict:
    with app.app_context():
        sess = db.session()
        holder = sess.get(User, counsellor["id"])
        contact = make_contact_request(sess, nickname=SCRIPT, note=SCRIPT)
        case = make_case(sess, holder, contact)
        closed = make_closed_case(sess, holder)
        referral = make_referral(sess, sess.get(User, referrer["id"])) if referrer else None
        db.commit()
        return {"contact": contact.id, "case": case.id, "closed": closed.id,
                "referral": referral.id if referral else None}


# --- script in every free-text field, read back where it is shown ---------------

def test_a_familys_question_and_reply_are_escaped_for_staff(app, client, ask, staff_client):
    code = ask(SCRIPT + " et spørgsmål")
    client.post("/da/answer/reply", data={"code": code, "message": SCRIPT})
    staff, _user = staff_client("counsellor")
    with app.app_context():
        inquiry_id = db.session().scalars(select(Inquiry.id)).one()
    html = staff.get(f"/staff/inquiries/{inquiry_id}").get_data(as_text=True)
    _shown_escaped(html)
    assert html.count(str(escape(SCRIPT))) >= 2


def test_a_contact_requests_nickname_and_note_are_escaped_for_staff(app, make_user, staff_client):
    staff, user = staff_client("counsellor")
    objects = _objects(app, user)
    html = staff.get(f"/staff/inquiries/{objects['contact']}").get_data(as_text=True)
    _shown_escaped(html)
    assert html.count(str(escape(SCRIPT))) >= 2  # the nickname and the note


def test_a_counsellors_answer_is_escaped_for_the_family(app, ask, staff_client):
    code = ask()
    staff, _user = staff_client("counsellor")
    with app.app_context():
        inquiry_id = db.session().scalars(select(Inquiry.id)).one()
    staff.post(f"/staff/inquiries/{inquiry_id}/claim")
    assert staff.post(f"/staff/inquiries/{inquiry_id}/answer", data={"body": SCRIPT}).status_code == 303
    family = app.test_client().post("/da/answer", data={"code": code}).get_data(as_text=True)
    _shown_escaped(family)


def test_case_notes_and_attempt_notes_are_escaped(app, staff_client):
    staff, user = staff_client("counsellor")
    objects = _objects(app, user)
    staff.post(f"/staff/cases/{objects['case']}/notes", data={"note-body": SCRIPT, "note-noted_on": "2026-11-20"})
    _shown_escaped(staff.get(f"/staff/cases/{objects['case']}").get_data(as_text=True))
    staff.post(f"/staff/inquiries/{objects['contact']}/attempts", data={"method": "phone", "reached": "no",
                                                                        "note": SCRIPT})
    _shown_escaped(staff.get(f"/staff/inquiries/{objects['contact']}").get_data(as_text=True))


def test_a_referral_its_feedback_and_sparring_are_escaped_both_ways(app, make_user, staff_client):
    midwife = make_user("referrer")
    referrer = app.test_client()
    login(app, referrer, midwife)
    referrer.post("/refer/new", data={"first_name": SCRIPT, "phone": "23 45 67 89", "topics": "housing",
                                      "reason": SCRIPT, "urgency": "normal", "pregnancy_status": "pregnant",
                                      "family_agreed": "y"})
    referrer.post("/refer/sparring/new", data={"question": SCRIPT + " hvordan hjælper vi?", "send_anyway": "y"})
    staff, _user = staff_client("counsellor")
    with app.app_context():
        referral_id, sparring_id = db.session().scalars(select(Inquiry.id).order_by(Inquiry.id)).all()
    _shown_escaped(staff.get(f"/staff/inquiries/{referral_id}").get_data(as_text=True))
    _shown_escaped(staff.get(f"/staff/inquiries/{sparring_id}").get_data(as_text=True))
    staff.post(f"/staff/inquiries/{referral_id}/claim")
    staff.post(f"/staff/inquiries/{referral_id}/feedback", data={"code": "contact_made", "text": SCRIPT})
    _shown_escaped(referrer.get(f"/refer/referrals/{referral_id}").get_data(as_text=True))
    _shown_escaped(referrer.get(f"/refer/sparring/{sparring_id}").get_data(as_text=True))


def test_a_new_accounts_name_is_escaped_on_the_users_page(app, staff_client):
    lead, _user = staff_client("lead")
    lead.post("/staff/users", data={"email": "ny@example.dk", "name": SCRIPT, "role": "referrer", "hospital": "rh"})
    _shown_escaped(lead.get("/staff/users").get_data(as_text=True))


def test_a_survey_answer_is_escaped_for_the_lead(app, staff_client):
    counsellor, user = staff_client("counsellor")
    objects = _objects(app, user)
    slip = counsellor.post(f"/staff/cases/{objects['closed']}/survey", data={"survey-language": "da"})
    code = receipt_from(slip.get_data(as_text=True)).replace(" ", "")
    family = app.test_client()
    response = family.post(f"/da/survey/{code}", data={"helped": "agree", "free_text": SCRIPT})
    assert response.status_code == 303
    lead, _lead = staff_client("lead")
    _shown_escaped(lead.get("/staff/surveys").get_data(as_text=True))


# --- SQL metacharacters in every filter ---------------------------------------------

SQL = ["' OR '1'='1", "1; DROP TABLE inquiries; --", "\" OR 1=1 --", "%", "_", "\\", "') UNION SELECT email FROM users --",
       "1' AND sleep(5) --", "\x00"]


@pytest.mark.parametrize("value", SQL)
@pytest.mark.parametrize("path, names", [
    ("/staff/", ["status", "kind", "hospital", "holder", "language", "sort", "due", "after"]),
    ("/staff/cases", ["holder", "closed"]),
    ("/staff/stats", ["from", "to", "hospital"]),
    ("/staff/stats/export.csv", ["from", "to", "hospital"]),
    ("/staff/stats/cases.csv", ["from", "to", "hospital"]),
])
def test_sql_metacharacters_in_filters_are_only_values(app, staff_client, path, names, value):
    client, _user = staff_client("lead")
    for name in names:
        response = client.get(path, query_string={name: value})
        assert response.status_code in (200, 400), (name, response.status_code)
    with app.app_context():  # nothing dropped, nothing leaked into a count
        assert db.session().scalar(select(func.count(User.id))) >= 1
        assert db.session().scalar(select(func.count(Inquiry.id))) == 0


# --- open redirects in next= ---------------------------------------------------------

@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/staff/", "/\\evil.example",
                                    "\\\\evil.example", "/staff/\\..\\//evil.example", "javascript:alert(1)",
                                    "/staff/../../evil", "%2F%2Fevil.example", "/refer@evil.example",
                                    "http:/evil.example", "/da/ask"])
def test_next_never_leaves_the_staff_area(app, make_user, target):
    with app.test_request_context("/staff/login", query_string={"next": target}):
        chosen = safe_next("/staff/")
    assert chosen == "/staff/" or (chosen.startswith(OWN_AREAS) and "//" not in chosen)
    user = make_user("association_editor")  # no second factor: the password step ends the login
    client = app.test_client()
    response = client.post("/staff/login", query_string={"next": target},
                           data={"email": user["email"], "password": PASSWORD})
    location = response.headers["Location"]
    assert location.startswith(OWN_AREAS) and not urlsplit(location).netloc, location


# --- path traversal --------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/static/../portal/config.py", "/static/..%2f..%2fconfig.py",
                                  "/static/%2e%2e/%2e%2e/pyproject.toml", "/static/css/../../__init__.py",
                                  "/static/..\\..\\config.py", "/static/vendor/../../../wsgi.py",
                                  "/static//etc/passwd", "/static/%00", "/static/css/portal.css%00.py"])
def test_static_files_never_leave_the_static_folder(client, path):
    response = client.get(path)
    if response.status_code == 308:  # werkzeug merges repeated slashes: same site, still under /static/
        location = urlsplit(response.headers["Location"])
        assert location.netloc in ("", "localhost") and location.path.startswith("/static/")
        response = client.get(location.path)
    assert response.status_code in (400, 404), (path, response.status_code)
    body = response.get_data(as_text=True)
    assert "SECRET_KEY" not in body and "create_app" not in body and "root:" not in body


@pytest.mark.parametrize("prefix", ["..", "%2e%2e", "..%2f..", "da%00", "da/../../etc", "..%5c", "da%2f..%2fstaff"])
def test_a_language_prefix_is_only_a_language(client, prefix):
    response = client.get(f"/{prefix}/ask")
    assert response.status_code in (301, 302, 308, 404), (prefix, response.status_code)
    if response.status_code != 404:
        assert response.headers["Location"].startswith("/")
    assert "Stil et anonymt" not in response.get_data(as_text=True) or prefix.startswith("da")


# --- CSRF on every POST, found from the url_map ------------------------------------------

def _some_value(rule, name: str):
    choices = getattr(rule._converters[name], "items", None)  # <any(a,b):name>
    if choices:
        return sorted(choices)[0]
    return {"lang_code": "da", "code": "rh", "token": "ABCD2345EFGH6789"}.get(name, 1)


def test_every_post_without_a_csrf_token_is_refused(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    rules = [r for r in app.url_map.iter_rules() if "POST" in (r.methods or ())]
    assert len(rules) >= 30
    client = app.test_client()
    for rule in rules:
        values = {name: _some_value(rule, name) for name in rule.arguments}
        url = app.url_map.bind("localhost").build(rule.endpoint, values)
        response = client.post(url, data={"question": "Et spørgsmål uden token", "email": "x@example.dk"})
        assert response.status_code == 400, (rule.rule, response.status_code)
        assert "<html" in response.get_data(as_text=True)


def test_a_logged_in_post_without_a_csrf_token_is_refused(make_app, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    user = make_user("association_editor")  # no second factor: the password step ends the login
    client = app.test_client()
    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/staff/login", data={"csrf_token": token, "email": user["email"], "password": PASSWORD})
    assert response.status_code == 302
    assert client.post("/staff/account", data={"form": "lang", "lang-language": "en"}).status_code == 400
    assert client.post("/staff/logout").status_code == 400
    assert client.get("/staff/account").status_code == 200  # still logged in: the forged logout did nothing


# --- oversized bodies ------------------------------------------------------------------------

@pytest.mark.parametrize("role, path, field", [("counsellor", "/staff/account", "pw-password"),
                                               (None, "/staff/login", "password"),
                                               ("referrer", "/refer/sparring/new", "question")])
def test_an_oversized_staff_body_is_413(app, staff_client, role, path, field):
    client = staff_client(role)[0] if role else app.test_client()
    response = client.post(path, data={field: "x" * 70_000})
    assert response.status_code == 413


# --- Host and X-Forwarded-For spoofing --------------------------------------------------

def test_a_forged_host_does_not_reach_links_or_redirects(client):
    response = client.get("/", headers={"Host": "attacker.example"})
    assert "attacker.example" not in response.headers.get("Location", "")
    html = client.get("/da/", headers={"Host": "attacker.example"}).get_data(as_text=True)
    assert "attacker.example" not in html


def test_x_forwarded_for_does_not_change_the_rate_limit_key_without_trusted_proxies(make_app, monkeypatch):
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", "0")
    app = make_app(RATELIMIT_POST="1000 per minute", RATELIMIT_POST_PER_ADDRESS="3 per 10 minutes")
    assert app.config["TRUSTED_PROXIES"] == 0
    codes = []
    for n in range(4):  # a new cookie-less client each time, a new forged address each time
        response = app.test_client().post("/da/ask", data={"question": "Et spørgsmål om barsel"},
                                          headers={"X-Forwarded-For": f"203.0.113.{n}", "X-Real-IP": f"198.51.100.{n}",
                                                   "Forwarded": f"for=192.0.2.{n}"})
        codes.append(response.status_code)
    assert codes == [200, 200, 200, 429]


def test_with_one_trusted_proxy_the_proxys_address_counts(make_app, monkeypatch):
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", "1")
    app = make_app(RATELIMIT_POST="1000 per minute", RATELIMIT_POST_PER_ADDRESS="2 per 10 minutes")
    codes = [app.test_client().post("/da/ask", data={"question": "Et spørgsmål om barsel"},
                                    headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(3)]
    assert codes == [200, 200, 200]  # three families behind the proxy: three keys


def test_an_app_made_after_one_without_limits_still_limits(make_app):
    """Flask-Limiter shares one limiter per process and gives an app that
    does not name RATELIMIT_ENABLED the previous app's value: one app made
    without limits (a benchmark's, a command's) turned them off for every app
    made after it. The portal's config names it."""
    make_app(RATELIMIT_ENABLED=False)
    app = make_app(RATELIMIT_POST="1000 per minute", RATELIMIT_POST_PER_ADDRESS="2 per 10 minutes")
    codes = [app.test_client().post("/da/ask", data={"question": "Et spørgsmål om barsel"}).status_code
             for _ in range(3)]
    assert codes == [200, 200, 429]
