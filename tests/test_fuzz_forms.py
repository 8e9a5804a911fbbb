"""Hostile input on every form, proven harmless (issue 14, item 1).

Every rule of the url_map that takes a POST is fuzzed: its URL filled with
real objects or ids that do not exist, its body built from the fields the
portal's own pages render for it (found by reading every page, as every
kind of visitor) with random Unicode of every plane, control and bidi
characters, payloads, very long values, wrong types, repeated, missing and
foreign fields, random bytes and bodies that are not forms; posted logged
out, as every role, half-way through a login and holding a set-up link.

For every example: never a 5xx; no payload unescaped in the page; nothing
stored when the request is refused (an error status, a form shown again
with errors, or a redirect that flashes an error). After the examples,
every page that can show what was stored is read and must show any
payload escaped. Examples per form: the hypothesis profile in
tests/conftest.py (200 in CI, derandomized). SQLite only: the PostgreSQL
pass of .ci/run skips it (the SQL is the same; the time is not)."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.routing import BuildError, IntegerConverter

from portal import create_app, db
from portal.models import Association, Base, Case, Hospital, Inquiry, SurveyInvitation, User
from portal.services import accounts, surveys
from tests import fuzzing
from tests.activity_factories import make_activity
from tests.blueprints.test_staff_access import build_objects  # noqa: F401 - a fixture, used by name
from tests.conftest import PASSWORD, PG_URL, login, receipt_from

pytestmark = [pytest.mark.fuzz, pytest.mark.skipif(bool(PG_URL), reason="the form fuzz runs on SQLite only")]

ROLES = ["admin", "lead", "counsellor", "referrer", "association_editor"]
STATES = [None, *ROLES, "pending_login", "setup"]
FORM = "application/x-www-form-urlencoded"
# Which table an id in a URL points into (an unknown parameter fails the test: add it here).
ID_TABLES = {"inquiry_id": Inquiry, "case_id": Case, "user_id": User, "link_id": SurveyInvitation}
OTHER_BODIES = ["application/json", "text/plain", "multipart/form-data; boundary=x", "application/xml", ""]

_rules_app = create_app({"ENV": "testing", "DATABASE_URL": "sqlite://"})
POST_RULES = [rule.rule for rule in fuzzing.post_rules(_rules_app)]
_rules_app.extensions["db_engine"].dispose()
_HARVEST: dict[str, dict[str, set[str]]] = {}
# Forms only on a page that a POST renders from a form the harvest reaches
# by a code or a button; tests/blueprints/test_rights_flow.py posts to them.
BEHIND_A_STEP = {
    "/<lang_code>/answer/delete/cancel": "on the family's delete confirmation (POST /answer/delete)",
    "/<lang_code>/answer/delete/confirm": "on the family's delete confirmation (POST /answer/delete)",
    "/staff/inquiries/<int:inquiry_id>/erase/confirm": "on the lead's erase confirmation (POST .../erase)",
    "/staff/cases/<int:case_id>/erase/confirm": "on the lead's erase confirmation (POST .../erase)",
}
_ACTIONS: dict[str, str] = {}
_UNSEEN: set[str] = set()
# The codes and addresses of the database the harvest read (each test has its own).
_HARVEST_DEEP: list[str] = []


@pytest.fixture
def app(make_app):
    """Limits out of the way: a 429 would hide what a form does with the input."""
    return make_app(RATELIMIT_POST="100000 per minute", RATELIMIT_POST_PER_ADDRESS="100000 per minute",
                    RATELIMIT_RECEIPT_FAILURES="100000 per minute",
                    RATELIMIT_RECEIPT_FAILURES_PER_ADDRESS="100000 per minute", RATELIMIT_LOGIN="100000 per minute")


@pytest.fixture
def world(app, make_user, build_objects, ask):  # noqa: F811 - build_objects is the imported fixture
    """Accounts of every role (each logged in once through the real forms,
    for the session a login leaves), the objects of the access table, a
    family's and a hospital's survey code, an account holding a set-up link."""
    users = {role: make_user(role) for role in ROLES}
    locked = make_user("referrer", name="Låst Jordemoder")
    templates = {}
    for role, user in users.items():
        client = app.test_client()
        login(app, client, user)
        with client.session_transaction() as session:
            templates[role] = dict(session)
    objects = build_objects(users["counsellor"]["id"], users["referrer"]["id"])
    receipt = ask("Et spørgsmål fra fuzz-testens familie")
    with app.app_context():
        sess = db.session()
        holder = sess.get(User, users["counsellor"]["id"])
        _inv, family_code = surveys.offer_family_survey(sess, holder, sess.get(Case, objects["closed_case"]),
                                                        language="da")
        rh = sess.scalar(select(Hospital).where(Hospital.code == "rh"))
        _link, staff_code = surveys.create_staff_link(sess, sess.get(User, users["lead"]["id"]), rh, days=30)
        newcomer, setup_token = accounts.create_user(sess, email="ny-fuzz@test.invalid", role="counsellor",
                                                     name="Ny Rådgiver")
        hospital_codes = list(sess.scalars(select(Hospital.code)))
        # Activity forms shown only for a draft (submit) and a weekly series with dates gone by (dates, usage).
        association = sess.get(Association, objects["association"])
        draft = make_activity(sess, association, status="draft")
        weekly = make_activity(sess, association, weekly=True, starts_on=date.today() - timedelta(days=14),
                               repeat_until=date.today() + timedelta(days=28))
        shut_out = sess.get(User, locked["id"])
        shut_out.failed_logins = accounts.MAX_FAILED_LOGINS
        accounts.count_failure(shut_out)
        db.commit()
    params = {
        "inquiry_id": [objects[k] for k in ("unclaimed", "inquiry", "contact", "referral", "sparring")],
        "case_id": [objects["case"], objects["closed_case"]],
        "user_id": [objects["counsellor"], newcomer.id, locked["id"], *(u["id"] for u in users.values())],
        "link_id": [objects["staff_link"]],
        "activity_id": [objects["pending_activity"], objects["published_activity"], draft.id, weekly.id],
        "association_id": [objects["association"]], "course_id": [objects["course"]],
        "session_id": [objects["course_session"]], "enrollment_id": [objects["proposed"], objects["enrolled"]],
        "code": hospital_codes, "hospital_code": hospital_codes,
        "token": [family_code, staff_code], "lang_code": fuzzing.languages(), "lang": fuzzing.languages(),
    }
    _guess_other_params(app, params)
    # The set-up page stores the pending TOTP secret when first shown (as a
    # person sees it before posting a code): shown once here, so a refused
    # code stores nothing new.
    setup_client = app.test_client()
    with setup_client.session_transaction() as session:
        session["setup_token"], session["setup_password_set"] = setup_token, True
    assert setup_client.get("/staff/setup/2fa").status_code == 200
    deep = [PASSWORD, receipt, family_code, staff_code, *(u["email"] for u in users.values())]
    return {"users": users, "templates": templates, "params": params, "deep": deep, "receipts": {receipt},
            "setup_token": setup_token, "pending": users["counsellor"]["id"]}


def _guess_other_params(app, params: dict) -> None:
    """A URL parameter world() does not know yet (a feature added later):
    ``<thing>_id`` takes the ids of the table ``things`` (none yet: an id
    that does not exist), anything else a word. Its forms are still fuzzed;
    to reach behind them, build the object above and name it in params."""
    tables = Base.metadata.tables
    with app.app_context():
        sess = db.session()
        for rule in app.url_map.iter_rules():
            for name in rule.arguments:
                if name in params:
                    continue
                choices = getattr(rule._converters[name], "items", None)  # <any(a,b):name>
                if choices:
                    params[name] = sorted(choices)
                    continue
                stem = name.removesuffix("_id")
                table = next((tables[t] for t in (stem + "s", stem[:-1] + "ies", stem + "es") if t in tables), None)
                ids = list(sess.scalars(select(table.c.id).limit(5))) if table is not None and name != stem else []
                params[name] = ids or ([999_999] if name != stem else ["ukendt"])
        sess.rollback()


def _client(app, world, state):
    client = app.test_client()
    if state in ROLES:
        fuzzing.log_in_as(app, client, world["users"][state]["id"], world["templates"][state])
    elif state == "pending_login":
        fuzzing.pending_login(app, client, world["pending"])
    elif state == "setup":
        with client.session_transaction() as session:
            session["setup_token"] = world["setup_token"]
            session["setup_password_set"] = True
    return client


def _url(app, rule, values) -> str | None:
    try:
        return app.url_map.bind("localhost").build(rule.endpoint, values, method="POST")
    except (BuildError, ValueError):  # a value the rule's converter cannot put in a URL
        return None


def _urls(app, world, rule, *, hostile: bool = True):
    """A URL for the rule: real objects, or ids and codes that do not exist."""
    choices = {}
    for name in rule.arguments:
        assert name in world["params"], f"unknown URL parameter {name!r} in {rule.rule}: add it to world()"
        real = st.sampled_from(world["params"][name])
        if not hostile:
            choices[name] = real
        elif isinstance(rule._converters[name], IntegerConverter):
            choices[name] = st.one_of(real, real, real, st.integers(0, 2**63 - 1), st.integers(2**63, 2**70))
        else:
            choices[name] = st.one_of(real, real, real, st.text(fuzzing.ANY_CHAR, min_size=1, max_size=20))
    return st.fixed_dictionaries(choices).map(lambda values: _url(app, rule, values))


def _harvest(app, world) -> dict[str, dict[str, set[str]]]:
    """The POST forms on every page, as every kind of visitor, with each
    object in turn in the URL; and the pages behind a code (a receipt's
    thread), reached by posting every code we hold to each form that asks
    for one. Once per run: the markup's shape does not depend on the copy."""
    if not _HARVEST:
        _HARVEST_DEEP.extend(world["deep"])
        for state in STATES:
            client = _client(app, world, state)
            for rule in fuzzing.get_rules(app):
                for url in _each_object(app, world, rule):
                    _read(app, client.get(url), url)
        coded = [_ACTIONS[rule] for rule, fields in list(_HARVEST.items()) if "code" in fields]
        for path in coded:
            for code in world["deep"]:
                _read(app, app.test_client().post(path, data={"code": code}), path)
    return _HARVEST


def _each_object(app, world, rule):
    """The rule's URL with each known value of each parameter in turn."""
    first = {name: world["params"][name][0] for name in rule.arguments}
    variants = [first] + [{**first, name: value} for name in rule.arguments for value in world["params"][name][1:]]
    for values in variants:
        yield app.url_map.bind("localhost").build(rule.endpoint, values)


def _read(app, response, url) -> None:
    if response.mimetype == "text/html":
        fuzzing.harvest(response.get_data(as_text=True), url, _HARVEST, app, _ACTIONS, _UNSEEN)


def _refused(client, response, html: str) -> bool:
    if response.status_code >= 400 or "alert-error" in html:
        return True
    if 300 <= response.status_code < 400:
        with client.session_transaction() as session:
            return any(category == "error" for category, _message in session.get("_flashes", []))
    return False


def _variants(values: list[str]) -> list[str]:
    """Each value as shown and as typed without its spaces."""
    return [*values, *(v.replace(" ", "") for v in values)]


def _bodies(fields, world):
    """Keyword arguments for client.post: a form body mostly, sometimes bytes or another type."""
    # A code the harvest saw on a page (a thread's hidden receipt code) is
    # this test's own code in the same place.
    current = dict(zip(_variants(_HARVEST_DEEP), _variants(world["deep"]), strict=True))
    fields = {name: {current.get(v, v) for v in values} for name, values in fields.items()}
    known = {name: sorted(values | set(world["deep"])) for name, values in fields.items()}
    valid = {name: v for name, values in fields.items() for v in sorted(values) if v}
    valid.update({name: "" for name in fields if name in _UNSEEN})
    every_name = sorted({name for form in _HARVEST.values() for name in form})
    form = fuzzing.body_pairs(known, valid, every_name).map(lambda pairs: {"data": MultiDict(pairs)})
    raw = st.builds(lambda body: {"data": body, "content_type": FORM}, st.binary(max_size=3000))
    other = st.builds(lambda values, kind: {"data": json.dumps(values).encode(), "content_type": kind},
                      st.fixed_dictionaries({name: fuzzing.hostile_text() for name in fields}),
                      st.sampled_from(OTHER_BODIES))
    return st.one_of(form, form, form, form, form, form, form, form, raw, other)


@pytest.mark.parametrize("path", POST_RULES)
def test_hostile_posts_never_fail_and_store_nothing_when_refused(app, world, path):
    rule = next(r for r in fuzzing.post_rules(app) if r.rule == path)
    fields = _harvest(app, world).get(path, {})
    payloads_before = fuzzing.stored_payloads(app)
    seen = {"examples": 0, "refused": 0}
    urls, bodies, snapshot = _urls(app, world, rule), _bodies(fields, world), fuzzing.Snapshot(app)

    @settings(suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def post_hostile(data):
        state = data.draw(st.sampled_from(STATES), label="session")
        url = data.draw(urls, label="url")
        if url is None:
            return
        client = _client(app, world, state)
        before = snapshot.now()
        response = client.post(url, **data.draw(bodies, label="body"))
        html = response.get_data(as_text=True)
        assert response.status_code < 500, (response.status_code, html[:500])
        assert fuzzing.raw_payload(html) is None, html
        if 'class="receipt-code"' in html:
            world["receipts"].add(receipt_from(html))
        seen["examples"] += 1
        if _refused(client, response, html):
            seen["refused"] += 1
            assert snapshot.now() == before, f"a refused {rule.rule} ({response.status_code}) stored"

    try:
        post_hostile()
    finally:
        snapshot.close()
    summary = f"{path}: {seen['examples']} examples, {seen['refused']} refused, fields {sorted(fields)}"
    print(summary)
    if os.environ.get("FUZZ_REPORT"):  # a file that collects the figures of a run
        with open(os.environ["FUZZ_REPORT"], "a", encoding="utf-8") as report:
            report.write(summary + "\n")
    if fuzzing.stored_payloads(app) > payloads_before:
        _assert_shown_escaped(app, world)


def _assert_shown_escaped(app, world) -> None:
    """Every page that can show what the fuzz stored shows it escaped."""
    escaped = 0
    with app.app_context():
        sess = db.session()
        newest = {name: list(sess.scalars(select(model.id).order_by(model.id.desc()).limit(4)))
                  for name, model in ID_TABLES.items()}
        sess.rollback()
    for state in ("lead", "referrer"):  # between them, every staff and referrer page
        client = _client(app, world, state)
        for rule in fuzzing.get_rules(app):
            for url in _page_urls(app, world, rule, newest):
                response = client.get(url)
                if response.mimetype != "text/html":  # exports: files, not pages
                    continue
                html = response.get_data(as_text=True)
                assert fuzzing.raw_payload(html) is None, url
                escaped += html.count(f"&lt;{fuzzing.MARKER}")
    public = app.test_client()
    for code in world["receipts"]:
        html = public.post("/da/answer", data={"code": code}).get_data(as_text=True)
        assert fuzzing.raw_payload(html) is None
        escaped += html.count(f"&lt;{fuzzing.MARKER}")
    assert escaped, "a payload was stored, but no page showed it: is a page missing from the check?"


def _page_urls(app, world, rule, newest):
    id_params = [name for name in rule.arguments if name in ID_TABLES]
    if len(id_params) > 1:
        pytest.fail(f"{rule.rule}: more than one id; extend _page_urls")
    base = {name: world["params"][name][0] for name in rule.arguments}
    ids = newest[id_params[0]] + world["params"][id_params[0]] if id_params else [None]
    for ident in dict.fromkeys(ids):
        values = {**base, **({id_params[0]: ident} if id_params else {})}
        yield app.url_map.bind("localhost").build(rule.endpoint, values)


def test_every_form_is_found(app, world):
    """Each POST rule either has a form on some page or is a button without fields."""
    harvest = _harvest(app, world)
    assert len(POST_RULES) >= 30
    missing = [rule for rule in POST_RULES if rule not in harvest and rule not in BEHIND_A_STEP]
    # A form only rendered after a step the harvest cannot take is listed in BEHIND_A_STEP, with why.
    assert missing == [], missing

