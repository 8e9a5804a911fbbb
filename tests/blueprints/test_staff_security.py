"""Sessions, object rules and audit on the unhappy paths of the staff area."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import func, select

from portal import db
from portal.models import AuditEvent, Case, ContactDetails, Inquiry, User
from portal.models.base import utcnow
from portal.services import retention
from tests.conftest import PASSWORD, login
from tests.factories import make_case


def _case_of(app, owner_id: int) -> int:
    with app.app_context():
        sess = db.session()
        case = make_case(sess, sess.get(User, owner_id))
        db.commit()
        return case.id


def test_any_counsellor_reads_a_case_but_only_its_counsellor_changes_it(app, make_user, staff_client):
    owner = make_user("counsellor")
    case_id = _case_of(app, owner["id"])
    other, _other = staff_client("counsellor")
    assert other.get(f"/staff/cases/{case_id}").status_code == 200
    with app.app_context():
        version = db.session().get(Case, case_id).version
    response = other.post(f"/staff/cases/{case_id}", data={"gender": "female", "version": version})
    assert response.status_code == 400
    assert other.post(f"/staff/cases/{case_id}/notes", data={"note-body": "Hej", "note-noted_on": "2026-11-20"}).status_code == 400
    with app.app_context():
        case = db.session().get(Case, case_id)
        assert case.gender is None and case.notes == []


def test_views_are_audited_even_when_the_action_fails(app, ask, staff_client):
    ask()
    client, user = staff_client("counsellor")
    with app.app_context():
        inquiry_id = db.session().scalars(select(Inquiry.id)).one()
    client.post(f"/staff/inquiries/{inquiry_id}/answer", data={"body": ""})  # invalid, not even holder
    client.get("/staff/")
    client.get("/staff/cases")
    with app.app_context():
        actions = db.session().scalars(select(AuditEvent.action).where(AuditEvent.user_id == user["id"])).all()
    assert "inquiry.view" in actions and "queue.view" in actions and "cases.list" in actions


def test_logout_makes_a_copied_cookie_worthless(app, make_user):
    user = make_user("counsellor")
    client = app.test_client()
    login(app, client, user)
    copied = client.get_cookie("portal_session").value
    client.post("/staff/logout")
    thief = app.test_client()
    thief.set_cookie("portal_session", copied)
    assert thief.get("/staff/").status_code == 302


def test_login_starts_a_fresh_session(app, make_user):
    user = make_user("referrer")
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["planted"] = "by someone else"
    login(app, client, user)
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess.get("_id", "") == ""  # no hash of address and user agent


def test_session_ends_after_its_maximum_age(app, staff_client):
    client, _user = staff_client("counsellor")
    with client.session_transaction() as sess:
        sess["login_at"] = time.time() - app.config["STAFF_SESSION_HOURS"] * 3600 - 1
    assert client.get("/staff/").status_code == 302


def test_locked_and_wrong_password_read_the_same(app, make_user):
    user = make_user("referrer")
    client = app.test_client()
    first = client.post("/staff/login", data={"email": user["email"], "password": "forkert-forkert"})
    for _ in range(5):
        client.post("/staff/login", data={"email": user["email"], "password": "forkert-forkert"})
    locked = client.post("/staff/login", data={"email": user["email"], "password": PASSWORD})
    unknown = client.post("/staff/login", data={"email": "nobody@test.invalid", "password": PASSWORD})

    def summary(response):
        html = response.get_data(as_text=True)
        return html[html.index("error-summary"):html.index("</ul>", html.index("error-summary"))]

    assert summary(first) == summary(locked) == summary(unknown)


def test_odd_queue_cursors_and_versions_are_not_errors(app, staff_client):
    client, user = staff_client("counsellor")
    for cursor in ("2024-01-01T00:00:00_5", "2024-01-01T00:00:00+00:00_99999999999999999999999", "x_y", "_"):
        assert client.get(f"/staff/?after={cursor}").status_code == 200, cursor
    case_id = _case_of(app, user["id"])
    assert client.post(f"/staff/cases/{case_id}", data={"version": "abc"}).status_code == 400


def test_purge_erases_contact_details_after_their_time(app, client):
    client.post("/da/contact-me", data={"phone": "12345678", "pregnancy_status": "parent", "consent": "y",
                                         "conversation_language": "da"})
    client.post("/da/contact-me", data={"email": "a@example.dk", "pregnancy_status": "parent", "consent": "y",
                                         "conversation_language": "da"})
    with app.app_context():
        sess = db.session()
        first = sess.scalars(select(ContactDetails).order_by(ContactDetails.id)).first()
        first.erase_after = utcnow() - timedelta(minutes=1)
        db.commit()
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0 and "     1  inquiries' contact details erased" in result.output
    with app.app_context():
        sess = db.session()
        assert sess.scalar(select(func.count()).select_from(ContactDetails)) == 1
        assert sess.scalar(select(func.count()).select_from(Inquiry)) == 2  # the counts stay
        assert not any(retention.purge(sess).values())
        assert "retention.purge" in sess.scalars(select(AuditEvent.action)).all()


def _setup_via_link(app, client, link_token: str, password: str = "grøn-cykel-under-broen") -> None:
    client.get(f"/staff/setup?t={link_token}")
    response = client.post("/staff/setup", data={"password": password, "confirm": password})
    assert response.status_code == 303


def test_two_factor_is_set_up_only_through_the_setup_link(app):
    import pyotp

    from portal.services import accounts
    with app.app_context():
        user, token = accounts.create_user(db.session(), email="ny.raadgiver@test.invalid", role="counsellor")
        db.commit()
    client = app.test_client()
    _setup_via_link(app, client, token)
    # A password alone does not log in, and does not lead to a 2FA set-up page.
    other = app.test_client()
    response = other.post("/staff/login", data={"email": "ny.raadgiver@test.invalid",
                                                "password": "grøn-cykel-under-broen"})
    assert response.status_code == 200 and "error-summary" in response.get_data(as_text=True)
    assert other.get("/staff/setup/2fa").status_code == 404
    # The link's own session goes on to the QR code.
    page = client.get("/staff/setup/2fa").get_data(as_text=True)
    assert "<svg" in page and "viewBox" in page
    with app.app_context():
        secret = db.session().scalar(select(User.totp_secret).where(User.email == "ny.raadgiver@test.invalid"))
    response = client.post("/staff/setup/2fa", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get("/staff/setup", follow_redirects=True).status_code == 404  # the link is spent
    with app.app_context():
        user = db.session().scalar(select(User).where(User.email == "ny.raadgiver@test.invalid"))
        assert user.totp_confirmed and user.setup_token_digest is None


def test_admin_cannot_create_or_reset_accounts_that_read_cases(app, staff_client, make_user):
    admin, _admin = staff_client("admin")
    for role in ("lead", "counsellor"):
        response = admin.post("/staff/users", data={"email": f"{role}.x@example.dk", "name": "X", "role": role})
        assert 'class="setup-link"' not in response.get_data(as_text=True)
    counsellor = make_user("counsellor")
    assert admin.post(f"/staff/users/{counsellor['id']}/setup-link").status_code == 403
    response = admin.post("/staff/users", data={"email": "jm.x@example.dk", "name": "JM", "role": "referrer",
                                                "hospital": "rh"})
    assert 'class="setup-link"' in response.get_data(as_text=True)
    with app.app_context():
        roles = db.session().scalars(select(User.role).where(User.email.like("%.x@%"))).all()
    assert roles == ["referrer"]


def test_reset_link_ends_sessions_and_the_old_second_factor(app, make_user, staff_client):
    user = make_user("counsellor")
    victim = app.test_client()
    login(app, victim, user)
    lead, _lead = staff_client("lead")
    page = lead.post(f"/staff/users/{user['id']}/setup-link").get_data(as_text=True)
    assert "/staff/setup?t=" in page
    assert victim.get("/staff/").status_code == 302
    with app.app_context():
        reset = db.session().get(User, user["id"])
        assert reset.totp_secret is None and not reset.totp_confirmed
