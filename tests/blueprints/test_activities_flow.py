"""Spor 3 through the pages: a lead creates an association and invites an
editor; the editor drafts and submits a weekly activity; a counsellor
approves it; families find it in every language and in the feed (read back
with icalendar); the editor cancels a date, then the activity."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import icalendar

from portal.i18n import LANGUAGES
from portal.services.activity_calendar import LOCAL_TIME, today
from tests.conftest import PASSWORD, login

TITLE = "Babycafé på biblioteket"


def _location_id(response) -> int:
    return int(re.search(r"/(\d+)/?$", response.headers["Location"]).group(1))


def _editor_from_invitation(app, lead, association_id: int) -> tuple:
    response = lead.post(f"/staff/associations/{association_id}/editors",
                         data={"email": "ella@forening.dk", "name": "Ella Frivillig"})
    assert response.status_code == 200
    setup_url = re.search(r'class="setup-link"[^>]*>([^<]+)<', response.get_data(as_text=True)).group(1)
    editor = app.test_client()
    editor.get(setup_url.replace("http://localhost", ""))
    saved = editor.post("/staff/setup", data={"password": PASSWORD, "confirm": PASSWORD})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/staff/login"), saved.status_code
    user = {"email": "ella@forening.dk", "secret": None}
    response = login(app, editor, user)
    assert response.headers["Location"] == "/association/"
    return editor, user


def _activity_form(first, **overrides) -> dict:
    data = {"title": TITLE, "description": "Kom og mød andre forældre.\n\nLæs mere på https://example.dk/babycafe",
            "text_language": "da", "starts_on": first.isoformat(), "start_time": "10:00", "end_time": "12:00",
            "weekly": "y", "repeat_until": (first + timedelta(days=21)).isoformat(), "address": "Bibliotekvej 1",
            "municipality": "kobenhavn", "audiences": ["children_0_1", "pregnant"], "languages": ["da", "ar"],
            "join_method": "just_come", "accessibility": "Der er elevator og plads til barnevogne."}
    data.update(overrides)
    return data


def _feed_events(client, lang="da", path="/activities.ics"):
    response = client.get(f"/{lang}{path}")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    return [event for event in calendar.walk("VEVENT")]


def test_association_activity_from_draft_to_families_and_cancelled(app, staff_client):
    lead, _lead_user = staff_client("lead")
    created = lead.post("/staff/associations", data={
        "name": "Mødrehjælpen København", "municipalities": ["kobenhavn", "frederiksberg"],
        "contact_email": "kbh@forening.dk", "contact_phone": "33 12 34 56", "description": "Vi er frivillige."})
    assert created.status_code == 303, created.get_data(as_text=True)[:500]
    association_id = _location_id(created)
    editor, _editor_user = _editor_from_invitation(app, lead, association_id)

    own = editor.get("/association/")
    assert own.status_code == 302 and own.headers["Location"] == f"/association/{association_id}/"
    first = today() + timedelta(days=2)
    drafted = editor.post(f"/association/{association_id}/activities/new", data=_activity_form(first))
    assert drafted.status_code == 303, drafted.get_data(as_text=True)[:1000]
    activity_id = _location_id(drafted)
    public = app.test_client()
    assert public.get(f"/da/activities/{activity_id}").status_code == 404  # a draft is not public
    assert editor.post(f"/association/activities/{activity_id}/submit").status_code == 303

    counsellor, _user = staff_client("counsellor")
    queue = counsellor.get("/staff/activities/review").get_data(as_text=True)
    assert TITLE in queue
    seen = re.search(r'name="seen" value="([^"]+)"', queue).group(1)
    assert counsellor.post(f"/staff/activities/{activity_id}/approve", data={"seen": seen}).status_code == 303
    assert TITLE not in counsellor.get("/staff/activities/review").get_data(as_text=True)

    for lang in LANGUAGES:
        listing = public.get(f"/{lang}/activities").get_data(as_text=True)
        assert f'lang="da" dir="auto">{TITLE}</a>' in listing, lang
        page = public.get(f"/{lang}/activities/{activity_id}")
        assert page.status_code == 200 and f'<html lang="{lang}"' in page.get_data(as_text=True)
        assert '<a href="https://example.dk/babycafe" rel="nofollow noopener noreferrer">' in page.get_data(
            as_text=True)
    [event] = _feed_events(public)
    assert str(event["summary"]) == TITLE
    assert event["rrule"]["FREQ"] == ["WEEKLY"]
    assert event.decoded("dtstart") == datetime.combine(first, datetime.min.time().replace(hour=10),
                                                        tzinfo=LOCAL_TIME)

    # One date cancelled: an EXDATE in the feed and on the page.
    second = first + timedelta(days=7)
    assert editor.post(f"/association/activities/{activity_id}/dates",
                       data={"on": second.isoformat(), "cancelled": "y"}).status_code == 303
    [event] = _feed_events(public, path=f"/associations/{association_id}/activities.ics")
    assert [d.dt.date() for d in event["exdate"].dts] == [second]
    single = public.get(f"/da/activities/{activity_id}.ics")
    assert single.headers["Content-Disposition"].startswith("attachment")

    # The whole activity cancelled: still listed, marked, until its date has passed.
    assert editor.post(f"/association/activities/{activity_id}/cancel").status_code == 303
    listing = public.get("/da/activities").get_data(as_text=True)
    assert TITLE in listing and 'class="activity-cancelled"' in listing
    assert "alert-warning" in public.get(f"/en/activities/{activity_id}").get_data(as_text=True)
    [event] = _feed_events(public)
    assert str(event["status"]) == "CANCELLED"


def test_a_published_activity_changed_stays_published_and_goes_back_for_approval(app, staff_client):
    from portal import db
    from portal.models import Association
    from tests.activity_factories import make_activity, make_association
    lead, _user = staff_client("lead")
    with app.app_context():
        association = make_association(db.session())
        activity = make_activity(db.session(), association)
        db.commit()
        activity_id, association_id = activity.id, association.id
    form = _activity_form(today() + timedelta(days=3), title="Ny titel", weekly="")
    response = lead.post(f"/association/activities/{activity_id}", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    assert "Ny titel" in app.test_client().get("/da/activities").get_data(as_text=True)
    assert "Ny titel" in lead.get("/staff/activities/review").get_data(as_text=True)
    assert lead.post(f"/staff/activities/{activity_id}/send-back", data={"reason": "Tjek datoen."}).status_code == 303
    assert "Tjek datoen." in lead.get(f"/association/activities/{activity_id}").get_data(as_text=True)
    assert "Ny titel" not in app.test_client().get("/da/activities").get_data(as_text=True)
    with app.app_context():
        assert db.session().get(Association, association_id) is not None


def test_use_counts_and_a_cases_referral_reach_the_spor3_figures(app, staff_client):
    from portal import db
    from portal.models import Case, User
    from portal.services import activity_stats
    from tests.activity_factories import make_activity, make_association, weekly
    from tests.factories import make_case
    lead, _lead = staff_client("lead")
    counsellor, user = staff_client("counsellor")
    first = today() - timedelta(days=7)
    with app.app_context():
        sess = db.session()
        group = make_activity(sess, make_association(sess), **weekly(first=first, weeks=3))
        case = make_case(sess, sess.get(User, user["id"]))
        db.commit()
        group_id, case_id = group.id, case.id
    form = lead.get(f"/association/activities/{group_id}/usage").get_data(as_text=True)
    assert f'value="{first.isoformat()}"' in form and f'value="{(first + timedelta(days=14)).isoformat()}"' not in form
    saved = lead.post(f"/association/activities/{group_id}/usage", data={
        "on_date": first.isoformat(), "families": "5", "adults": "6", "children": "7", "via_partnership": "2"})
    assert saved.status_code == 303
    refused = lead.post(f"/association/activities/{group_id}/usage", data={
        "on_date": first.isoformat(), "families": "1", "adults": "1", "children": "1", "via_partnership": "4"})
    assert refused.status_code == 400 and "error-summary" in refused.get_data(as_text=True)

    page = counsellor.get(f"/staff/cases/{case_id}").get_data(as_text=True)
    assert 'id="activity-referral"' in page and f'<option value="{group_id}">' in page
    assert counsellor.post(f"/staff/cases/{case_id}/activity", data={"activity": str(group_id)}).status_code == 303
    assert f'<option selected value="{group_id}">' in counsellor.get(f"/staff/cases/{case_id}").get_data(as_text=True)
    with app.app_context():
        sess = db.session()
        assert "local_association" in sess.get(Case, case_id).onward_referrals
        figures = activity_stats.figures(sess, date_from=first - timedelta(days=1), date_to=today())
    assert figures == {"n": 1, "counts": {"families": 5, "adults": 6, "children": 7, "via_partnership": 2,
                                          "referred_cases": 1}}


def test_the_listings_filters_work_from_the_address_and_nonsense_is_ignored(app):
    from portal import db
    from tests.activity_factories import make_activity, make_association
    with app.app_context():
        sess = db.session()
        association = make_association(sess)
        make_activity(sess, association, title="Gratis tur", municipality="gentofte", audiences=["pregnant"])
        make_activity(sess, association, title="Betalt tur", price_dkk=40, municipality="ballerup",
                      audiences=["fathers"], starts_on=today() + timedelta(days=30))
        db.commit()
    client = app.test_client()

    def titles(query: str) -> set[str]:
        response = client.get(f"/uk/activities?{query}")
        assert response.status_code == 200
        return {t for t in ("Gratis tur", "Betalt tur") if t in response.get_data(as_text=True)}

    assert titles("") == {"Gratis tur", "Betalt tur"}
    assert titles("free=y") == {"Gratis tur"}
    assert titles("municipality=ballerup") == {"Betalt tur"}
    assert titles("audience=pregnant") == {"Gratis tur"}
    assert titles(f"date_from={(today() + timedelta(days=20)).isoformat()}") == {"Betalt tur"}
    assert titles(f"date_to={(today() + timedelta(days=10)).isoformat()}") == {"Gratis tur"}
    # Not a municipality, not a date: the whole listing, never an error.
    assert titles("municipality=<script>&date_from=igår") == {"Gratis tur", "Betalt tur"}
