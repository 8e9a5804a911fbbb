"""The ``portal`` command."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import click
from alembic import command
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from portal import cli_crypto, cli_ops, cli_retention
from portal.links import external_url
from portal.schema import alembic_config, upgrade_database


def _create_app() -> Flask:
    from portal import create_app
    try:
        return create_app()
    except RuntimeError as err:  # a setting production refuses to start without
        raise click.ClickException(str(err)) from None


class PortalGroup(FlaskGroup):
    """The `portal` command: an operator's mistake (a missing setting, a
    database that cannot be reached) is one line on stderr and exit code 1,
    never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        from sqlalchemy.exc import OperationalError
        try:
            return super().invoke(ctx)
        except OperationalError as err:
            reason = str(err.orig or err).strip().splitlines()[0]
            raise click.ClickException(f"The database cannot be reached (PORTAL_DATABASE_URL): {reason}") from None


def _allow_sqlite(_ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """--allow-sqlite: read before the app is created, as PORTAL_ALLOW_SQLITE=1."""
    if value:
        os.environ["PORTAL_ALLOW_SQLITE"] = "1"


@click.group(cls=PortalGroup, create_app=_create_app)
@click.option("--allow-sqlite", is_flag=True, is_eager=True, expose_value=False, callback=_allow_sqlite,
              help="Let production run on SQLite (one instance only); also PORTAL_ALLOW_SQLITE=1.")
def main() -> None:
    """Management commands for the intake portal (PORTAL_ENV=development for a local run)."""


def register(app: Flask) -> None:
    """Attach the commands to the app's CLI."""
    app.cli.add_command(db_group)
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)
    app.cli.add_command(cli_retention.purge)
    app.cli.add_command(send_digest)
    app.cli.add_command(notify)
    app.cli.add_command(stats_command)
    app.cli.add_command(import_cases_command)
    app.cli.add_command(cli_ops.backup)
    app.cli.add_command(cli_crypto.rotate_key)


@click.group("db", cls=AppGroup)
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database to the newest schema."""
    before, after = upgrade_database(current_app.config["DATABASE_URL"], revision)
    if before == after:
        click.echo(f"Database is at revision {after}: nothing to do")
    else:
        click.echo(f"Database upgraded from revision {before or '(empty)'} to {after}")


@db_group.command("downgrade")
@click.option("--revision", default="-1")
def db_downgrade(revision: str) -> None:
    """Step the schema back."""
    command.downgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing if there are already inquiries.")
def seed_demo(if_empty: bool) -> None:
    """Add invented demo data (development only)."""
    from portal import db, demo
    if current_app.config["ENV"] == "production":
        raise click.ClickException("seed-demo is for development databases only")
    created = demo.seed(db.session(), only_if_empty=if_empty)
    db.commit()
    for line in created:
        click.echo(line)


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True)
@click.option("--role", required=True,
              type=click.Choice(["admin", "lead", "counsellor", "referrer", "association_editor"]))
@click.option("--name", default="", help="Shown to colleagues; defaults to the e-mail's first part.")
@click.option("--hospital", default=None, help="Hospital code (referrers), e.g. rh.")
@click.option("--association", default=None, help="Association code (association editors).")
def create_user(email: str, role: str, name: str, hospital: str | None, association: str | None) -> None:
    """Create an account and print its one-time set-up link."""
    from portal import db
    from portal.services import ServiceError, accounts, audit
    try:
        user, token = accounts.create_user(db.session(), email=email, role=role, name=name,
                                           hospital_code=hospital, association_code=association)
    except ServiceError as err:
        raise click.ClickException(str(err.message)) from None
    audit.record(db.session(), None, "user.create", user)
    db.commit()
    click.echo(f"Created {user.email} ({user.role}). One-time set-up link (valid 72 hours):")
    click.echo(setup_link(token))


def setup_link(token: str) -> str:
    """The absolute set-up URL, from PORTAL_BASE_URL."""
    return external_url("staff.setup", t=token)


def _check_month(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """--month must be a YYYY-MM month (one clear line otherwise)."""
    from portal.services import digest
    if value is None:
        return None
    try:
        digest.first_day(value)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None
    return value


@click.command("send-digest")
@with_appcontext
@click.option("--month", callback=_check_month, metavar="YYYY-MM",
              help="The month to report on; default the previous calendar month (Copenhagen time).")
@click.option("--dry-run", is_flag=True, help="Write the mails to the outbox; record nothing.")
@click.option("--force", is_flag=True, help="Send again to hospitals that already had this month's mail.")
def send_digest(month: str | None, dry_run: bool, force: bool) -> None:
    """Send each hospital its monthly status mail (run on the 1st)."""
    from flask import render_template

    from portal import db
    from portal.services import digest
    month = month or digest.previous_month()
    try:
        lines = digest.send_month(db.session(), current_app.config, month, render=render_template,
                                  dry_run=dry_run, force=force)
    except digest.DigestNotSent as failure:
        db.commit()  # keep the record of the mails that did go out, so a rerun skips them
        click.echo("\n".join(failure.lines))
        raise click.ClickException(str(failure)) from None
    db.commit()
    for line in lines:
        click.echo(line)


@click.command("notify")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="Write the notices to the outbox; record nothing.")
def notify(dry_run: bool) -> None:
    """Tell the counsellors' shared address what is new and, once a working
    day, what is due or overdue (run every 15 minutes in opening hours)."""
    from flask import render_template

    from portal import db
    from portal.services import notify as notify_service
    from portal.services.deadlines import Promises
    promises = Promises.from_settings(current_app.config)
    try:
        lines = notify_service.run(db.session(), current_app.config, promises, render=render_template,
                                   dry_run=dry_run)
    except notify_service.NoticeNotSent as failure:
        db.commit()  # keep the record of what did go out, so a rerun does not repeat it
        click.echo("\n".join(failure.lines))
        raise click.ClickException(str(failure)) from None
    db.commit()
    click.echo("\n".join(lines))


def _check_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    """--from and --to must be YYYY-MM-DD dates (one clear line otherwise)."""
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date of the form YYYY-MM-DD, e.g. 2025-04-01") from None


@click.command("stats")
@with_appcontext
@click.option("--from", "date_from", callback=_check_date, metavar="YYYY-MM-DD",
              help="First day of the period; default 2024-12-01, the partnership's start.")
@click.option("--to", "date_to", callback=_check_date, metavar="YYYY-MM-DD",
              help="Last day of the period (included); default today.")
@click.option("--hospital", default=None, metavar="CODE", help="Only this hospital's figures, e.g. rh.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
def stats_command(date_from: date | None, date_to: date | None, hospital: str | None, as_json: bool) -> None:
    """Print the evaluation's figures for the cases opened in a period."""
    import json

    from portal import db
    from portal.services import stats, stats_text
    date_from, date_to = date_from or stats.PARTNERSHIP_START, date_to or stats.local_today()
    if date_from > date_to:
        raise click.BadParameter(f"{date_from} is after --to {date_to}", param_hint="'--from'")
    codes = stats.hospital_codes(db.session())
    if hospital is not None and hospital not in codes:
        raise click.BadParameter(f"unknown hospital code {hospital!r}; known codes: {', '.join(codes)}",
                                 param_hint="'--hospital'")
    result = stats.figures(db.session(), date_from=date_from, date_to=date_to, hospital_code=hospital)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, sort_keys=True))
    else:
        click.echo("\n".join(stats_text.text_report(result)))


@click.command("import-cases")
@with_appcontext
@click.argument("file", metavar="FILE.csv", type=click.Path(path_type=Path))
def import_cases_command(file: Path) -> None:
    """Import cases from the old CRM's CSV export: all or nothing; a re-import updates changed cases."""
    import sys

    from portal.services import case_import
    # A write transaction from the start (IMMEDIATE on SQLite): the check's reads decide the writes.
    with current_app.extensions["db_sessionmaker_write"]() as session:
        try:
            rows = case_import.read_csv(file)
            with click.progressbar(length=len(rows), label=f"Checking {len(rows)} rows", hidden=not rows,
                                   file=sys.stderr) as bar:
                plan = case_import.check(session, rows, progress=bar.update)
            todo = len(plan.new) + len(plan.changed)
            with click.progressbar(length=todo, label="Saving", show_pos=True, hidden=not todo, file=sys.stderr) as bar:
                case_import.save(session, plan, progress=bar.update)
        except case_import.ImportRefused as refused:
            session.rollback()
            for problem in refused.problems:
                click.echo(str(problem), err=True)
            raise click.ClickException(str(refused)) from None
        session.commit()
    click.echo(plan.summary())
