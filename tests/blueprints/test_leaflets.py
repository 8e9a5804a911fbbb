"""Leaflets: who prints which, what a leaflet holds, and the way in from its
QR code (the hospital preselected, the inquiry marked as from a leaflet)."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from sqlalchemy import select

from portal import db
from portal.i18n import LANGUAGES
from portal.models import Inquiry
from tests.conftest import receipt_from

RTL = {"ar", "ur"}
ALL_HOSPITALS = {"rh", "hgh", "nsh", "ahh", "boh"}
CONTACT = {"phone": "12 34 56 78", "pregnancy_status": "pregnant", "consent": "y",
           "conversation_language": "da"}


def _leaflet_links(html: str) -> set[tuple[str, str]]:
    return set(re.findall(r'href="/staff/leaflets/([a-z]+)/([a-z]+)"', html))


def _selected_hospital(html: str) -> str | None:
    select_ = re.search(r'<select[^>]*name="hospital".*?</select>', html, re.S)
    assert select_, "no hospital select on the page"
    chosen = re.search(r'<option[^>]*\bselected\b[^>]*>', select_.group(0))
    return re.search(r'value="([^"]*)"', chosen.group(0)).group(1) if chosen else None


def _inquiry(app) -> Inquiry:
    with app.app_context():
        row = db.session().scalars(select(Inquiry)).one()
        db.session().expunge(row)
        return row


def _hospital_code(app, inquiry_id: int) -> str | None:
    with app.app_context():
        row = db.session().get(Inquiry, inquiry_id)
        return row.hospital.code if row.hospital else None


# --- who prints what --------------------------------------------------------

def test_a_lead_sees_every_hospital_in_every_language(staff_client):
    client, _user = staff_client("lead")
    response = client.get("/staff/leaflets")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _leaflet_links(html) == {(h, lang) for h in ALL_HOSPITALS for lang in LANGUAGES}
    for code, name in LANGUAGES.items():  # each language named in itself
        assert re.search(rf'lang="{code}"[^>]*>{re.escape(name)}</a>', html), code
    assert 'lang="ar" hreflang="ar" dir="rtl"' in html


def test_a_referrer_sees_and_prints_only_their_own_hospital(staff_client):
    client, _user = staff_client("referrer")  # bound to rh
    html = client.get("/staff/leaflets").get_data(as_text=True)
    assert _leaflet_links(html) == {("rh", lang) for lang in LANGUAGES}
    assert "Herlev og Gentofte Hospital" not in html
    assert client.get("/staff/leaflets/rh/da").status_code == 200
    assert client.get("/staff/leaflets/hgh/da").status_code == 403


@pytest.mark.parametrize("role", ["counsellor", "association_editor", "admin"])
def test_other_roles_may_not_print(staff_client, role):
    client, _user = staff_client(role)
    assert client.get("/staff/leaflets").status_code == 403
    assert client.get("/staff/leaflets/rh/da").status_code == 403


def test_anonymous_visitors_go_to_the_login(client):
    for path in ("/staff/leaflets", "/staff/leaflets/rh/da"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")


@pytest.mark.parametrize("path", ["/staff/leaflets/xx/da", "/staff/leaflets/rh/de", "/staff/leaflets/RH/da",
                                  "/staff/leaflets/rh/DA"])
def test_unknown_hospital_or_language_is_404(staff_client, path):
    client, _user = staff_client("lead")
    assert client.get(path).status_code == 404


# --- the leaflet ---------------------------------------------------------------

@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_leaflet_in_each_language(app, staff_client, lang):
    client, _user = staff_client("lead")
    response = client.get(f"/staff/leaflets/rh/{lang}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    direction = "rtl" if lang in RTL else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert "Rigshospitalet" in html
    assert app.config["COUNSELLING_PHONE"] in html and app.config["COUNSELLING_EMAIL"] in html
    # The QR code is drawn inline, and its address is printed beneath it.
    url = f"{app.config['BASE_URL']}/{lang}/?h=rh"
    assert re.search(r'<svg[^>]*class="leaflet-qr-code"', html)
    assert f'class="leaflet-url">{url}</bdi>' in html
    # Standalone: no quick exit, no staff menu, nothing from another host.
    assert "quick-exit" not in html and "staff-nav" not in html
    hosts = re.findall(r'(?:src|href)="(https?:)?//', html)
    assert hosts == []


def test_the_qr_code_encodes_only_the_hospital(app, staff_client):
    client, _user = staff_client("lead")
    html = client.get("/staff/leaflets/boh/uk").get_data(as_text=True)
    title = re.search(r'<svg[^>]*class="leaflet-qr-code"[^>]*><title>([^<]+)</title>', html)
    assert title and html_lib.unescape(title.group(1)) == f"{app.config['BASE_URL']}/uk/?h=boh"


def test_the_leaflet_speaks_the_family_language_and_the_tools_the_staff_language(staff_client):
    client, _user = staff_client("lead")
    html = client.get("/staff/leaflets/rh/da").get_data(as_text=True)
    assert "Stil et anonymt spørgsmål" in html and "Bliv kontaktet" in html
    arabic = client.get("/staff/leaflets/rh/ar").get_data(as_text=True)
    assert re.search(r'<nav class="leaflet-tools" lang="da" dir="ltr">', arabic)
    assert 'href="/staff/leaflets"' in arabic



# The leaflet's own point (msgid "Nothing is written in your hospital record. We
# pass nothing on without your agreement – except if we become seriously
# worried about a child's safety. Then the law requires us to tell the
# municipality."): the promise and the duty to notify in one, so the leaflet
# stays one A5 page.
LEAFLET_DUTY = {
    "en": "We pass nothing on without your agreement – except if we become seriously worried about a "
          "child's safety. Then the law requires us to tell the municipality.",
    "da": "Vi giver intet videre, uden at du siger ja til det – undtagen hvis vi bliver alvorligt "
          "bekymrede for et barns sikkerhed. Så siger loven, at vi skal fortælle det til kommunen.",
}


@pytest.mark.parametrize("lang", sorted(LEAFLET_DUTY))
def test_the_leaflet_says_when_the_law_makes_us_tell_the_municipality(staff_client, lang):
    """The duty to notify (issue 13, item 4): the printed promise is true too."""
    client, _user = staff_client("lead")
    html = client.get(f"/staff/leaflets/rh/{lang}").get_data(as_text=True)
    text = " ".join(html_lib.unescape(html).split())
    assert LEAFLET_DUTY[lang] in text
    assert "and we do not pass your details on to the municipality or the hospital." not in text

# --- the way in from the QR code ----------------------------------------------

def test_the_qr_address_remembers_the_hospital_and_cleans_the_address(client):
    response = client.get("/da/?h=rh")
    assert response.status_code == 302 and response.headers["Location"] == "/da/"
    with client.session_transaction() as sess:
        assert dict(sess) == {"via_leaflet": "rh"}
    assert _selected_hospital(client.get("/da/ask").get_data(as_text=True)) == "rh"
    assert _selected_hospital(client.get("/da/contact-me").get_data(as_text=True)) == "rh"
    # Another language keeps it: it is in the session, not the address.
    assert _selected_hospital(client.get("/ar/ask").get_data(as_text=True)) == "rh"


def test_a_question_after_a_leaflet_records_it(app, client):
    client.get("/da/?h=rh")
    response = client.post("/da/ask", data={"question": "Hvad har jeg ret til, når jeg går på barsel?",
                                            "hospital": "rh"})
    receipt_from(response.get_data(as_text=True))
    inquiry = _inquiry(app)
    assert inquiry.heard_from == "leaflet"
    assert _hospital_code(app, inquiry.id) == "rh"


def test_a_contact_request_after_a_leaflet_records_it_and_the_family_may_change_hospital(app, client):
    client.get("/uk/?h=rh")
    response = client.post("/uk/contact-me", data={**CONTACT, "hospital": "hgh"})
    assert response.status_code == 303
    inquiry = _inquiry(app)
    assert inquiry.heard_from == "leaflet"
    assert _hospital_code(app, inquiry.id) == "hgh"


@pytest.mark.parametrize("query", ["?h=xx", "?h=", "?h=RH", "?h=rh%27--"])
def test_an_unknown_code_changes_nothing(app, client, query):
    response = client.get(f"/da/{query}")
    assert response.status_code == 200
    assert response.headers.getlist("Set-Cookie") == []
    assert _selected_hospital(client.get("/da/ask").get_data(as_text=True)) is None
    client.post("/da/ask", data={"question": "Kan jeg få hjælp til at finde en bolig?"})
    assert _inquiry(app).heard_from is None


def test_without_a_leaflet_nothing_is_preselected_or_recorded(app, client):
    assert _selected_hospital(client.get("/da/contact-me").get_data(as_text=True)) is None
    assert client.post("/da/contact-me", data={**CONTACT, "hospital": "rh"}).status_code == 303
    inquiry = _inquiry(app)
    assert inquiry.heard_from is None and _hospital_code(app, inquiry.id) == "rh"


def test_a_posted_form_keeps_what_the_family_chose(client):
    client.get("/da/?h=rh")
    html = client.post("/da/ask", data={"question": "", "hospital": "nsh"}).get_data(as_text=True)
    assert _selected_hospital(html) == "nsh"


def test_the_service_refuses_an_unknown_way_in(db_session):
    from portal.services import ServiceError, inquiries
    with pytest.raises(ServiceError):
        inquiries.create_anonymous_question(db_session, text="Et spørgsmål om økonomi", language="da",
                                            heard_from="campaign-42")
    with pytest.raises(ServiceError):
        inquiries.create_contact_request(db_session, inquiries.ContactRequest(
            language="da", phone="12345678", heard_from="campaign-42"), retention_months=6)
