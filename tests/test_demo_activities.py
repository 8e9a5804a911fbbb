"""`make run`'s demo data: the listing and the feed are never empty on a fresh clone."""

from __future__ import annotations

import icalendar


def test_demo_data_fills_the_listing_and_the_feed(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path}/demo.sqlite3", ENV="development")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0 and "Demo activities added" in result.output, result.output
    client = app.test_client()
    listing = client.get("/da/activities").get_data(as_text=True)
    assert listing.count('class="activity-card') == 4 and 'class="activity-cancelled"' in listing
    events = icalendar.Calendar.from_ical(client.get("/da/activities.ics").data).walk("VEVENT")
    assert len(events) == 4
    weekly = [e for e in events if "rrule" in e]
    assert len(weekly) == 1 and "exdate" in weekly[0]
    assert [str(e["status"]) for e in events].count("CANCELLED") == 1
