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
# Rate-limit counters live in memory unless PORTAL_REDIS_URL is set; then
# one worker process, so every request sees the same counters.
workers = int(os.environ.get("WEB_CONCURRENCY", "2" if os.environ.get("PORTAL_REDIS_URL") else "1"))
threads = int(os.environ.get("PORTAL_THREADS", "8"))
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
