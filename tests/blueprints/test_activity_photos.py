"""An activity's photo: only real JPEG or PNG pixels get through, and they
are served with their own type and nosniff; the activity's own text is
shown inert (no markup, no javascript: links, no bidi overrides)."""

from __future__ import annotations

import io
import random
import struct
import zlib

import pytest
from PIL import Image, PngImagePlugin

from portal import db
from portal.models import Activity
from portal.services import ServiceError, activity_photos
from tests.activity_factories import make_activity, make_association


def _jpeg(size=(64, 48), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "JPEG", **save)
    return out.getvalue()


def _phone_photo() -> bytes:
    """A real photo's size: several times the other forms' 64 KB limit (kept
    under the test client's 500 KB spooling threshold, which leaks a file)."""
    out = io.BytesIO()
    Image.frombytes("RGB", (640, 480), random.Random(4).randbytes(640 * 480 * 3)).save(out, "JPEG", quality=85)
    assert 200_000 < len(out.getvalue()) < 500_000
    return out.getvalue()


def _png_with_script() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert('x')</script>")
    out = io.BytesIO()
    Image.new("RGBA", (32, 32), (0, 200, 0, 128)).save(out, "PNG", pnginfo=info)
    return out.getvalue() + b"<script>alert('trailing')</script>"


def _png_bomb(width=30_000, height=30_000) -> bytes:
    """A tiny PNG whose header claims 900 million pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    body = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


@pytest.mark.parametrize("raw", [
    b"GIF89a not really",
    b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    b"%PDF-1.4 a document",
    b"\xff\xd8\xff\xe0 a broken jpeg",
], ids=["gif-text", "svg", "pdf", "broken-jpeg"])
def test_anything_but_a_jpeg_or_png_is_refused(raw):
    with pytest.raises(ServiceError) as refused:
        activity_photos.clean_image(raw)
    assert refused.value.field == "photo"


def test_a_gif_is_refused_even_when_it_is_a_real_image():
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    with pytest.raises(ServiceError):
        activity_photos.clean_image(out.getvalue())


def test_oversized_file_is_refused():
    with pytest.raises(ServiceError):
        activity_photos.clean_image(_jpeg() + b"\x00" * activity_photos.MAX_BYTES)


def test_decompression_bomb_is_refused_before_decoding():
    with pytest.raises(ServiceError):
        activity_photos.clean_image(_png_bomb())


def test_metadata_and_trailing_script_are_gone_and_exif_is_dropped():
    cleaned, content_type, width, height = activity_photos.clean_image(_png_with_script())
    assert content_type == "image/png" and (width, height) == (32, 32)
    assert b"script" not in cleaned and b"tEXt" not in cleaned
    exif = Image.Exif()
    exif[0x010E] = "<script>alert(1)</script>"  # ImageDescription
    exif[0x8825] = {2: (55.0, 40.0, 0.0)}  # GPS
    cleaned, content_type, _w, _h = activity_photos.clean_image(_jpeg(exif=exif.tobytes(), comment=b"<script>"))
    assert content_type == "image/jpeg" and b"script" not in cleaned and b"Exif" not in cleaned
    assert Image.open(io.BytesIO(cleaned)).getexif() == {}


def test_big_photo_is_made_smaller():
    cleaned, _type, width, height = activity_photos.clean_image(_jpeg(size=(4000, 3000)))
    assert (width, height) == (1600, 1200)
    assert Image.open(io.BytesIO(cleaned)).size == (1600, 1200)


@pytest.mark.parametrize("maker, content_type", [(_jpeg, "image/jpeg"), (_png_with_script, "image/png"),
                                                 (_phone_photo, "image/jpeg")])
def test_photo_uploaded_through_the_form_is_served_with_its_type_and_nosniff(app, staff_client, maker, content_type):
    lead, _user = staff_client("lead")
    with app.app_context():
        activity = make_activity(db.session(), make_association(db.session()))
        db.commit()
        activity_id = activity.id
    page = lead.get(f"/association/activities/{activity_id}").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    with app.app_context():
        item = db.session().get(Activity, activity_id)
        data = {"title": item.title, "text_language": "da", "starts_on": item.starts_on.isoformat(),
                "start_time": "10:00", "address": item.address, "municipality": item.municipality,
                "join_method": "just_come", "photo_alt": "Børn der leger i sandet"}
    data["photo"] = (io.BytesIO(maker()), "billede.bin")
    response = lead.post(f"/association/activities/{activity_id}", data=data, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    served = app.test_client().get(f"/da/activities/{activity_id}/photo")
    assert served.status_code == 200 and served.headers["Content-Type"] == content_type
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert b"script" not in served.data
    public_page = app.test_client().get(f"/da/activities/{activity_id}").get_data(as_text=True)
    assert 'alt="Børn der leger i sandet"' in public_page


def test_a_bad_photo_through_the_form_is_an_error_on_the_photo_field(app, staff_client):
    lead, _user = staff_client("lead")
    with app.app_context():
        activity = make_activity(db.session(), make_association(db.session()))
        db.commit()
        item_id, start = activity.id, activity.starts_on
    data = {"title": "Tur", "text_language": "da", "starts_on": start.isoformat(), "start_time": "10:00",
            "address": "Vej 1", "municipality": "kobenhavn", "join_method": "just_come",
            "photo": (io.BytesIO(_png_bomb()), "bombe.png")}
    response = lead.post(f"/association/activities/{item_id}", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and 'id="photo-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session().get(Activity, item_id).title != "Tur"  # nothing of the refused change is kept


def test_the_activitys_own_text_is_shown_inert(app):
    hostile = ("Hej <script>alert('x')</script> <b>fed</b>\n\n"
               "Klik javascript:alert(1) eller <a href=\"javascript:alert(2)\">her</a>\n\n"
               "Se https://example.dk/\"onmouseover=\"alert(3) og \u202eevil\u202c slut")
    with app.app_context():
        activity = make_activity(db.session(), make_association(db.session()), description=hostile,
                                 title="Tur \u202egnirts\u202c <i>x</i>")
        db.commit()
        activity_id = activity.id
    html = app.test_client().get(f"/da/activities/{activity_id}").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<b>fed</b>" not in html and 'href="javascript:' not in html and "<i>x</i>" not in html
    assert "\u202e" not in html and "\u202c" not in html
    assert '<a href="https://example.dk/&#34;onmouseover=&#34;alert(3)"' not in html
    assert 'onmouseover="' not in html
    assert '<div class="activity-text" lang="da">' in html


def test_the_photos_description_is_kept_and_shown_on_the_form(app, staff_client):
    from tests.blueprints.test_association_access import _png
    lead, user = staff_client("lead")
    with app.app_context():
        activity = make_activity(db.session(), make_association(db.session()))
        from portal.models import User
        activity_photos.set_photo(db.session(), db.session().get(User, user["id"]), activity, _png(),
                                  alt_text="En gruppe i parken")
        db.commit()
        activity_id = activity.id
    assert 'value="En gruppe i parken"' in lead.get(f"/association/activities/{activity_id}").get_data(as_text=True)
