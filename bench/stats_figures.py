"""The evaluation's full statistics at scale: how long ``portal stats --json``
takes over the whole period (``stats.figures``, the same service call), and
how that compares with the plain SQL it sends.

``measure(url, cases)`` migrates the database, tops it up to ``cases``
invented cases (bench/case_data.py), and returns
``{"seconds": median of 3 runs, "ratio": seconds / the SQL alone}``; the SQL
alone is each statement captured during one run (before_cursor_execute),
executed again straight through the driver and fetched, timed one by one and
added up (transaction control left out). A ratio near 1 means the time is
in the database, not in Python; below 1, that the statistics read in parts
side by side (one per CPU, portal/services/stats_scan.py) what the SQL
alone runs one statement after another.

Run alone: ``python bench/stats_figures.py [CASES]`` (BENCH_DATABASE_URL,
default a fresh SQLite file)."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, select  # noqa: E402 - after the sys.path line above

from bench import case_data  # noqa: E402 - after the sys.path line above
from portal import create_app, db  # noqa: E402 - after the sys.path line above
from portal.models import Case  # noqa: E402 - after the sys.path line above
from portal.schema import upgrade_database  # noqa: E402 - after the sys.path line above

RUNS = 3


def _full_statistics() -> Callable[[], dict[str, Any]]:
    """What ``portal stats --json`` computes: every figure, all hospitals, the whole period."""
    from portal.services import stats

    def run() -> dict[str, Any]:
        return stats.figures(db.session(), date_from=stats.PARTNERSHIP_START, date_to=stats.local_today())
    return run


def _captured(run: Callable[[], Any]) -> list[tuple[str, Any]]:
    """The statements (with their parameters) that one call of ``run`` sends."""
    sent: list[tuple[str, Any]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if not statement.lstrip().upper().startswith("BEGIN"):  # each part's own, and the session's
            sent.append((statement, parameters))

    engine = db.engine()
    event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return sent


def _sql_alone(sent: list[tuple[str, Any]]) -> float:
    """Seconds to execute and fetch each captured statement on its own, added up
    (the second of two passes, on one driver connection: both warm, like the runs)."""
    connection = db.engine().raw_connection()
    try:
        for _warm in (True, False):
            total = 0.0
            for statement, parameters in sent:
                cursor = connection.cursor()
                started = time.perf_counter()
                cursor.execute(statement, parameters)
                if cursor.description is not None:
                    cursor.fetchall()
                total += time.perf_counter() - started
                cursor.close()
            connection.rollback()
    finally:
        connection.close()
    return total


def prepare(database_url: str, cases: int) -> None:
    """Migrate and top the database up to ``cases`` invented cases."""
    upgrade_database(database_url)
    app = create_app({"ENV": "testing", "DATABASE_URL": database_url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        have = db.session().scalar(select(func.count(Case.id))) or 0
        db.session().rollback()
        if have < cases:
            case_data.fill(db.engine(), cases - have, seed=have)


def measure(database_url: str, cases: int) -> dict[str, float]:
    """{"seconds": median of 3 runs of the full statistics, "ratio": those seconds / the SQL alone}."""
    prepare(database_url, cases)
    app = create_app({"ENV": "testing", "DATABASE_URL": database_url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        run = _full_statistics()
        run()  # warm: the page cache, the pool, SQLAlchemy's compiled statements
        db.session().rollback()
        samples = []
        for _ in range(RUNS):
            started = time.perf_counter()
            run()
            samples.append(time.perf_counter() - started)
            db.session().rollback()
        sent = _captured(run)
        db.session().rollback()
        alone = _sql_alone(sent)
    seconds = statistics.median(samples)
    return {"seconds": round(seconds, 3), "ratio": round(seconds / alone, 2) if alone > 0 else 0.0}


def main() -> None:
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/stats.sqlite3"
    started = time.perf_counter()
    prepare(url, cases)
    filled = time.perf_counter() - started
    print(json.dumps({"database": url.split(":", 1)[0], "cases": cases, "fill_seconds": round(filled, 1),
                      **measure(url, cases)}))


if __name__ == "__main__":
    main()
