"""The statistics dashboard: the report's figures with their n and the
previous period beside them, exact inside the staff area."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
from sqlalchemy import select

from portal import db
from portal.models import AuditEvent, User
from portal.services import cases
from tests.factories import make_case


def _case(app, user_id: int, opened: date, **fields) -> None:
    with app.app_context():
        sess = db.session()
        user = sess.get(User, user_id)
        case = make_case(sess, user)
        case.opened_on = opened
        cases.update_evaluation(sess, user, case, fields)
        db.commit()


def _figure(html: str, key: str) -> str:
    match = re.search(rf'<section class="figure" aria-labelledby="fig-{key}">(.*?)</section>', html, re.S)
    assert match, key
    return match.group(1)


def test_figures_with_their_n_and_the_previous_period(app, staff_client):
    client, user = staff_client("counsellor")
    _case(app, user["id"], date(2026, 3, 2), gender="female", age_band="20_29", hospital_id=1)
    _case(app, user["id"], date(2026, 3, 20), gender="female")
    _case(app, user["id"], date(2026, 3, 31))                       # gender not stated: not in n
    _case(app, user["id"], date(2026, 2, 10), gender="male")        # the previous period
    _case(app, user["id"], date(2025, 1, 10), gender="male")        # before either period
    html = client.get("/staff/stats?from=2026-03-01&to=2026-03-31").get_data(as_text=True)
    assert "3 brugere (forløb)" in html
    gender = _figure(html, "gender")
    assert "(n=2)" in gender
    assert re.search(r"Kvinde</th>\s*<td class=\"num\">2</td>\s*<td class=\"num\">100 %</td>", gender)
    assert re.search(r"Mand</th>\s*<td class=\"num\">0</td>.*?<td class=\"num\">1 \(100 %\)</td>", gender, re.S)
    assert "(n=1)" in _figure(html, "age_band")


def test_hospital_filter_and_bad_parameters(app, staff_client):
    client, user = staff_client("lead")
    _case(app, user["id"], date(2026, 3, 2), gender="female", hospital_id=1)
    html = client.get("/staff/stats?from=2026-01-01&to=2026-12-31&hospital=hgh").get_data(as_text=True)
    assert "(n=0)" in _figure(html, "gender")
    for query in ("from=2026-13-01", "from=2026-03-01&to=2026-02-01", "hospital=nowhere"):
        assert client.get(f"/staff/stats?{query}").status_code == 400, query


def test_the_bars_are_html_meters_beside_the_numbers(app, staff_client):
    client, _user = staff_client("counsellor")
    html = client.get("/staff/stats").get_data(as_text=True)
    assert '<meter min="0" max="100"' in html and 'aria-hidden="true"' in html


def test_a_lead_exports_the_figures_and_a_counsellor_does_not_see_the_buttons(app, staff_client):
    lead, lead_user = staff_client("lead")
    _case(app, lead_user["id"], date(2026, 3, 2), gender="female", hospital_id=1)
    html = lead.get("/staff/stats?from=2026-03-01&to=2026-03-31").get_data(as_text=True)
    assert "/staff/stats/export.xlsx?from=2026-03-01&amp;to=2026-03-31" in html
    response = lead.get("/staff/stats/export.xlsx?from=2026-03-01&to=2026-03-31")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="statistik-2026-03-01-2026-03-31.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert "gender" in book.sheetnames
    # One case: its 1 is never shown, in any sheet.
    assert not [cell for sheet in book for row in sheet.iter_rows(min_row=4, min_col=3, values_only=True)
                for cell in row if cell in (1, 2, 3, 4)]
    cases_csv = lead.get("/staff/stats/cases.csv?from=2026-03-01&to=2026-03-31").get_data(as_text=True)
    assert cases_csv.splitlines()[1].startswith("2026-03,,")
    with app.app_context():
        actions = db.session().scalars(select(AuditEvent.action)).all()
    assert {"stats.export", "stats.export_cases"} <= set(actions)
    counsellor, _user = staff_client("counsellor")
    assert "export.xlsx" not in counsellor.get("/staff/stats").get_data(as_text=True)
def test_response_times_on_the_dashboard(app, staff_client):
    """Two questions answered in 2 and 28 working hours (one within the promise), one waiting."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tests.factories import make_inquiry
    cph = ZoneInfo("Europe/Copenhagen")
    client, _user = staff_client("counsellor")
    with app.app_context():
        sess = db.session()
        for created, answered in ((datetime(2026, 11, 23, 10, tzinfo=cph), datetime(2026, 11, 23, 12, tzinfo=cph)),
                                  (datetime(2026, 11, 23, 10, tzinfo=cph), datetime(2026, 11, 27, 10, tzinfo=cph))):
            question, _code = make_inquiry(sess, now=created)
            question.first_response_at = answered
        make_inquiry(sess, now=datetime(2026, 11, 24, 10, tzinfo=cph))
        db.commit()
    html = client.get("/staff/stats?from=2026-11-01&to=2026-11-30").get_data(as_text=True)
    section = _figure(html, "response-times")
    row = re.search(r'<th scope="row">Anonymt spørgsmål</th>(.*?)</tr>', section, re.S)
    assert row, section
    cells = re.findall(r'<td class="num">(.*?)</td>', row.group(1), re.S)
    # n 2; median 15.0; p90 2 + 0.9 * 26 = 25.4; one of two within the promise; one waiting, overdue.
    cells = [re.sub(r"\s+", " ", cell).strip() for cell in cells]
    assert cells[:4] == ["2", "15,0", "25,4", "1 (50 %)"] and cells[4].startswith("1 (1 ")
    assert "2026-11" in section   # month by month


def test_spor_2_and_3_on_the_dashboard_as_totals(staff_client):
    client, _user = staff_client("counsellor")
    html = client.get("/staff/stats?from=2026-03-01&to=2026-03-31").get_data(as_text=True)
    spor2, spor3 = _figure(html, "spor2"), _figure(html, "spor3")
    assert "Familier optaget" in spor2 and "Overnatninger brugt i ophold" in spor2
    assert "Familier, der kom via partnerskabet" in spor3
    assert "<meter" not in spor2 + spor3  # totals, not shares
