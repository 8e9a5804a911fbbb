"""Static files under content-hashed names (portal/static_files.py)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from portal.static_files import IMMUTABLE

STATIC = Path(__file__).resolve().parent.parent / "portal" / "static"


def _get(client, url: str):
    """A static response, read and closed (send_file keeps the file open until then)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def _static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_name_static_files_by_their_content(client):
    urls = _static_urls(client.get("/da/").get_data(as_text=True))
    assert "/static/css/portal.css" not in urls
    digest = hashlib.sha256((STATIC / "css/portal.css").read_bytes()).hexdigest()[:12]
    assert f"/static/css/portal.{digest}.css" in urls
    for url in urls:
        assert re.search(r"\.[0-9a-f]{12}\.[a-z]+$", url), url
        response = _get(client, url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE


def test_the_plain_names_still_work_without_the_year(client):
    response = _get(client, "/static/css/portal.css")
    assert response.status_code == 200 and response.headers["Cache-Control"] != IMMUTABLE
    assert response.data == (STATIC / "css/portal.css").read_bytes()


def test_a_stale_hash_gets_todays_file_without_the_year_and_an_unknown_file_404(client):
    stale = _get(client, "/static/css/portal.000000000000.css")
    assert stale.status_code == 200 and stale.headers["Cache-Control"] != IMMUTABLE
    assert stale.data == (STATIC / "css/portal.css").read_bytes()
    assert _get(client, "/static/css/nothing.000000000000.css").status_code == 404


@pytest.mark.parametrize("path", ["/static/..%2f..%2fconfig.000000000000.py", "/static/css/../../__init__.000000000000.py",
                                  "/static/vendor/../../../wsgi.000000000000.py"])
def test_a_hashed_name_never_leaves_the_static_folder(client, path):
    response = _get(client, path)
    assert response.status_code in (404, 308, 400), path
    assert b"create_app" not in response.data and b"import" not in response.data


def test_a_changed_file_gets_a_new_name(app, tmp_path):
    from portal.static_files import hashed_name
    app.static_folder = str(tmp_path)
    (tmp_path / "x.js").write_text("one")
    with app.test_request_context():
        first = hashed_name("x.js")
        (tmp_path / "x.js").write_text("two, longer")
        import os
        os.utime(tmp_path / "x.js", ns=(1, 10**18))
        assert hashed_name("x.js") != first
        assert hashed_name("missing.js") == "missing.js"
