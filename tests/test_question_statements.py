"""An anonymous question, the commonest write of a rush (the offer mentioned
on TV), sends the fewest statements it can while it holds SQLite's write
lock: the label's check and two INSERTs, no savepoint, and no look-up of
the form's hospitals, which are kept with the form's page
(page_cache.cached_value). Counted with ``before_cursor_execute``; on
both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal import db
from portal.models import Hospital, Inquiry
from tests.conftest import receipt_from
from tests.sql_capture import statements_sent


def _statements_of(app, send) -> list[str]:
    with statements_sent(app.extensions["db_engine"], begins=False) as sent:
        send()
    return [" ".join(statement.split()) for statement in sent]


@pytest.mark.parametrize("with_hospital", [False, True])
def test_a_question_is_a_label_check_and_two_inserts(app, client, with_hospital):
    with app.app_context():
        hospital = db.session().scalar(select(Hospital.code).order_by(Hospital.id).limit(1))
        db.session().rollback()
    assert client.get("/da/ask").status_code == 200  # the form, as a family gets it first
    form = {"question": "Hvordan søger jeg om hjælp til barnevogn?", "topics": "economy",
            "hospital": hospital if with_hospital else ""}
    pages = []
    sent = _statements_of(app, lambda: pages.append(client.post("/da/ask", data=form)))
    assert receipt_from(pages[0].get_data(as_text=True))

    kinds = [statement.split(" (")[0].split(" VALUES")[0] for statement in sent]
    expected = ["SELECT inquiries.id FROM inquiries WHERE inquiries.label = ?", "INSERT INTO inquiries",
                "INSERT INTO messages"]
    if with_hospital:  # the hospital's row, for its id
        assert "FROM hospitals" in sent[0]
        sent, kinds = sent[1:], kinds[1:]
    assert len(sent) == 3, sent
    assert kinds[0].replace("%(label)s", "?").startswith(expected[0])
    assert kinds[1:] == expected[1:]
    assert "ON CONFLICT (label) DO NOTHING" in sent[1]
    assert not any("hospitals" in statement or "SAVEPOINT" in statement for statement in sent)
    with app.app_context():
        stored = db.session().scalar(select(Inquiry))
        assert stored.topics == ["economy"] and stored.messages[0].body == form["question"]
        assert (stored.hospital.code if stored.hospital else "") == form["hospital"]
        assert stored.status == "new" and stored.version == 1 and stored.priority is not None
