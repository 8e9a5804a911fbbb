"""Response-time figures on a known set, every number worked out by hand
(opening hours 09-16, Copenhagen)."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from portal import db
from portal.services import response_times, stats, stats_text, triage
from tests.factories import make_contact_request, make_counsellor, make_inquiry, make_referral, make_referrer

CPH = ZoneInfo("Europe/Copenhagen")
PERIOD = {"date_from": date(2026, 11, 1), "date_to": date(2026, 12, 31)}
NOW = datetime(2026, 12, 3, 12, tzinfo=CPH)


def cph(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=CPH)


def _answer(session, counsellor, inquiry, at: datetime) -> None:
    """The first staff answer, at ``at``."""
    triage.claim(session, counsellor, inquiry.id)
    triage.answer(session, counsellor, inquiry, "Her er et svar.")
    inquiry.first_response_at = at


def _call(session, counsellor, inquiry, at: datetime) -> None:
    """The first contact attempt, at ``at``."""
    triage.claim(session, counsellor, inquiry.id)
    triage.log_attempt(session, counsellor, inquiry, method="phone", reached=False, at=at)


@pytest.fixture
def known(db_session):
    """Questions (3 working days), call-backs (2) and an urgent referral at Herlev (2)."""
    counsellor = make_counsellor(db_session)
    answered = [  # (created, answered): working hours, kept?
        (cph(2026, 11, 23, 10), cph(2026, 11, 23, 12)),        # 2.0, kept
        (cph(2026, 11, 23, 15), cph(2026, 11, 24, 11, 30)),    # 1 + 2.5 = 3.5, kept
        (cph(2026, 11, 27, 15, 30), cph(2026, 11, 30, 9, 30)), # 0.5 + 0.5 over the weekend = 1.0, kept
        (cph(2026, 11, 23, 10), cph(2026, 11, 27, 10)),        # 6 + 7 + 7 + 7 + 1 = 28.0, missed (due Thu 26)
        (cph(2026, 12, 1, 10), cph(2026, 12, 1, 10, 30)),      # 0.5, kept; in December
    ]
    for created, at in answered:
        question, _code = make_inquiry(db_session, now=created)
        _answer(db_session, counsellor, question, at)
    make_inquiry(db_session, now=cph(2026, 11, 24, 10))        # waiting, due Fri 27 Nov: overdue on 3 Dec
    duplicate, _code = make_inquiry(db_session, now=cph(2026, 11, 24, 11))   # closed unanswered: in no figure
    triage.claim(db_session, counsellor, duplicate.id)
    triage.close(db_session, counsellor, duplicate, "other")
    calls = [
        (cph(2026, 11, 25, 11), cph(2026, 11, 25, 14)),        # 3.0, kept (due Fri 27)
        (cph(2026, 11, 26, 17), cph(2026, 12, 2, 9)),          # Fri 7 + Mon 7 + Tue 7 = 21.0, missed (due Tue 1)
    ]
    for created, at in calls:
        _call(db_session, counsellor, make_contact_request(db_session, now=created), at)
    herlev = make_referrer(db_session, hospital_code="hgh")
    urgent = make_referral(db_session, herlev, urgent=True, now=cph(2026, 11, 30, 8))
    _call(db_session, counsellor, urgent, cph(2026, 11, 30, 9, 45))   # 0.75 (before opening counts nothing)
    db_session.flush()


def _row(n, median, p90, within, waiting=0, overdue=0) -> dict:
    return {"n": n, "median_hours": median, "p90_hours": p90, "within_promise": within,
            "waiting": waiting, "waiting_overdue": overdue}


@pytest.mark.usefixtures("known")
def test_the_figures_match_the_hand_computed_values(db_session):
    result = response_times.figures(db_session, hospital_id=None, now=NOW, **PERIOD)
    # Questions: hours 0.5, 1, 2, 3.5, 28 -> median 2; p90 at rank 3.6: 3.5 + 0.6 * 24.5 = 18.2.
    assert result["anonymous_question"] == _row(5, 2.0, 18.2, 4, waiting=1, overdue=1)
    # Call-backs: 3 and 21 -> median 12; p90: 3 + 0.9 * 18 = 19.2.
    assert result["self_referral"] == _row(2, 12.0, 19.2, 1)
    assert result["professional_referral"] == _row(1, 0.75, 0.75, 1)
    assert result["sparring"] == _row(0, None, None, 0)
    november, december = result["by_month"]["2026-11"], result["by_month"]["2026-12"]
    # November's questions: 1, 2, 3.5, 28 -> median 2.75; p90 at rank 2.7: 3.5 + 0.7 * 24.5 = 20.65.
    assert november["anonymous_question"] == _row(4, 2.75, 20.65, 3, waiting=1, overdue=1)
    assert december == {"anonymous_question": _row(1, 0.5, 0.5, 1)}
    assert november["professional_referral"] == _row(1, 0.75, 0.75, 1)


@pytest.mark.usefixtures("known")
def test_per_hospital_and_in_the_statistics(db_session):
    herlev = stats.figures(db_session, hospital_code="hgh", **PERIOD)["response_times"]
    assert herlev["professional_referral"] == _row(1, 0.75, 0.75, 1)
    assert herlev["anonymous_question"]["n"] == herlev["self_referral"]["n"] == 0
    lines = stats_text.text_report(stats.figures(db_session, **PERIOD))
    assert any(line.startswith("  anonymous_question: n=5, median 2.0, 90th percentile 18.2, within promise 4")
               for line in lines)


def test_a_single_value_is_its_own_median_and_percentile():
    assert response_times.percentile([4.0], 0.9) == 4.0
    assert response_times.percentile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.9) == pytest.approx(9.1)


def test_portal_stats_json_has_the_response_times(app, known):
    db.commit()
    result = app.test_cli_runner().invoke(args=["stats", "--from", "2026-11-01", "--to", "2026-12-31", "--json"])
    assert result.exit_code == 0, result.output
    figure = json.loads(result.output)["response_times"]
    assert {key: figure["anonymous_question"][key] for key in ("n", "median_hours", "p90_hours", "within_promise")} \
        == {"n": 5, "median_hours": 2.0, "p90_hours": 18.2, "within_promise": 4}
