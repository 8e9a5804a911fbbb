"""`make bench`: timings of the hot pages, printed as one JSON object.

BENCH_DATABASE_URL picks the database (default: a fresh SQLite file);
BENCH_ROWS sets how many inquiries the queue holds (default 100,000).
Numbers are medians over repeated requests through the WSGI app."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text  # noqa: E402 - after the sys.path line above

from portal import create_app, db  # noqa: E402 - after the sys.path line above
from portal.models import Inquiry, User  # noqa: E402 - after the sys.path line above
from portal.models.base import utcnow  # noqa: E402 - after the sys.path line above
from portal.schema import upgrade_database  # noqa: E402 - after the sys.path line above
from portal.services import accounts, triage  # noqa: E402 - after the sys.path line above

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))


def _fill(app, rows: int) -> int:
    with app.app_context():
        sess = db.session()
        user, _ = accounts.create_user(sess, email="bench@test.invalid", role="counsellor", name="Bench")
        db.commit()
        now = utcnow()
        batch = []
        open_from = rows - min(rows, 5000)  # like real life: old ones closed, the newest open
        for i in range(rows):
            batch.append({
                "kind": "anonymous_question" if i % 3 else "self_referral",
                "status": ("new", "claimed", "in_progress")[i % 3] if i >= open_from else "closed",
                "label": f"bench-{i}", "channel": "anonymous_web", "topics": [], "language": "da",
                "interpreter_needed": False, "attempt_count": 0, "version": 1,
                "assigned_to_id": user.id if i % 3 and i >= open_from else None,
                "created_at": now - timedelta(seconds=rows - i), "updated_at": now,
                # Every inquiry is due a few days after it came (the calendar's own rule is
                # not what is measured here).
                "due_at": now - timedelta(seconds=rows - i) + timedelta(days=3),
            })
            if len(batch) == 10_000:
                sess.execute(insert(Inquiry), batch)
                batch = []
        if batch:
            sess.execute(insert(Inquiry), batch)
        db.commit()
        sess.execute(text("ANALYZE"))
        db.commit()
        return user.id


def _median_ms(fn, repeat: int = 25) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 2)


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    upgrade_database(url)
    app = create_app({"ENV": "testing", "DATABASE_URL": url, "RATELIMIT_ENABLED": False})
    start = time.perf_counter()
    user_id = _fill(app, ROWS)
    fill_s = time.perf_counter() - start
    result = {"database": url.split(":", 1)[0], "rows": ROWS, "fill_seconds": round(fill_s, 1)}
    with app.app_context():
        sess = db.session()
        user = sess.get(User, user_id)
        now = utcnow()
        first = triage.queue(sess, user, triage.QueueFilter())
        deep_cursor = None
        page = first
        for _ in range(20):
            deep_cursor = page.next_cursor
            page = triage.queue(sess, user, triage.QueueFilter(), after=deep_cursor)
        result["queue_first_page_ms"] = _median_ms(lambda: triage.queue(sess, user, triage.QueueFilter()))
        result["queue_page_21_ms"] = _median_ms(
            lambda: triage.queue(sess, user, triage.QueueFilter(), after=deep_cursor))
        result["queue_newest_first_ms"] = _median_ms(
            lambda: triage.queue(sess, user, triage.QueueFilter(newest_first=True)))
        result["queue_mine_ms"] = _median_ms(lambda: triage.queue(sess, user, triage.QueueFilter(holder="mine")))
        result["status_counts_ms"] = _median_ms(lambda: triage.status_counts(sess), repeat=5)
        result["queue_overdue_ms"] = _median_ms(lambda: triage.queue(
            sess, user, triage.QueueFilter(due="overdue"), now=now + timedelta(days=3)))
        result["due_counts_ms"] = _median_ms(lambda: triage.due_counts(sess, now + timedelta(days=3)), repeat=5)
    client = app.test_client()
    result["public_landing_ms"] = _median_ms(lambda: client.get("/da/"))
    result["public_ask_form_ms"] = _median_ms(lambda: client.get("/da/ask"))
    result["public_ask_submit_ms"] = _median_ms(
        lambda: client.post("/da/ask", data={"question": "Et spørgsmål til måling af tid"}), repeat=10)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
