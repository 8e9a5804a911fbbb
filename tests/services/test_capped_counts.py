"""The start page counts the open inquiries exactly and the closed history
only up to COUNT_CAP (shown as "1000+"), so it never reads the whole history."""

from __future__ import annotations

from portal import db
from portal.services import triage
from tests import bulk


def test_closed_count_is_capped_and_open_counts_exact(app, staff_client):
    client, lead = staff_client("lead")
    with app.app_context():
        bulk.fill(db.session(), triage.COUNT_CAP + 60, open_rows=30, users=[lead["id"]], analyze=False)
        db.commit()
        counts = triage.status_counts(db.session())
    assert counts == {"new": 10, "claimed": 10, "in_progress": 10, "closed": triage.COUNT_CAP + 1}
    page = client.get("/staff/").get_data(as_text=True)
    assert f'<span class="count">{triage.COUNT_CAP}+</span>' in page
    assert '<span class="count">10</span>' in page
