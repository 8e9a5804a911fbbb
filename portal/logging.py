"""Logging that never carries a client address.

Werkzeug's development server starts each request line with the client
address; a filter cuts it off. Gunicorn's access log format is set in
portal/gunicorn_conf.py and leaves the address out too."""

from __future__ import annotations

import logging
import re

from flask import Flask

_ADDRESS_PREFIX = re.compile(r"^\S+ - - ")


class _DropAddress(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _ADDRESS_PREFIX.sub("", record.msg)
        return True


def init_app(app: Flask) -> None:
    logging.getLogger("werkzeug").addFilter(_DropAddress())
