"""Encryption at rest: ``portal rotate-key``."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("rotate-key")
@with_appcontext
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(min=1),
              help="Rows re-encrypted per transaction.")
def rotate_key(batch_size: int) -> None:
    """Re-encrypt every stored value under PORTAL_DATA_KEY (the keys in
    PORTAL_DATA_KEYS_OLD only read). Safe to run again: values already
    under the current key are left as they are."""
    from portal.services import crypto as crypto_service
    keyring = current_app.extensions["data_keyring"]
    rewritten: dict[str, int] = {}
    kept: dict[str, int] = {}
    # Each batch is its own write transaction (IMMEDIATE on SQLite): the
    # portal keeps running, and an interrupted run resumes where it left.
    with current_app.extensions["db_sessionmaker_write"]() as session:
        counts = crypto_service.count_values(session)
        session.commit()
        total = sum(counts.values())
        with click.progressbar(length=total, label=f"Re-encrypting under key {keyring.current_id}",
                               show_pos=True, hidden=not total, file=sys.stderr) as bar:
            for batch in crypto_service.rotate(session, keyring, batch_size=batch_size):
                session.commit()
                rewritten[batch.place] = rewritten.get(batch.place, 0) + batch.rewritten
                kept[batch.place] = kept.get(batch.place, 0) + batch.rows - batch.rewritten
                bar.update(batch.rows)
    for place in counts:
        click.echo(f"{place}: {rewritten.get(place, 0)} re-encrypted, {kept.get(place, 0)} already current")
    click.echo(f"All values are under key {keyring.current_id}: the old keys can be removed from "
               "PORTAL_DATA_KEYS_OLD.")
