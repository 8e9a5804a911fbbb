"""Invented data in bulk: a migrated database, a counsellor who can log in
(password + TOTP, as the app sets one up), and N inquiries written with
executemany in large batches. Most are closed, the newest few thousand
open; kinds, statuses, hospitals, languages and dates spread as in real
life (roughly: more questions than referrals, mostly Danish)."""

from __future__ import annotations

import json
import random
import secrets
from datetime import timedelta

from psycopg.types.json import Json
from sqlalchemy import select, text

from portal import create_app, db
from portal.db import make_engine
from portal.models import Hospital, Inquiry, User
from portal.models.base import utcnow
from portal.schema import upgrade_database
from portal.services import accounts

BATCH = 20_000
EMAIL = "bench-raadgiver@test.invalid"
PASSWORD = "bench-" + secrets.token_urlsafe(12)
KINDS = (("anonymous_question", 55), ("self_referral", 30), ("professional_referral", 12), ("sparring", 3))
CHANNELS = {"anonymous_question": "anonymous_web", "self_referral": "phone",
            "professional_referral": "email", "sparring": "email"}
LANGUAGES = (("da", 80), ("en", 8), ("ar", 5), ("uk", 3), ("tr", 2), ("ur", 2))
CLOSURES = ("completed", "completed", "completed", "dropped_out", "no_contact", "other")
OPEN_CYCLE = ("new", "new", "claimed", "in_progress")
TOPICS = ("economy", "housing", "parenting", "rights", "relationship", "pregnancy_birth")


def migrated(url: str) -> str:
    """Run the migrations on ``url`` (a fresh database); return it."""
    upgrade_database(url)
    return url


def counsellor(url: str, data_key: str) -> dict:
    """A counsellor with a password and a confirmed TOTP secret, stored
    under ``data_key``: the key the server that reads it will use."""
    import pyotp

    app = create_app({"ENV": "testing", "DATABASE_URL": url, "DATA_KEY": data_key})
    with app.app_context():
        sess = db.session()
        user = sess.scalar(select(User).where(User.email == EMAIL))
        if user is None:
            user, _token = accounts.create_user(sess, email=EMAIL, role="counsellor", name="Bench Rådgiver")
            accounts.complete_setup(user, PASSWORD)
        user.totp_secret = pyotp.random_base32()
        user.totp_confirmed = True
        db.commit()
        found = {"id": user.id, "email": EMAIL, "password": PASSWORD, "secret": user.totp_secret}
    app.extensions["db_engine"].dispose()
    return found


def _weighted(pairs: tuple[tuple[str, int], ...], n: int, rng: random.Random) -> list[str]:
    return rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs], k=n)


COLUMNS = ("id", "kind", "status", "label", "channel", "topics", "language", "hospital_id",
           "interpreter_needed", "priority", "assigned_to_id", "claimed_at", "closure_reason", "closed_at",
           "attempt_count", "first_response_at", "due_at", "created_at", "updated_at", "version")


def _rows(rows: int, open_rows: int, holder_id: int, hospitals: list, first: int, rng: random.Random,
          *, sqlite: bool):
    """The inquiries as tuples of driver values (COLUMNS), in batches, oldest
    first. SQLite gets SQLAlchemy's DATETIME text (UTC, microseconds) and
    JSON text; PostgreSQL aware datetimes and psycopg's Json."""
    now = utcnow().replace(microsecond=0)
    if sqlite:
        now = now.replace(tzinfo=None)
    stamp = (lambda moment: moment.isoformat(" ", "microseconds")) if sqlite else (lambda moment: moment)
    topic_values = {topic: (json.dumps([topic]) if sqlite else Json([topic])) for topic in TOPICS}
    step = timedelta(minutes=3)
    hour, day = timedelta(hours=1), timedelta(days=1)
    for start in range(0, rows, BATCH):
        count = min(BATCH, rows - start)
        kinds = _weighted(KINDS, count, rng)
        languages = _weighted(LANGUAGES, count, rng)
        topics = rng.choices(TOPICS, k=count)
        places = rng.choices(hospitals, k=count)
        closures = rng.choices(CLOSURES, k=count)
        spans = rng.choices(range(1, 61), k=count)
        batch = []
        for offset in range(count):
            i = start + offset
            ident = first + i + 1
            created = now - step * (rows - i)
            is_open = i >= rows - open_rows
            kind = kinds[offset]
            status = OPEN_CYCLE[i % 4] if is_open else "closed"
            taken = status != "new"
            answered = not is_open or status == "in_progress"
            at = stamp(created)
            batch.append((
                ident, kind, status, f"Bench {ident}", CHANNELS[kind], topic_values[topics[offset]],
                languages[offset], places[offset], False,
                0 if kind == "professional_referral" and i % 5 == 0 else 1,
                holder_id if taken else None, stamp(created + 2 * hour) if taken else None,
                None if is_open else closures[offset], None if is_open else stamp(created + spans[offset] * day),
                0, stamp(created + 5 * hour) if answered else None, stamp(created + 3 * day), at, at, 1,
            ))
        yield batch


def inquiries(url: str, rows: int, *, open_rows: int, holder_id: int, seed: int = 15) -> float:
    """Insert ``rows`` inquiries (the newest ``open_rows`` open), one every
    three minutes up to now; return the seconds it took. The driver's own
    executemany, as SQLAlchemy's per-value processing would take minutes
    for a million rows; the values are what the models would write."""
    import time

    rng = random.Random(seed)
    started = time.perf_counter()
    engine = make_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    marks = ", ".join(["?" if sqlite else "%s"] * len(COLUMNS))
    sql = f"INSERT INTO inquiries ({', '.join(COLUMNS)}) VALUES ({marks})"  # noqa: S608 - our own column names
    with engine.begin() as conn:
        hospitals: list[int | None] = list(conn.scalars(select(Hospital.id)).all()) or [None]
        first = conn.scalar(select(Inquiry.id).order_by(Inquiry.id.desc()).limit(1)) or 0
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        if sqlite:
            cursor.execute("PRAGMA cache_size=-262144")  # 256 MB: the indexes stay in memory while they grow
        for batch in _rows(rows, open_rows, holder_id, hospitals, first, rng, sqlite=sqlite):
            cursor.executemany(sql, batch)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()
    return time.perf_counter() - started
