"""Gunicorn settings: ``gunicorn -c python:portal.gunicorn_conf wsgi:app``.

The access log format has no remote address (%(h)s), no user agent (%(a)s)
and no referrer; the query string is left out too (%(U)s is the path)."""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("PORTAL_THREADS", "4"))
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
