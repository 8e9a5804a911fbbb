"""On SQLite a request that writes holds the database's one write lock
from its BEGIN IMMEDIATE to its commit: every other writer waits that long.
What a POST only reads to show (a form's list of hospitals) is read before,
in a read transaction of its own, so the lock covers the writing only."""

from __future__ import annotations

import pytest

from tests.conftest import PG_URL, receipt_from
from tests.sql_capture import statements_sent

HOSPITAL_LIST = "ORDER BY hospitals.sort_order"


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's write lock")
def test_the_hospital_list_of_a_posted_question_is_read_before_the_write_lock(app, client):
    with statements_sent(app.extensions["db_engine"]) as statements:
        response = client.post("/da/ask", data={"question": "Hvad har jeg ret til, når jeg går på barsel?"})
    assert response.status_code == 200
    receipt_from(response.get_data(as_text=True))
    lock = statements.index("BEGIN IMMEDIATE")
    assert any(HOSPITAL_LIST in s for s in statements[:lock])
    assert not any(HOSPITAL_LIST in s for s in statements[lock:])
