"""Two real instances: two gunicorn servers (production settings) on two
localhost ports, sharing one PostgreSQL database and one Redis. What a
load balancer may do to a family or a counsellor (send each request to
either one) changes nothing:

- a receipt code made on A opens the thread on B;
- a staff session made on A is valid on B;
- the rate limits count the posts to A and B together;
- simultaneous claims of one inquiry on A and B have exactly one winner.

Runs in CI's PostgreSQL pass (.ci/run sets PORTAL_TEST_DATABASE_URL and
PORTAL_TEST_REDIS_URL); skipped otherwise."""

from __future__ import annotations

import base64
import http.client
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pyotp
import pytest
from sqlalchemy import func, select

from portal import create_app, db
from portal.models import AuditEvent, Inquiry
from portal.schema import upgrade_database
from tests.conftest import PASSWORD, PG_URL, RECEIPT_RE
from tests.pg import fresh_database

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "")
GUNICORN = Path(sys.executable).with_name("gunicorn")
ROOT = Path(__file__).resolve().parent.parent
POST_LIMIT = 5
CLAIM_ROUNDS = 4

pytestmark = [
    pytest.mark.instances,
    pytest.mark.postgres,
    pytest.mark.skipif(not (PG_URL.startswith("postgresql") and REDIS_URL),
                       reason="needs PORTAL_TEST_DATABASE_URL (PostgreSQL) and PORTAL_TEST_REDIS_URL"),
]


# --- a small HTTP client: no redirects followed, cookies held explicitly ----------------

class _Hidden(HTMLParser):
    """The hidden inputs of a page (the CSRF token, a form's timestamp)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.values.setdefault(str(found["name"]), found.get("value") or "")


def hidden_inputs(html: str) -> dict[str, str]:
    parser = _Hidden()
    parser.feed(html)
    return parser.values


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str


@dataclass
class Browser:
    """One person's browser, talking to one instance at a time. Its cookies
    are its own: a test hands them to the other instance on purpose."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, base: str, method: str, path: str, data: dict | None = None) -> Response:
        parts = urlsplit(base)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        headers = {"Accept-Language": "da"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            response = Response(raw.status, raw.headers, raw.read().decode("utf-8", "replace"))
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, base: str, path: str) -> Response:
        return self.request(base, "GET", path)

    def post(self, base: str, path: str, data: dict, *, form_page: str | None = None) -> Response:
        """POST with the hidden inputs (CSRF token) of ``form_page``, fetched first."""
        page = self.get(base, form_page or path)
        assert page.status == 200, (form_page or path, page.status)
        return self.request(base, "POST", path, {**hidden_inputs(page.text), **data})

    def follow(self, base: str, response: Response) -> Response:
        assert response.status in (302, 303), response.status
        return self.get(base, urlsplit(response.headers["Location"]).path)


# --- the two instances --------------------------------------------------------------

SECRET_KEY = secrets.token_urlsafe(32)
PEPPER = secrets.token_urlsafe(32)
DATA_KEY = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_") and k != "WEB_CONCURRENCY"}
    env.update({
        "PORTAL_ENV": "production",
        "PORTAL_SECRET_KEY": SECRET_KEY,
        "PORTAL_RECEIPT_PEPPER": PEPPER,
        "PORTAL_DATA_KEY": DATA_KEY,  # the same key as the in-process app (encryption at rest)
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_REDIS_URL": REDIS_URL,
        "PORTAL_BASE_URL": "http://127.0.0.1",
        "PORTAL_TRUSTED_HOSTS": "127.0.0.1",
        "PORTAL_TRUSTED_PROXIES": "0",
        "PORTAL_SESSION_COOKIE_SECURE": "0",  # plain http on localhost
        "PORTAL_MIN_FILL_SECONDS": "0",
        "PORTAL_RATELIMIT_POST": f"{POST_LIMIT} per 10 minutes",
        # Everything here comes from 127.0.0.1: only the per-person limit is under test.
        "PORTAL_RATELIMIT_POST_PER_ADDRESS": "100000 per minute",
        "PORTAL_RATELIMIT_LOGIN": "100000 per minute",
        "WEB_CONCURRENCY": "2",
        "PORTAL_THREADS": "4",
    })
    return env


@dataclass
class Instance:
    base: str
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def _start(env: dict[str, str], log: Path) -> Instance:
    port = _free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(GUNICORN), "-c", "python:portal.gunicorn_conf", "wsgi:app", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    return Instance(f"http://127.0.0.1:{port}", process, log)


def _wait_healthy(instance: Instance, deadline: float) -> None:
    while True:
        if instance.process.poll() is not None:
            pytest.fail(f"gunicorn at {instance.base} exited with {instance.process.returncode}:\n{instance.output()}")
        try:
            if Browser().get(instance.base, "/healthz").status == 200:
                return
        except OSError:
            pass  # not listening yet
        if time.monotonic() > deadline:
            pytest.fail(f"gunicorn at {instance.base} was not healthy in time:\n{instance.output()}")
        time.sleep(0.2)  # the polling interval, not an assertion


def _stop(instance: Instance) -> None:
    if instance.process.poll() is None:
        instance.process.terminate()  # SIGTERM: a graceful stop
        try:
            instance.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(instance.process.pid, 9)
            instance.process.wait(timeout=10)


@dataclass
class Setup:
    a: Instance
    b: Instance
    database_url: str
    app: object  # an in-process app on the same database, for services and checks


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    assert GUNICORN.exists(), GUNICORN
    logs = tmp_path_factory.mktemp("instances")
    with fresh_database(PG_URL, "portal_instances") as url:
        upgrade_database(url)
        app = create_app({"ENV": "testing", "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "RECEIPT_PEPPER": PEPPER,
                          "DATA_KEY": DATA_KEY})
        env = _environment(url)
        started: list[Instance] = []
        try:
            for name in ("a", "b"):
                started.append(_start(env, logs / f"{name}.log"))
            deadline = time.monotonic() + 90
            for instance in started:
                _wait_healthy(instance, deadline)
            yield Setup(started[0], started[1], url, app)
        finally:
            for instance in started:
                _stop(instance)
            app.extensions["db_engine"].dispose()  # type: ignore[attr-defined]


def _counsellor(app, name: str) -> dict:
    from portal.services import accounts
    with app.app_context():
        email = f"{secrets.token_hex(4)}@test.invalid"
        user, _token = accounts.create_user(db.session(), email=email, role="counsellor", name=name)
        accounts.complete_setup(user, PASSWORD)
        user.totp_secret = pyotp.random_base32()
        user.totp_confirmed = True
        db.commit()
        return {"id": user.id, "email": email, "secret": user.totp_secret, "name": name}


def _log_in(browser: Browser, base: str, user: dict) -> None:
    response = browser.post(base, "/staff/login", {"email": user["email"], "password": PASSWORD})
    assert response.status == 302 and "/staff/login/code" in response.headers["Location"], response.status
    response = browser.post(base, "/staff/login/code", {"code": pyotp.TOTP(user["secret"]).now()})
    assert response.status == 302 and urlsplit(response.headers["Location"]).path == "/staff/", response.status


# --- the four properties -------------------------------------------------------------

def test_a_receipt_code_made_on_one_instance_opens_the_thread_on_the_other(instances):
    question = f"Kan jeg få hjælp til barselsdagpenge? ({secrets.token_hex(3)})"
    family = Browser()
    sent = family.post(instances.a.base, "/da/ask", {"question": question})
    assert sent.status == 200, sent.status
    assert sent.headers["Cache-Control"] == "no-store"
    match = RECEIPT_RE.search(sent.text)
    assert match, "no receipt code on the page"
    code = match.group(1)

    elsewhere = Browser()  # another browser, another instance: only the code is shared
    thread = elsewhere.post(instances.b.base, "/da/answer", {"code": code})
    assert thread.status == 200, thread.status
    assert question in thread.text
    wrong = Browser().post(instances.b.base, "/da/answer", {"code": "ABCD EFGH JKMN PQRS TWXY"})
    assert question not in wrong.text


def test_a_staff_session_from_one_instance_is_valid_on_the_other(instances):
    user = _counsellor(instances.app, "Fælles Rådgiver")
    staff = Browser()
    assert staff.get(instances.b.base, "/staff/").status == 302  # not logged in anywhere yet
    _log_in(staff, instances.a.base, user)
    on_b = Browser(cookies=dict(staff.cookies))
    queue = on_b.get(instances.b.base, "/staff/")
    assert queue.status == 200, queue.status
    assert "Fælles Rådgiver" in queue.text
    assert Browser().get(instances.b.base, "/staff/").status == 302  # the cookie, nothing else, did it


def test_rate_limits_count_the_posts_to_both_instances(instances):
    family = Browser()
    statuses = []
    for n in range(POST_LIMIT + 1):
        base = (instances.a, instances.b)[n % 2].base
        response = family.post(base, "/da/ask", {"question": f"Spørgsmål nummer {n} om barsel"}, form_page="/da/ask")
        statuses.append(response.status)
    # Each instance alone saw at most three posts; together they reached the limit.
    assert statuses == [200] * POST_LIMIT + [429]
    assert Browser().post(instances.b.base, "/da/ask", {"question": "En anden familie"}).status == 200


def test_simultaneous_claims_on_both_instances_have_exactly_one_winner(instances):
    from portal.services import inquiries
    first = _counsellor(instances.app, "Rådgiver på A")
    second = _counsellor(instances.app, "Rådgiver på B")
    on_a, on_b = Browser(), Browser()
    _log_in(on_a, instances.a.base, first)
    _log_in(on_b, instances.b.base, second)
    seats = [(on_a, instances.a.base, first), (on_b, instances.b.base, second)]

    for round_ in range(CLAIM_ROUNDS):
        with instances.app.app_context():  # type: ignore[attr-defined]
            inquiry, _code = inquiries.create_anonymous_question(
                db.session(), text=f"Hvem tager mig? Runde {round_}", language="da")
            db.commit()
            inquiry_id = inquiry.id
        tokens = [hidden_inputs(browser.get(base, "/staff/").text) for browser, base, _user in seats]
        barrier = threading.Barrier(2)
        pages: list[str] = ["", ""]
        errors: list[BaseException] = []

        def claim(index: int, inquiry_id: int = inquiry_id, tokens: list = tokens,
                  barrier: threading.Barrier = barrier, pages: list = pages, errors: list = errors) -> None:
            browser, base, _user = seats[index]
            try:
                barrier.wait(timeout=30)
                response = browser.request(base, "POST", f"/staff/inquiries/{inquiry_id}/claim", tokens[index])
                pages[index] = browser.follow(base, response).text
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=claim, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors, errors

        with instances.app.app_context():  # type: ignore[attr-defined]
            sess = db.session()
            winner_id = sess.get(Inquiry, inquiry_id).assigned_to_id
            claims = sess.scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.action == "inquiry.claim", AuditEvent.object_id == inquiry_id))
        assert claims == 1, round_
        (winner_index,) = [i for i, (_b, _base, user) in enumerate(seats) if user["id"] == winner_id]
        loser_page = pages[1 - winner_index]
        winner_name = seats[winner_index][2]["name"]
        assert 'class="alert alert-error"' in loser_page and winner_name in loser_page, round_
        assert 'class="alert alert-error"' not in pages[winner_index], round_


def test_the_servers_log_no_client_address(instances):
    # Whatever ran before: at least the health checks were logged, one JSON line each.
    for instance in (instances.a, instances.b):
        lines = instance.log.read_text(errors="replace").splitlines()
        assert any('"route":"/healthz"' in line for line in lines), instance.output()
        # The client is 127.0.0.1; the one line naming it is gunicorn's "Listening at".
        assert [line for line in lines if "127.0.0.1" in line and "Listening at" not in line] == []
