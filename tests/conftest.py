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
from sqlalchemy import text

from portal import create_app
from portal.cli import upgrade_database

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
