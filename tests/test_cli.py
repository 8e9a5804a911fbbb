"""The portal command."""

from __future__ import annotations

import pyotp
from sqlalchemy import func, select

from portal import db
from portal.models import Inquiry


def test_db_upgrade_and_seed_demo(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path}/cli.sqlite3", ENV="development")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "Demo data added" in result.output
    with app.app_context():
        count = db.session().scalar(select(func.count()).select_from(Inquiry))
    assert count == 44  # 24 questions, 14 contact requests, 4 referrals, 2 sparring
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "already present" in again.output


def test_seed_demo_refused_in_production(make_app, monkeypatch):
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", "0")
    app = make_app(ENV="production", SECRET_KEY="x" * 32, RECEIPT_PEPPER="y" * 32, ALLOW_SQLITE=True,
                   DATA_KEY="dGVzdC1vbmx5LWRhdGEta2V5LTMyLWJ5dGVzLWxvbmc=")
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0


def test_create_user_prints_a_one_time_setup_link(make_app, tmp_path):
    app = make_app(BASE_URL="https://portal.example")
    result = app.test_cli_runner().invoke(args=["create-user", "--email", "jm@test.invalid", "--role",
                                                "referrer", "--hospital", "hgh"])
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    assert link.startswith("https://portal.example/staff/setup?t=")
    token = link.rsplit("=", 1)[1]
    from portal.models import User
    with app.app_context():
        user = db.session().scalars(select(User)).one()
        assert user.hospital.code == "hgh" and token not in (user.setup_token_digest or "")
    client = app.test_client()
    response = client.get(f"/staff/setup?t={token}")
    assert response.status_code == 303 and response.headers["Location"] == "/staff/setup"
    assert client.get("/staff/setup").status_code == 200
    response = client.post("/staff/setup", data={"password": "grøn-cykel-under-broen",
                                                  "confirm": "grøn-cykel-under-broen"})
    # Referrers use two-factor login too: the link goes on to the app step.
    assert response.status_code == 303 and response.headers["Location"] == "/staff/setup/2fa"
    assert client.get("/staff/setup/2fa").status_code == 200
    with app.app_context():
        secret = db.session().scalars(select(User)).one().totp_secret
    response = client.post("/staff/setup/2fa", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response.headers["Location"] == "/staff/login"
    assert client.get(f"/staff/setup?t={token}", follow_redirects=True).status_code == 404
    bad = app.test_cli_runner().invoke(args=["create-user", "--email", "x@test.invalid", "--role", "referrer"])
    assert bad.exit_code != 0
