"""What never reaches a log: survey codes (werkzeug's request lines with a
real server and request, the app's own log, gunicorn's access and error
logs) and the client's address (gunicorn's warning on a malformed request)."""

from __future__ import annotations

import io
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from werkzeug.serving import make_server

from portal.logging import redact

TOKEN = "ABCD2345EFGH6789"


def test_redact_keeps_the_rest_of_the_path():
    assert redact(f'"GET /da/survey/{TOKEN} HTTP/1.1" 200') == '"GET /da/survey/[code] HTTP/1.1" 200'
    assert redact(f"/staff/survey/{TOKEN}?lang=en") == "/staff/survey/[code]?lang=en"
    assert redact("/da/survey/thank-you") == "/da/survey/thank-you"
    assert redact("/staff/survey/thank-you?x=1") == "/staff/survey/thank-you?x=1"
    assert redact("/da/survey") == "/da/survey"


def test_werkzeug_request_lines_carry_no_survey_code(app, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for path in (f"/da/survey/{TOKEN}", f"/staff/survey/{TOKEN}?lang=en"):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}{path}", timeout=10).close()
            except urllib.error.HTTPError as err:  # 404: no such survey
                err.close()
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert any("/da/survey/[code]" in line for line in lines), lines
    assert any("/staff/survey/[code]?lang=en" in line for line in lines), lines
    assert TOKEN not in caplog.text and "127.0.0.1" not in "".join(lines)


def test_the_apps_own_log_carries_no_survey_code(app, caplog):
    caplog.set_level(logging.ERROR, logger=app.logger.name)
    app.logger.error(f"Exception on /ar/survey/{TOKEN} [POST]")  # as Flask writes it
    app.logger.error("Exception on %s [%s]", f"/staff/survey/{TOKEN}", "POST")
    assert TOKEN not in caplog.text and caplog.text.count("/survey/[code]") == 2


def _gunicorn_logger():
    from gunicorn.config import Config

    from portal import gunicorn_conf
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", gunicorn_conf.access_log_format)
    logger = gunicorn_conf.AccessLogger(cfg)
    out = io.StringIO()
    for log in (logger.access_log, logger.error_log):
        log.handlers = [logging.StreamHandler(out)]
    return logger, out


def test_gunicorn_access_and_error_logs_carry_no_survey_code():
    from portal import gunicorn_conf
    assert gunicorn_conf.logger_class is gunicorn_conf.AccessLogger
    logger, out = _gunicorn_logger()
    environ = {"REQUEST_METHOD": "POST", "RAW_URI": f"/uk/survey/{TOKEN}", "PATH_INFO": f"/uk/survey/{TOKEN}",
               "SERVER_PROTOCOL": "HTTP/1.1", "QUERY_STRING": "", "REMOTE_ADDR": "198.51.100.7"}
    response = SimpleNamespace(status="303 SEE OTHER", sent=0, headers=[])
    request = SimpleNamespace(headers=[])
    logger.access(response, request, environ, timedelta(milliseconds=12))
    logger.error("Error handling request %s", f"/uk/survey/{TOKEN}")
    text = out.getvalue()
    assert '"POST /uk/survey/[code]" 303' in text
    assert "Error handling request /uk/survey/[code]" in text
    assert TOKEN not in text and "198.51.100.7" not in text


def test_a_malformed_request_line_leaves_no_address_in_gunicorns_log(tmp_path):
    """A real gunicorn with our settings, sent garbage: its warning names no client."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PORT": str(port), "PORTAL_ENV": "testing", "PORTAL_DATABASE_URL": "sqlite://"}
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "python:portal.gunicorn_conf", "wsgi:app"],
                                  env=env, stdout=out, stderr=subprocess.STDOUT, cwd=Path(__file__).parent.parent)
        try:
            for _ in range(200):  # until it listens (not a timing assertion: it waits for readiness)
                try:
                    connection = socket.create_connection(("127.0.0.1", port), timeout=1)
                    break
                except OSError:
                    time.sleep(0.05)
            with connection:
                connection.settimeout(120)  # the worker may still be starting
                connection.sendall(b"\x16\x03\x01 GARBAGE\r\n\r\n")
                connection.recv(1024)
        finally:
            server.terminate()
            server.wait(timeout=20)
    text = log.read_text()
    assert "Invalid request" in text, text
    assert "127.0.0.1:" + str(port) in text or "Listening" in text  # the server did run
    assert "ip=" not in text and "from 127.0.0.1" not in text, text
