"""After the public flows, no column and no log record holds a receipt
code, the client's address or its user agent."""

from __future__ import annotations

import logging

from sqlalchemy import inspect, text

from portal import db
from portal.extensions import limiter
from portal.security import normalise_receipt_code
from tests.conftest import receipt_from

ADDRESS = "203.0.113.77"
USER_AGENT = "PrivacyProbe/9.9 (Invented; Test)"


def test_nothing_identifying_is_stored_or_logged(app, caplog):
    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    client.environ_base.update({"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": USER_AGENT})

    response = client.post("/da/ask", data={"question": "Hvordan søger jeg om boligstøtte?", "topics": ["housing"]})
    code = receipt_from(response.get_data(as_text=True))
    client.post("/da/answer", data={"code": code})
    client.post("/da/answer/reply", data={"code": code.lower(), "message": "Tak for svaret!"})
    client.post("/da/answer", data={"code": "WRONG CODE 2345"})
    client.post("/da/contact-me", data={"phone": "12345678", "pregnancy_status": "parent",
                                         "consent": "y", "conversation_language": "da"})

    needles = {normalise_receipt_code(code), code, code.lower(), ADDRESS, USER_AGENT, "PrivacyProbe"}
    with app.app_context():
        session = db.session()
        dumped = []
        for table in inspect(session.get_bind()).get_table_names():
            for row in session.execute(text(f'SELECT * FROM "{table}"')):
                dumped.append(" ".join(str(value) for value in row))
    everything = "\n".join(dumped)
    # The dump does see the rows; their content only as ciphertext (encryption at rest).
    assert "Tak for svaret!" not in everything and everything.count("v1:") >= 3
    for needle in needles:
        assert needle not in everything, needle

    logged = "\n".join(r.getMessage() for r in caplog.records)
    for needle in needles:
        assert needle not in logged, needle

    # Not even the rate limiter's counters are keyed by the raw address.
    storage = limiter.storage
    keys = " ".join(map(str, getattr(storage, "storage", {}).keys()))
    assert keys and ADDRESS not in keys


def test_no_cookie_beyond_the_csrf_session(make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    cookies = client.get("/da/ask").headers.getlist("Set-Cookie")
    assert len(cookies) == 1 and cookies[0].startswith("portal_session=")
    assert client.get("/da/").headers.getlist("Set-Cookie") == []
