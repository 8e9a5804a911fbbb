"""Logging that never carries a client address or a survey code.

Werkzeug's development server starts each request line with the client
address; a filter cuts it off. Gunicorn's access log format is set in
portal/gunicorn_conf.py and leaves the address out too.

A survey's address holds its code (/da/survey/<code>, /staff/survey/<code>):
every request line, in werkzeug's log, the app's own log and gunicorn's
access log, shows ``/survey/[code]`` instead."""

from __future__ import annotations

import logging
import re

from flask import Flask

_ADDRESS_PREFIX = re.compile(r"^\S+ - - ")
# A path segment after /survey/, except the thank-you page's.
_SURVEY_CODE = re.compile(r"(/survey/)(?!thank-you(?=[/?#\s\"']|$))[^/?#\s\"']+")
SURVEY_CODE_REDACTED = r"\1[code]"


def redact(text: str) -> str:
    """``text`` with any survey code in a path replaced by ``[code]``."""
    return _SURVEY_CODE.sub(SURVEY_CODE_REDACTED, text)


def _redacted(value: object) -> object:
    return redact(value) if isinstance(value, str) else value


class _DropAddress(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _ADDRESS_PREFIX.sub("", record.msg)
        return True


# Gunicorn's "Invalid request from ip=203.0.113.9: ..." (a malformed request line).
_GUNICORN_ADDRESS = re.compile(r" from ip=\S*?(?=: |$)")


class DropGunicornAddress(logging.Filter):
    """The client address out of gunicorn's own warnings."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _GUNICORN_ADDRESS.sub("", record.msg)
        return True


class RedactSurveyCodes(logging.Filter):
    """Survey codes out of a record's message and its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _redacted(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        return True


def init_app(app: Flask) -> None:
    werkzeug = logging.getLogger("werkzeug")
    for logger in (werkzeug, app.logger):
        if not any(isinstance(f, RedactSurveyCodes) for f in logger.filters):
            logger.addFilter(RedactSurveyCodes())
    if not any(isinstance(f, _DropAddress) for f in werkzeug.filters):
        werkzeug.addFilter(_DropAddress())
