"""The portal command."""

from __future__ import annotations

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
    assert count == 38
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "already present" in again.output


def test_seed_demo_refused_in_production(make_app):
    app = make_app(ENV="production", SECRET_KEY="x" * 32, RECEIPT_PEPPER="y" * 32)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
