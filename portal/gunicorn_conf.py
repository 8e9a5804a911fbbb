"""Gunicorn settings: ``gunicorn -c python:portal.gunicorn_conf wsgi:app``.

The access log format has no remote address (%(h)s), no user agent (%(a)s)
and no referrer; the query string is left out too (%(U)s is the path)."""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '5000')}"
# Rate-limit counters live in memory unless PORTAL_REDIS_URL is set; then
# one worker process, so every request sees the same counters.
workers = int(os.environ.get("WEB_CONCURRENCY", "2" if os.environ.get("PORTAL_REDIS_URL") else "1"))
threads = int(os.environ.get("PORTAL_THREADS", "8"))
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
