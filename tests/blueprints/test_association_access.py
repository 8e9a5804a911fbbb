"""Who may open and do what under /association/: one table over every
association URL and action, for an editor of the association, an editor of
another association, every other role and anonymous visitors."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image

from portal import db
from portal.models import Activity, ActivityUsage, Association, User
from portal.services import activity_photos, associations
from portal.services.activity_calendar import today
from tests.activity_factories import make_activity, make_association, weekly
from tests.conftest import login
from tests.factories import make_counsellor

OWN, OTHER = "own_editor", "other_editor"
ROLES = [OWN, OTHER, "lead", "counsellor", "referrer", "admin"]
WRITERS = {OWN, "lead"}
ERROR_CLASS = "alert-error"


def _form(objects: dict) -> dict:
    start = today() + timedelta(days=5)
    return {"title": "Sommerudflugt", "text_language": "da", "starts_on": start.isoformat(), "start_time": "10:00",
            "address": "Strandvejen 1", "municipality": "gentofte", "join_method": "just_come"}


# (method, path template, roles allowed, form data; a callable makes it from the objects)
TABLE = [
    ("GET", "/association/", {OWN, OTHER, "lead"}, None),
    ("GET", "/association/{association}/", WRITERS, None),
    ("GET", "/association/{association}/activities/new", WRITERS, None),
    ("POST", "/association/{association}/activities/new", WRITERS, _form),
    ("GET", "/association/activities/{activity}", WRITERS, None),
    ("POST", "/association/activities/{activity}", WRITERS, _form),
    ("POST", "/association/activities/{draft}/submit", WRITERS, {}),
    ("POST", "/association/activities/{activity}/cancel", WRITERS, {}),
    ("POST", "/association/activities/{activity}/dates", WRITERS, lambda o: {"on": o["later_date"], "cancelled": "y"}),
    # The photo also for counsellors: it is on their approval list.
    ("GET", "/association/activities/{activity}/photo", WRITERS | {"counsellor"}, None),
    ("GET", "/association/activities/{activity}/usage", WRITERS, None),
    ("POST", "/association/activities/{activity}/usage", WRITERS,
     lambda o: {"on_date": o["past_date"], "families": "3", "adults": "4", "children": "5", "via_partnership": "1"}),
]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def world(app, make_user):
    """Two associations, an editor of each, and the first one's activities:
    a weekly published group that began two weeks ago (with a photo), and a draft."""
    with app.app_context():
        sess = db.session()
        lead = make_counsellor(sess, role="lead")
        ours = make_association(sess, name="Vores forening", lead=lead)
        theirs = make_association(sess, name="Deres forening", lead=lead)
        first = today() - timedelta(days=14)
        group = make_activity(sess, ours, **weekly(first=first, weeks=5))
        activity_photos.set_photo(sess, lead, group, _png())
        draft = make_activity(sess, ours, status="draft")
        db.commit()
        objects = {"association": ours.id, "activity": group.id, "draft": draft.id,
                   "past_date": first.isoformat(), "later_date": (first + timedelta(days=21)).isoformat()}
        codes = {OWN: ours.code, OTHER: theirs.code}
    return objects, codes


def _fill(template, objects):
    if callable(template):
        return template(objects)
    if isinstance(template, str):
        return template.format(**objects)
    return dict(template) if template is not None else None


def test_table_covers_every_association_url(app):
    covered = {re.sub(r"\{(activity|draft)\}", "<int:activity_id>", path).replace("{association}", "<int:association_id>")
               for _m, path, _r, _d in TABLE}
    rules = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/association")}
    assert rules - covered == set()


@pytest.mark.parametrize("role", ROLES + [None])
@pytest.mark.parametrize("method, path, allowed, data", TABLE, ids=[f"{m} {p}" for m, p, _a, _d in TABLE])
def test_access(app, make_user, world, role, method, path, allowed, data):
    objects, codes = world
    client = app.test_client()
    if role is not None:
        if role in codes:
            user = make_user("association_editor", association_code=codes[role])
        else:
            user = make_user(role)
        login(app, client, user)
    url = _fill(path, objects)
    response = client.get(url) if method == "GET" else client.post(url, data=_fill(data, objects))
    location = response.headers.get("Location", "")
    if role is None:
        assert response.status_code == 302 and location.startswith("/staff/login"), response.status_code
    elif role in allowed:
        assert response.status_code in (200, 302, 303), (response.status_code, response.get_data(as_text=True)[:500])
        page = client.get(location) if response.status_code in (302, 303) else response
        assert page.status_code == 200, (location, page.status_code)
        assert ERROR_CLASS.encode() not in page.get_data(), page.get_data(as_text=True)[:3000]
    else:
        assert response.status_code == 403, response.status_code
    assert response.headers["Cache-Control"] == "no-store"


def test_an_editor_of_another_association_changes_nothing(app, make_user, world):
    objects, codes = world
    client = app.test_client()
    login(app, client, make_user("association_editor", association_code=codes[OTHER]))
    for method, path, _allowed, data in TABLE[1:]:
        url = _fill(path, objects)
        response = client.get(url) if method == "GET" else client.post(url, data=_fill(data, objects))
        assert response.status_code == 403, url
    with app.app_context():
        sess = db.session()
        group, draft = sess.get(Activity, objects["activity"]), sess.get(Activity, objects["draft"])
        assert (group.status, group.title, group.cancelled_dates) == ("published", "Netværksgruppe for nybagte forældre",
                                                                      [])
        assert draft.status == "draft" and sess.query(ActivityUsage).count() == 0
        ours = sess.get(Association, objects["association"])
        assert len(sess.query(Activity).filter_by(association_id=ours.id).all()) == 2
        own_editor = sess.query(User).filter_by(role="association_editor").one()
        assert [a.id for a in associations.editable_by(sess, own_editor)] != [ours.id]
