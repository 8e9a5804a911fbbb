"""Gunicorn settings: ``gunicorn -c python:portal.gunicorn_conf wsgi:app``.

Gunicorn's access log is off: the app writes the one line per request
(portal/logging.py: request id, method, route pattern, status, ms), which
gunicorn cannot match, since it knows the address asked for but not the
route's pattern, and an address carries object ids (/staff/cases/17) and
survey codes. A second line per request would only add that. What never
reaches the app (a malformed request line) is in gunicorn's error log,
without the client's address (DropGunicornAddress).

An operator who turns the access log on anyway (``--access-logfile -``)
gets the format below: no remote address (%(h)s), no user agent (%(a)s),
no referrer, no query string (%(U)s is the path), the app's request id,
and in the path ``/survey/[code]`` and ``[id]`` for every number."""

import os

from gunicorn.glogging import Logger

from portal.logging import DropGunicornAddress, RedactSurveyCodes, redact, redact_path

bind = f"127.0.0.1:{os.environ.get('PORT', '5000')}"


def _positive(name: str) -> int | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    value = int(raw)
    if value < 1:
        raise ValueError(f"{name} must be at least 1, not {raw}")
    return value


def sizing(cpus: int | None, *, shared_counters: bool) -> tuple[int, int]:
    """(worker processes, threads per worker) for this many CPUs.

    With PORTAL_REDIS_URL the rate-limit counters live in Redis, shared by
    every process (and every instance): 2 x CPUs + 1 processes (at most 12),
    4 threads each. Without it the counters live in the worker's memory, and
    a second process would keep a second set: each family could make twice
    the posts and wrong codes. So exactly one process, with more threads
    instead (the work is mostly waiting on the database)."""
    cpus = max(cpus or 1, 1)
    workers = _positive("WEB_CONCURRENCY")
    threads = _positive("PORTAL_THREADS")
    if not shared_counters:
        if workers is not None and workers > 1:
            raise ValueError(f"WEB_CONCURRENCY={workers} needs PORTAL_REDIS_URL: without it the rate-limit "
                             "counters live in one process's memory, so there is one worker process")
        return 1, threads or min(max(8, 4 * cpus), 32)
    return workers or min(2 * cpus + 1, 12), threads or 4


SHARED_COUNTERS = bool(os.environ.get("PORTAL_REDIS_URL"))
workers, threads = sizing(os.cpu_count(), shared_counters=SHARED_COUNTERS)
worker_class = "gthread"
# A request that takes longer than this is stuck: its worker is restarted.
timeout = 30
# On SIGTERM (systemctl stop/restart, a deploy) requests in progress get
# this long to finish before their worker is stopped.
graceful_timeout = 30
# nginx keeps connections to gunicorn open between requests.
keepalive = 5
# Recycling a worker now and then bounds a slow leak. Not with the counters
# in memory: a new worker would start them from zero. Rarely: a new worker
# costs about 1.5 s of CPU to start (imports, create_app) and begins with
# empty page caches. At 2000 requests, under `make bench`'s load each of 5
# workers restarted every 2-3 s and the front page served 0.5x a minimal
# Flask app's requests/s; at 100,000 it serves more than that app.
max_requests = 100_000 if SHARED_COUNTERS else 0
max_requests_jitter = 10_000 if SHARED_COUNTERS else 0
accesslog = None
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms id=%({x-request-id}o)s'
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


class AccessLogger(Logger):
    """Gunicorn's logger, with survey codes taken out of every atom (the
    path %(U)s, the request line %(r)s ...) before a line is formatted, and
    out of its error log ("Error handling request /da/survey/...")."""

    def setup(self, cfg):
        super().setup(cfg)
        self.error_log.addFilter(RedactSurveyCodes())
        self.error_log.addFilter(DropGunicornAddress())

    def atoms(self, resp, req, environ, request_time):
        return {key: (redact_path(value) if key in _PATHS else redact(value)) if isinstance(value, str) else value
                for key, value in super().atoms(resp, req, environ, request_time).items()}


# The atoms that hold the address asked for.
_PATHS = {"U", "r"}


logger_class = AccessLogger
