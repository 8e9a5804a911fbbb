"""Logging that never carries a client address or a survey code.

Werkzeug's development server starts each request line with the client
address; a filter cuts it off. Gunicorn's access log format is set in
portal/gunicorn_conf.py and leaves the address out too.

A survey's address holds its code (/da/survey/<code>, /staff/survey/<code>):
every request line, in werkzeug's log, the app's own log and gunicorn's
access log, shows ``/survey/[code]`` instead.

The request log (logger ``portal.requests``) writes one JSON line per
request: a random request id (also sent back as ``X-Request-Id``), the
method, the route's pattern (``/staff/cases/<int:case_id>``, never the
address asked for: no id, no code, no query), the status and the time in
milliseconds. Nothing the client sent is copied into it."""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time

from flask import Flask, Response, g, request, request_started

_ADDRESS_PREFIX = re.compile(r"^\S+ - - ")
# A path segment after /survey/, except the thank-you page's.
_SURVEY_CODE = re.compile(r"(/survey/)(?!thank-you(?=[/?#\s\"']|$))[^/?#\s\"']+")
SURVEY_CODE_REDACTED = r"\1[code]"


# A path segment of digits only: an object's id (/staff/cases/17).
_ID_SEGMENT = re.compile(r"(?<=/)\d+(?=[/?#\s\"']|$)")


def redact(text: str) -> str:
    """``text`` with any survey code in a path replaced by ``[code]``."""
    return _SURVEY_CODE.sub(SURVEY_CODE_REDACTED, text)


def redact_path(text: str) -> str:
    """A path with survey codes as ``[code]`` and object ids as ``[id]``."""
    return _ID_SEGMENT.sub("[id]", redact(text))


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


REQUEST_LOGGER = "portal.requests"
# Any other method is logged as OTHER: the method is the one word of the
# request line the log would otherwise copy as sent.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class _Stderr(logging.StreamHandler):
    """A handler on whatever sys.stderr is when a line is written (gunicorn's
    workers and test runners replace it)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass

    def emit(self, record: logging.LogRecord) -> None:
        """The line as it is (the format is "%(message)s"), one write and a flush."""
        try:
            self.write(record.getMessage())
        except Exception:
            self.handleError(record)

    def write(self, line: str) -> None:
        stream = sys.stderr
        stream.write(line + "\n")
        stream.flush()


def _request_logger(*, to_stderr: bool) -> None:
    logger = logging.getLogger(REQUEST_LOGGER)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # its own line on stderr, not again through the root logger
    if to_stderr and not any(isinstance(h, _Stderr) for h in logger.handlers):
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)


def _begin() -> None:
    g.request_id = secrets.token_hex(8)  # random: never derived from what the client sent
    g.request_started = time.perf_counter()


def _start_request(_sender: Flask, **_extra: object) -> None:
    """When the request reaches the app, before any URL processing (which may abort)."""
    _begin()


def request_record(response: Response) -> dict[str, object]:
    """What the request log says about this request: nothing it was sent."""
    started = g.get("request_started")
    return {
        "request_id": g.get("request_id"),
        "method": request.method if request.method in _METHODS else "OTHER",
        "route": request.url_rule.rule if request.url_rule is not None else None,
        "status": response.status_code,
        "ms": round((time.perf_counter() - started) * 1000, 1) if started is not None else None,
    }


def request_line(record: dict[str, object]) -> str:
    """``record`` as the log's compact JSON line (what json.dumps writes;
    the route's quoting is kept per pattern: this runs on every request)."""
    route = record["route"]
    quoted = _QUOTED.get(route)
    if quoted is None:
        quoted = _QUOTED[route] = json.dumps(route)
    ms = record["ms"]
    return (f'{{"request_id":{json.dumps(record["request_id"])},"method":"{record["method"]}",'
            f'"route":{quoted},"status":{record["status"]},"ms":{"null" if ms is None else ms!r}}}')


# A route pattern (or None) -> its JSON string; as many as the app has routes.
_QUOTED: dict[object, str] = {}
LOG = logging.getLogger(REQUEST_LOGGER)


def _log_request(response: Response) -> Response:
    """after_request, registered first so it runs last: the final status."""
    if g.get("request_id") is None:  # a request the signal missed still gets an id
        _begin()
    response.headers["X-Request-Id"] = g.request_id
    write_line(request_line(request_record(response)))
    return response


def write_line(line: str) -> None:
    """The request log's line, through its handlers (and any a test adds);
    the record is made directly: no caller's frame is looked up per request."""
    if not LOG.isEnabledFor(logging.INFO):
        return
    handlers = LOG.handlers
    if len(handlers) == 1 and type(handlers[0]) is _Stderr and handlers[0].level <= logging.INFO \
            and not LOG.filters and not handlers[0].filters:
        # Only our own handler (production): no record needs making at all.
        with handlers[0].lock:  # type: ignore[union-attr]
            handlers[0].write(line)
        return
    LOG.handle(LOG.makeRecord(REQUEST_LOGGER, logging.INFO, __file__, 0, line, (), None))


def init_app(app: Flask) -> None:
    # Tests read the lines through a handler of their own.
    _request_logger(to_stderr=not app.testing)
    request_started.connect(_start_request, app)
    app.after_request(_log_request)
    werkzeug = logging.getLogger("werkzeug")
    for logger in (werkzeug, app.logger):
        if not any(isinstance(f, RedactSurveyCodes) for f in logger.filters):
            logger.addFilter(RedactSurveyCodes())
    if not any(isinstance(f, _DropAddress) for f in werkzeug.filters):
        werkzeug.addFilter(_DropAddress())
