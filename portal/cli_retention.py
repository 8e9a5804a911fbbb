"""``portal purge [--dry-run]``: retention of everything (run daily by a timer)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

# What each count means, as the operator reads it.
LABELS = {
    "contact_details": "inquiries' contact details erased",
    "anonymous_threads": "anonymous question threads deleted",
    "cases": "closed cases anonymised",
    "requests": "closed requests and referrals without a case emptied of their texts",
    "sparring": "sparring threads emptied of their messages",
    "activities_deleted": "past activities deleted (nothing was counted on them)",
    "activities_stripped": "past activities without their photo and contact line",
    "courses": "ended courses' enrolments reduced to what the figures count",
    "survey_texts": "survey free texts erased",
    "survey_invitations": "expired survey links deleted",
}


@click.command("purge")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="Print what would be removed; change nothing.")
def purge(dry_run: bool) -> None:
    """Delete, empty or anonymise whatever is past its retention time (run daily;
    the settings *_RETENTION_* say how long each kind is kept)."""
    from portal.services import retention
    try:
        policy = retention.Policy.from_settings(current_app.config)
    except ValueError as err:
        raise click.ClickException(str(err)) from None
    # A write transaction from the start (IMMEDIATE on SQLite): what the
    # rules read decides what they delete, so nothing may slip in between.
    factory = current_app.extensions["db_sessionmaker" if dry_run else "db_sessionmaker_write"]
    with factory() as session:
        counts = retention.purge(session, policy, dry_run=dry_run)
        if dry_run:
            session.rollback()
        else:
            session.commit()
    if dry_run:
        click.echo("Dry run: nothing was changed. A run now would give:")
    for kind in retention.KINDS:
        click.echo(f"{counts[kind]:>6}  {LABELS[kind]}")
