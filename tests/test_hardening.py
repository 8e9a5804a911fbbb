"""What a black-box probe found (issue 14), each shown fixed: bodies that
are not forms, chunked bodies over the limit, ids past the database's
range, CR/LF in next=, repeated checkboxes, a reset that left the old
password working, an admin unlocking what it may not reset, set-up links
from the Host header, and a world-readable development database."""

from __future__ import annotations

import io
import json
import stat

import pytest
from sqlalchemy import func, select

from portal import db
from portal.blueprints.staff import safe_next
from portal.db import make_engine
from portal.models import Inquiry, User
from portal.services import accounts
from tests.conftest import PASSWORD, login

FORM = "application/x-www-form-urlencoded"
# As gunicorn hands on a chunked body: no length, a stream that ends.
CHUNKED = {"CONTENT_LENGTH": "", "wsgi.input_terminated": True}


def _inquiries(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count(Inquiry.id)))


@pytest.mark.parametrize("path", ["/da/ask", "/da/contact", "/staff/login", "/da/answer"])
@pytest.mark.parametrize("body, content_type", [
    (json.dumps({"question": {"a": [[[[[[]]]]]]}, "email": ["x"]}), "application/json"),
    (json.dumps({"question": "Et spørgsmål"}), "text/plain"),
    (b"--b\r\nContent-Disposition: form-data; name=\"question\"\r\n\r\nHej\r\n--b--\r\n", "multipart/form-data; boundary=b"),
])
def test_a_body_that_is_not_a_form_is_refused_before_anything_reads_it(app, client, path, body, content_type):
    response = client.post(path, data=body, content_type=content_type)
    assert response.status_code == 415
    assert "<html" in response.get_data(as_text=True)
    assert _inquiries(app) == 0


def test_a_staff_form_refuses_json_too(app, staff_client):
    client, _user = staff_client("counsellor")
    response = client.post("/staff/account", data="{}", content_type="application/json")
    assert response.status_code == 415


def test_a_chunked_body_over_the_limit_is_refused_not_cut(app, client):
    body = ("question=" + "x" * 70_000).encode()
    response = client.post("/da/ask", input_stream=io.BytesIO(body),
                           headers={"Transfer-Encoding": "chunked", "Content-Type": FORM}, environ_overrides=CHUNKED)
    assert response.status_code == 413
    assert _inquiries(app) == 0


def test_a_chunked_body_under_the_limit_is_read_whole(app, client):
    body = "question=Hvad+har+jeg+ret+til%3F&topics=housing".encode()
    response = client.post("/da/ask", input_stream=io.BytesIO(body),
                           headers={"Transfer-Encoding": "chunked", "Content-Type": FORM}, environ_overrides=CHUNKED)
    assert response.status_code == 200 and "receipt-code" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session().scalars(select(Inquiry.topics)).one() == ["housing"]


@pytest.mark.parametrize("path", ["/staff/cases/99999999999999999999", "/staff/inquiries/9223372036854775808",
                                  "/staff/users/18446744073709551616/audit"])
def test_ids_past_the_database_range_are_not_found(staff_client, path):
    client, _user = staff_client("lead")
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("target", ["/staff/cases\r\nSet-Cookie: x=1", "/staff/\x00", "/staff/cases\u2028"])
def test_next_with_control_characters_falls_back(app, target):
    with app.test_request_context("/staff/login", query_string={"next": target}):
        assert safe_next("/staff/") == "/staff/"


def test_next_with_crlf_after_a_real_login(app, make_user):
    client = app.test_client()
    user = make_user("counsellor")
    response = login(app, client, user)
    assert response.status_code in (302, 303)
    code = client.post("/staff/login?next=/staff/cases%0D%0AX:1",
                       data={"email": user["email"], "password": PASSWORD})
    assert code.status_code < 500


def test_a_repeated_checkbox_counts_once(app, client):
    response = client.post("/da/ask", data={"question": "Hvad har jeg ret til?", "topics": ["housing"] * 3000 + ["economy"]})
    assert response.status_code == 200
    with app.app_context():
        assert db.session().scalars(select(Inquiry.topics)).one() == ["housing", "economy"]


def test_a_new_set_up_link_stops_the_old_password(db_session):
    user, _token = accounts.create_user(db_session, email="reset@test.invalid", role="counsellor")
    accounts.complete_setup(user, "en lang og god adgangskode")
    assert accounts.authenticate(db_session, user.email, "en lang og god adgangskode") is user
    accounts.reset_for_setup(user)
    with pytest.raises(accounts.LoginRefused):
        accounts.authenticate(db_session, user.email, "en lang og god adgangskode")


def test_an_admin_cannot_unlock_a_counsellor(app, make_user, staff_client):
    counsellor = make_user("counsellor")
    with app.app_context():
        user = db.session().get(User, counsellor["id"])
        user.failed_logins = accounts.MAX_FAILED_LOGINS
        accounts.count_failure(user)
        db.commit()
    admin, _ = staff_client("admin")
    assert admin.post(f"/staff/users/{counsellor['id']}/unlock").status_code == 403
    assert "Lås op" not in admin.get("/staff/users").get_data(as_text=True)
    lead, _ = staff_client("lead")
    assert "Lås op" in lead.get("/staff/users").get_data(as_text=True)


def test_a_set_up_link_is_built_from_the_base_url_not_the_host_header(app):
    from portal.blueprints.staff.users import _setup_url
    with app.test_request_context("/staff/users", method="POST", base_url="http://attacker.example"):
        link = _setup_url("TOKEN")
    assert link == f"{app.config['BASE_URL']}/staff/setup?t=TOKEN"


def test_production_answers_only_its_own_host_name(monkeypatch, database_url):
    from portal import create_app
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", "0")
    app = create_app({"ENV": "production", "SECRET_KEY": "k" * 32, "RECEIPT_PEPPER": "p" * 32, "ALLOW_SQLITE": True,
                      "DATA_KEY": "dGVzdC1vbmx5LWRhdGEta2V5LTMyLWJ5dGVzLWxvbmc=",
                      "DATABASE_URL": database_url, "BASE_URL": "https://raadgivning.example.dk"})
    client = app.test_client()
    assert client.get("/da/", headers={"Host": "attacker.example"}).status_code == 400
    assert client.get("/da/", base_url="https://raadgivning.example.dk").status_code == 200
    app.extensions["db_engine"].dispose()


def test_the_sqlite_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "portal.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x)")
        conn.commit()
        for made in (path, path.with_name("portal.sqlite3-wal")):  # the log of writes too
            assert stat.S_IMODE(made.stat().st_mode) == 0o600, made
    engine.dispose()


@pytest.mark.parametrize("path", ["/staff/?holder=%00", "/staff/stats?hospital=r%00h", "/da/activities?municipality=%00",
                                  "/staff/leaflets/r%00h/da"])
def test_a_nul_in_the_address_is_a_400_on_any_database(staff_client, path):
    client, _user = staff_client("lead")
    assert client.get(path).status_code == 400
