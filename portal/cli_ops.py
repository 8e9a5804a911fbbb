"""Operations commands: ``portal backup``."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import URL, make_url


@click.command("backup")
@with_appcontext
@click.argument("dest", metavar="DEST", type=click.Path(path_type=Path))
def backup(dest: Path) -> None:
    """Copy the SQLite database to DEST (a new file, or a folder for a dated
    file) while the portal runs. For PostgreSQL it prints the pg_dump command."""
    url = make_url(current_app.config["DATABASE_URL"])
    if url.get_backend_name() != "sqlite":
        raise click.ClickException("portal backup copies SQLite databases; for PostgreSQL run: "
                                   + pg_dump_command(current_app.config["DATABASE_URL"], dest))
    source = url.database
    if not source or source == ":memory:":
        raise click.ClickException("The database is in memory (PORTAL_DATABASE_URL): there is no file to back up")
    if not Path(source).is_file():
        raise click.ClickException(f"No database file at {source} (PORTAL_DATABASE_URL)")
    target = dest / datetime.now(timezone.utc).strftime("portal-%Y%m%d-%H%M%S.sqlite3") if dest.is_dir() else dest
    tables = copy_sqlite(Path(source), target)
    click.echo(f"Backed up {tables} tables to {target}")


def copy_sqlite(source: Path, target: Path) -> int:
    """Copy with SQLite's online backup API: a consistent snapshot even while
    instances write (WAL included). The copy is a new file readable by its
    owner only, in rollback-journal mode so it is one self-contained file.
    Returns the number of tables in the copy."""
    try:
        # O_EXCL: never overwrite an earlier backup; 0600 from the first byte.
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise click.ClickException(f"{target} exists already: choose a new name or a folder") from None
    except OSError as err:
        raise click.ClickException(f"Cannot create {target}: {err.strerror}") from None
    try:
        src = sqlite3.connect(source, timeout=15)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
            tables = dst.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        finally:
            dst.close()
            src.close()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    os.chmod(target, 0o600)
    if check != "ok":
        raise click.ClickException(f"The copy in {target} failed its integrity check: {check}")
    return int(tables)


def pg_dump_command(database_url: str, dest: Path) -> str:
    """The pg_dump line for this database, without its password (libpq reads
    that from ~/.pgpass or PGPASSWORD)."""
    given = make_url(database_url)
    url = URL.create("postgresql", username=given.username, host=given.host, port=given.port,
                     database=given.database, query=given.query)
    file = dest / "portal.dump" if dest.is_dir() else dest
    return f"pg_dump --format=custom --file={file} '{url.render_as_string(hide_password=False)}'"
