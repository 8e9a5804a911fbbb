"""Gunicorn settings: ``gunicorn -c python:portal.gunicorn_conf wsgi:app``.

The access log format has no remote address (%(h)s), no user agent (%(a)s)
and no referrer; the query string is left out too (%(U)s is the path). A
survey's path holds its code: the access logger prints ``/survey/[code]``."""

import os

from gunicorn.glogging import Logger

from portal.logging import DropGunicornAddress, RedactSurveyCodes, redact

bind = f"127.0.0.1:{os.environ.get('PORT', '5000')}"
# Rate-limit counters live in memory unless PORTAL_REDIS_URL is set; then
# one worker process, so every request sees the same counters.
workers = int(os.environ.get("WEB_CONCURRENCY", "2" if os.environ.get("PORTAL_REDIS_URL") else "1"))
threads = int(os.environ.get("PORTAL_THREADS", "8"))
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
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
        return {key: redact(value) if isinstance(value, str) else value
                for key, value in super().atoms(resp, req, environ, request_time).items()}


logger_class = AccessLogger
