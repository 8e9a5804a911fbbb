"""The request log (issue 14, item 4): one JSON line per request with a
random request id, the method, the route's pattern, the status and the
time, and nothing the client sent: no address, no user agent, no query, no
form value, no receipt or survey code, no object id."""

from __future__ import annotations

import json
import logging
import re

import pytest

from portal.logging import REQUEST_LOGGER
from tests.conftest import receipt_from

FIELDS = {"request_id", "method", "route", "status", "ms"}
ADDRESS = "198.51.100.23"
AGENT = "Mozilla/5.0 (Fuzz; Telefon-af-partneren)"


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def request_log():
    """The request log's lines, as written (the logger does not propagate)."""
    handler = _Lines()
    logger = logging.getLogger(REQUEST_LOGGER)
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def _only(lines: list[str]) -> dict:
    assert len(lines) == 1, lines
    record = json.loads(lines[0])
    assert set(record) == FIELDS, record
    assert re.fullmatch(r"[0-9a-f]{16}", record["request_id"])
    assert isinstance(record["ms"], (int, float)) and record["ms"] >= 0
    return record


def test_a_public_post_with_a_receipt_code_logs_its_pattern_only(client, ask, request_log):
    code = ask("Hvad har jeg ret til, når jeg går på barsel?")
    request_log.clear()
    response = client.post("/da/answer?lang=da&ref=leaflet", data={"code": code},
                           environ_base={"REMOTE_ADDR": ADDRESS}, headers={"User-Agent": AGENT})
    assert response.status_code == 200 and "barsel" in response.get_data(as_text=True)
    line = request_log[0]
    record = _only(request_log)
    assert record == {**record, "method": "POST", "route": "/<lang_code>/answer", "status": 200}
    assert record["request_id"] == response.headers["X-Request-Id"]
    compact = code.replace(" ", "")
    for secret in (code, compact, compact[:8], ADDRESS, AGENT, "Mozilla", "leaflet", "ref=", "?", "/da/", "barsel"):
        assert secret not in line, secret


def test_the_ask_line_has_no_question_and_no_code(client, request_log):
    response = client.post("/da/ask", data={"question": "Min kæreste må ikke se dette spørgsmål"})
    code = receipt_from(response.get_data(as_text=True))
    record = _only(request_log)
    assert record["route"] == "/<lang_code>/ask" and record["status"] == 200
    assert code not in request_log[0] and code.replace(" ", "") not in request_log[0]
    assert "kæreste" not in request_log[0] and "k\\u00e6reste" not in request_log[0]


def test_a_staff_url_with_an_id_logs_the_pattern_not_the_id(app, staff_client, request_log):
    from portal import db
    from portal.models import User
    from tests.factories import make_case
    client, user = staff_client("counsellor")
    with app.app_context():
        # A large id, so that it could not hide among the other numbers of the line.
        case = make_case(db.session(), db.session().get(User, user["id"]))
        db.session().flush()
        case_id = case.id
        db.commit()
    request_log.clear()
    response = client.get(f"/staff/cases/{case_id}?tab=notes", environ_base={"REMOTE_ADDR": ADDRESS})
    assert response.status_code == 200
    record = _only(request_log)
    assert record == {**record, "method": "GET", "route": "/staff/cases/<int:case_id>", "status": 200}
    assert f"/staff/cases/{case_id}" not in request_log[0]
    # Only the id, the status and the time carry digits; none is the case's id.
    assert str(case_id) not in json.dumps({"method": record["method"], "route": record["route"]})
    for secret in (ADDRESS, "tab", "notes", user["email"]):
        assert secret not in request_log[0]


def test_a_survey_address_logs_no_code(client, request_log):
    response = client.get("/da/survey/ABCD2345EFGH6789")
    record = _only(request_log)
    assert record["route"] == "/<lang_code>/survey/<token>" and record["status"] == response.status_code
    assert "ABCD" not in request_log[0]


def test_an_address_no_route_matches_logs_no_path(client, request_log):
    client.get("/zz/ingen-side-her?x=1")
    client.get("/staff/cases/99999999999999999999")
    for line in request_log:
        record = json.loads(line)
        assert record["route"] is None and record["status"] == 404
        assert "ingen" not in line and "9999" not in line


def test_every_request_gets_a_new_random_id_whatever_the_client_sends(client, request_log):
    first = client.get("/da/", headers={"X-Request-Id": "chosen-by-the-client"})
    second = client.get("/da/", headers={"X-Request-Id": "chosen-by-the-client"})
    ids = {first.headers["X-Request-Id"], second.headers["X-Request-Id"]}
    assert len(ids) == 2 and "chosen-by-the-client" not in ids
    assert "chosen" not in "".join(request_log)


def test_an_unknown_method_is_not_copied(client, request_log):
    client.open("/da/", method="RECEIPT-ABCD2345")
    record = json.loads(request_log[-1])
    assert record["method"] == "OTHER" and "ABCD" not in request_log[-1]


def test_an_error_is_logged_with_its_status(make_app, request_log):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom/<int:thing_id>")
    def boom(thing_id: int):
        raise RuntimeError("kaboom")

    errors = _Lines()
    app.logger.addHandler(errors)
    app.logger.propagate = False  # the traceback is not shown; its first line is read
    try:
        response = app.test_client().get("/boom/4242?family=1")
    finally:
        app.logger.removeHandler(errors)
        app.logger.propagate = True
    assert response.status_code == 500
    record = _only(request_log)
    assert record["route"] == "/boom/<int:thing_id>" and record["status"] == 500
    assert "4242" not in request_log[0] and record["request_id"] == response.headers["X-Request-Id"]
    # The error log names the same request by its id and pattern, not by its address.
    assert errors.lines == [f"unhandled error on /boom/<int:thing_id> (request {record['request_id']})"]


def test_a_refused_body_and_a_rate_limit_are_logged_too(make_app, request_log):
    client = make_app(RATELIMIT_POST="1 per 10 minutes").test_client()
    client.post("/da/ask", data="{}", content_type="application/json")
    client.post("/da/ask", data={"question": "Et spørgsmål om barsel"})
    client.post("/da/ask", data={"question": "Et spørgsmål om barsel"})
    statuses = [json.loads(line)["status"] for line in request_log]
    assert statuses[0] == 415 and statuses[-1] == 429, statuses
    assert all(json.loads(line)["route"] == "/<lang_code>/ask" for line in request_log)


def test_gunicorns_access_log_is_off_and_safe_if_turned_on():
    """The app's line replaces it (see portal/gunicorn_conf.py); an operator
    who turns it on gets no address, no ids and the app's request id."""
    from types import SimpleNamespace

    from portal import gunicorn_conf
    from tests.test_logs import _gunicorn_logger
    assert gunicorn_conf.accesslog is None
    logger, out = _gunicorn_logger()
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/staff/cases/4242/audit?x=1", "PATH_INFO": "/staff/cases/4242/audit",
               "SERVER_PROTOCOL": "HTTP/1.1", "QUERY_STRING": "x=1", "REMOTE_ADDR": ADDRESS}
    response = SimpleNamespace(status="200 OK", sent=10, headers=[("X-Request-Id", "0123456789abcdef")])
    from datetime import timedelta
    logger.access(response, SimpleNamespace(headers=[("USER-AGENT", AGENT)]), environ, timedelta(milliseconds=3))
    text = out.getvalue()
    assert '"GET /staff/cases/[id]/audit" 200' in text and "id=0123456789abcdef" in text
    for secret in ("4242", ADDRESS, AGENT, "x=1"):
        assert secret not in text


def test_outside_the_tests_the_line_goes_to_stderr(make_app, capsys):
    app = make_app(ENV="development", TESTING=False)
    logger = logging.getLogger(REQUEST_LOGGER)
    try:
        app.test_client().get("/healthz?probe=1")
    finally:  # the other tests stay quiet
        for handler in [h for h in logger.handlers if not isinstance(h, _Lines)]:
            logger.removeHandler(handler)
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    record = json.loads(lines[-1])
    assert record["route"] == "/healthz" and record["status"] == 200 and "probe" not in lines[-1]
