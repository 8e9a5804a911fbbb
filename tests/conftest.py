"""Fixtures: an app on a freshly migrated database per test.

SQLite by default (a migrated template file copied per test); PostgreSQL
when PORTAL_TEST_DATABASE_URL is set (migrated once, tables emptied after
each test). Either way the schema comes only from the Alembic revisions."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import select, text

from portal import create_app
from portal.schema import upgrade_database

# Property-based tests (tests/test_fuzz_forms.py): 200 examples per form in
# CI, derandomized so a CI run can be repeated exactly; fewer locally
# (HYPOTHESIS_PROFILE=ci to run CI's, or =thorough for more).
settings.register_profile("ci", max_examples=200, derandomize=True, deadline=None, database=None,
                          print_blob=True)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

pytest_plugins = ["tests.smtp"]  # the smtp_server fixture (aiosmtpd)

PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
# Tables whose rows come from the migrations themselves.
SEEDED_TABLES = {"hospitals", "alembic_version"}


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Run the migrations once per test session."""
    if PG_URL:
        upgrade_database(PG_URL)
        return PG_URL
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    upgrade_database(f"sqlite:///{path}")
    return str(path)


@pytest.fixture
def database_url(database_template: str, tmp_path: Path) -> str:
    if PG_URL:
        return PG_URL
    target = tmp_path / "portal.sqlite3"
    shutil.copy(database_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def make_app(database_url: str) -> Iterator:
    """Build apps with config overrides on the test database."""
    apps: list[Flask] = []

    def _make(**overrides) -> Flask:
        config = {"ENV": "testing", "DATABASE_URL": database_url, **overrides}
        app = create_app(config)
        apps.append(app)
        return app

    yield _make
    for app in apps:
        engine = app.extensions["db_engine"]
        if PG_URL and app.config["DATABASE_URL"] == PG_URL:
            _empty_tables(engine)
        engine.dispose()


def _empty_tables(engine) -> None:
    from portal.models import Base
    names = [t.name for t in Base.metadata.sorted_tables if t.name not in SEEDED_TABLES]
    if names:
        with engine.begin() as conn:
            conn.execute(text("TRUNCATE " + ", ".join(names) + " RESTART IDENTITY CASCADE"))


@pytest.fixture
def app(make_app) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db_session(app: Flask):
    """A session inside an app context, for calling services directly."""
    from portal import db
    with app.app_context():
        yield db.session()


RECEIPT_RE = re.compile(r'class="receipt-code"[^>]*>([^<]+)<')


def receipt_from(html: str) -> str:
    match = RECEIPT_RE.search(html)
    assert match, "no receipt code on the page"
    return match.group(1)


@pytest.fixture
def ask(client: FlaskClient):
    """Ask an anonymous question through the public form; return the code."""

    def _ask(text: str = "Hvad har jeg ret til, når jeg går på barsel?", lang: str = "da", **extra) -> str:
        response = client.post(f"/{lang}/ask", data={"question": text, **extra})
        assert response.status_code == 200, response.status_code
        return receipt_from(response.get_data(as_text=True))

    return _ask


# --- accounts -------------------------------------------------------------

PASSWORD = "korrekt-hest-batteri-klips"


@pytest.fixture
def make_user(app):
    """Create an account with a password (and TOTP for the roles that need it)."""
    import pyotp

    from portal import db
    from portal.services import accounts

    counter = {"n": 0}

    def _make(role: str = "counsellor", *, email: str | None = None, name: str | None = None, **extra):
        counter["n"] += 1
        email = email or f"{role}{counter['n']}@test.invalid"
        with app.app_context():
            if role == "referrer":
                extra.setdefault("hospital_code", "rh")
            if role == "association_editor":
                from portal.models import Association
                session = db.session()
                # No explicit id: on PostgreSQL it would not move the sequence on.
                if session.scalar(select(Association.id).where(Association.code == "test-forening")) is None:
                    session.add(Association(code="test-forening", name="Testforening", active=True))
                    session.flush()
                extra.setdefault("association_code", "test-forening")
            user, _token = accounts.create_user(db.session(), email=email, role=role,
                                                name=name or f"{role.title()} {counter['n']}", **extra)
            accounts.complete_setup(user, PASSWORD)
            if user.needs_totp:
                user.totp_secret = pyotp.random_base32()
                user.totp_confirmed = True
            db.commit()
            return {"id": user.id, "email": user.email, "role": role, "secret": user.totp_secret,
                    "name": user.name}

    return _make


def totp_code(app, user: dict) -> str:
    """A valid code the account has not used yet (one step ahead if needed)."""
    import time

    import pyotp

    from portal import db
    from portal.models import User
    with app.app_context():
        last = db.session().get(User, user["id"]).totp_last_step
    totp = pyotp.TOTP(user["secret"])
    step = int(time.time() // totp.interval)
    if last is not None and last >= step:
        step = last + 1
    return totp.at(step * totp.interval)


def login(app, client, user: dict, *, follow: bool = False):
    """Log in through the real forms: password, then TOTP where required."""
    response = client.post("/staff/login", data={"email": user["email"], "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    if user["secret"]:
        assert response.headers["Location"].startswith("/staff/login/code")
        response = client.post("/staff/login/code", data={"code": totp_code(app, user)})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


@pytest.fixture
def staff_client(app, make_user):
    """A logged-in test client for a role."""

    def _client(role: str = "counsellor", **kwargs):
        user = make_user(role, **kwargs)
        client = app.test_client()
        login(app, client, user)
        return client, user

    return _client


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch):
    """argon2 with tiny parameters keeps the suite fast; production keeps the defaults."""
    from argon2 import PasswordHasher

    from portal.services import accounts
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
