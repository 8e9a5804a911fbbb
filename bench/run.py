"""`make bench`: one JSON object on stdout (progress on stderr), every
figure measured in this run on this machine, each a median of rounds.
See docs/performance.md for what each figure means.

BENCH_QUICK=1: tiny sizes, one round, short runs (tests/test_bench.py).
BENCH_REDIS_URL: the rate-limit store of the production servers
(default redis://127.0.0.1:6379/14; unreachable: counters in memory, and
gunicorn_conf.py then runs one process). BENCH_PG_URL: the PostgreSQL
server (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres);
the bench makes and drops a database of its own there."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import socket
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

# The project root instead of bench/ (whose module names must not shadow the standard library).
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import data, public, servers, staff_queue, submit, wrk  # noqa: E402 - after the sys.path line above
from bench.postgres import scratch_database  # noqa: E402 - after the sys.path line above

QUICK = os.environ.get("BENCH_QUICK") == "1"
ROUNDS = 1 if QUICK else 3
PAGE_SECONDS = 2 if QUICK else 8
SUBMIT_SECONDS = 5 if QUICK else 20
# BENCH_QUICK runs one small process per server (it starts sooner); a full run
# keeps what gunicorn_conf.py picks for this machine.
QUICK_SIZING = {"WEB_CONCURRENCY": "1", "PORTAL_THREADS": "8"} if QUICK else {}
CLIENTS = 4 if QUICK else 32  # a quick run on a busy machine must still finish its GET-POST pairs
# Queue figure key -> (inquiries, of them open); BENCH_QUICK shrinks them.
QUEUE_SIZES = {"10000": (300, 120), "1000000": (3000, 120)} if QUICK else {
    "10000": (10_000, 3000), "1000000": (1_000_000, 3000)}
QUEUE_REQUESTS = 5 if QUICK else 40
STATS_CASES = 2000 if QUICK else 1_000_000


def _log(message: str) -> None:
    print(f"bench {time.strftime('%H:%M:%S')}: {message}", file=sys.stderr, flush=True)


def _redis() -> str | None:
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return url if sock.recv(16).startswith(b"+PONG") else None
    except OSError:
        return None


def _sqlite(work: Path, name: str) -> str:
    return data.migrated(f"sqlite:///{work / name}.sqlite3")


def public_and_submit(work: Path, redis: str | None, result: dict) -> None:
    """The public pages (ours beside the minimal app), then the questions
    on SQLite, on the same server."""
    url = _sqlite(work, "public")
    env = servers.production_env(url, redis, work, PORTAL_MIN_FILL_SECONDS="0", **QUICK_SIZING)
    result["gunicorn"] = servers.sizing(env)
    with servers.gunicorn("wsgi:app", env, log=work / "portal.log") as portal:
        sizes = public.capture(portal, work / "templates")
        minimal_env = {**env, "BENCH_TEMPLATES": str(work / "templates")}
        with servers.gunicorn("bench.minimal_app:app", minimal_env, log=work / "minimal.log") as minimal:
            servers.warm(portal, ("/da/", "/da/ask"))
            servers.warm(minimal, ("/da/", "/da/ask"))
            result.update(public.figures(portal, minimal, sizes, rounds=ROUNDS, seconds=PAGE_SECONDS))
        _log("submit on SQLite")
        result["submit"]["sqlite"] = submit.figures(portal, url, rounds=ROUNDS, seconds=SUBMIT_SECONDS,
                                                    clients=CLIENTS)


def submit_postgresql(work: Path, redis: str | None, result: dict) -> None:
    with ExitStack() as stack:
        try:
            url = stack.enter_context(scratch_database())
        except Exception as exc:  # noqa: BLE001 - any failure to reach PostgreSQL is the reason given
            result["submit"]["postgresql"] = None
            result["skipped"]["submit.postgresql"] = f"PostgreSQL unreachable: {type(exc).__name__}: {exc}"[:300]
            return
        data.migrated(url)
        env = servers.production_env(url, redis, work, PORTAL_MIN_FILL_SECONDS="0", **QUICK_SIZING)
        _log("submit on PostgreSQL")
        with servers.gunicorn("wsgi:app", env, log=work / "portal-pg.log") as portal:
            servers.warm(portal, ("/da/ask",))
            result["submit"]["postgresql"] = submit.figures(portal, url, rounds=ROUNDS, seconds=SUBMIT_SECONDS,
                                                            clients=CLIENTS)


def queue_figures(work: Path, redis: str | None, result: dict) -> None:
    figures = {}
    for key, (rows, open_rows) in QUEUE_SIZES.items():
        url = _sqlite(work, f"queue-{key}")
        env = servers.production_env(url, redis, work, **QUICK_SIZING)
        user = data.counsellor(url, env["PORTAL_DATA_KEY"])
        seconds = data.inquiries(url, rows, open_rows=open_rows, holder_id=user["id"])
        _log(f"queue: {rows} inquiries written in {seconds:.1f} s")
        with servers.gunicorn("wsgi:app", env, log=work / f"portal-queue-{key}.log") as portal:
            figures[key] = staff_queue.figures(portal, user, rounds=ROUNDS, requests=QUEUE_REQUESTS, max_hops=200)
        figures[key].update(rows=rows, open=open_rows, fill_seconds=round(seconds, 1))
        (work / f"queue-{key}.sqlite3").unlink()
    big, small = figures["1000000"], figures["10000"]
    figures["ratio"] = round(big["p95_ms"] / small["p95_ms"], 2)
    result["queue"] = figures


def stats_figures(work: Path, result: dict) -> None:
    try:
        stats_figures = importlib.import_module("bench.stats_figures")  # the stats helper's module
    except ModuleNotFoundError:
        result["stats"] = None
        result["skipped"]["stats"] = "bench/stats_figures.py is not there yet"
        return
    _log(f"stats over {STATS_CASES} cases")
    found = stats_figures.measure(_sqlite(work, "stats"), STATS_CASES)
    result["stats"] = {"seconds": found["seconds"], "ratio": found["ratio"], "cases": STATS_CASES}


def main() -> None:
    if not wrk.available():
        sys.exit("wrk is missing: `make bench` installs it (apt-get install wrk)")
    started = time.perf_counter()
    redis = _redis()
    work = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    result: dict = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "quick": QUICK,
                    "cpus": os.cpu_count(), "rounds": ROUNDS, "rate_limit_store": "redis" if redis else "memory",
                    "submit": {}, "skipped": {}}
    try:
        public_and_submit(work, redis, result)
        submit_postgresql(work, redis, result)
        queue_figures(work, redis, result)
        stats_figures(work, result)
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)
    result["seconds"] = round(time.perf_counter() - started)
    # The figures first, then what they were measured under.
    order = ("public_page", "ask", "submit", "queue", "stats")
    print(json.dumps({**{key: result[key] for key in order}, **result}))


if __name__ == "__main__":
    main()
