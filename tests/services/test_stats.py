"""The evaluation's figures: a known data set made through the services and
worked out by hand (tests/evaluation_data.py), the period and hospital
filters, blank kept apart from zero, the inquiries' counts in Copenhagen
dates, and a number of statements that does not grow with the cases."""

from __future__ import annotations

import random
import time
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import insert, select

from portal import db
from portal.models import Case, Hospital, User
from portal.models.codes import (
    AgeBand,
    Channel,
    CivilStatus,
    ClosureReason,
    ContactReason,
    Education,
    Employment,
    Gender,
    HeardFrom,
    IncomeSource,
    OnwardReferral,
)
from portal.services import ServiceError, cases, exports, sparring, stats, triage
from portal.vocab.staff import ALL_FIGURE_TITLES
from tests import evaluation_data
from tests.evaluation_data import EXPECTED, EXPECTED_HGH, PERIOD, ROWS
from tests.factories import make_case, make_contact_request, make_counsellor, make_inquiry, make_referral, make_referrer
from tests.sql_capture import statements_sent

# Hospitals, the wide case scan, two multi-valued fields, inquiries,
# response times, the surveys and spor 3: one statement each; spor 2 two
# (services/course_stats.py). The same at any size.
STATEMENT_BOUND = 10


def hospital_ids(session) -> dict[str, int]:
    """The seeded hospitals: code -> id."""
    return {code: hospital_id for hospital_id, code in session.execute(select(Hospital.id, Hospital.code))}


def make_cases(session, user: User, rows: list[dict[str, str]]) -> list[Case]:
    """Open a case per row through the services, opened on the row's date, with its evaluation fields."""
    ids, made = hospital_ids(session), []
    for row in rows:
        case = make_case(session, user)
        case.opened_on = date.fromisoformat(row["opened_on"])
        cases.update_evaluation(session, user, case, evaluation_data.case_values(row, ids))
        made.append(case)
    return made


def in_period(session, **kwargs: Any) -> dict[str, Any]:
    """The figures for the data set's period."""
    return stats.figures(session, date_from=PERIOD[0], date_to=PERIOD[1], **kwargs)


@pytest.fixture
def counsellor(db_session) -> User:
    return make_counsellor(db_session)


@pytest.fixture
def known(db_session, counsellor) -> None:
    """The known data set, made through the services."""
    make_cases(db_session, counsellor, ROWS)


@pytest.mark.usefixtures("known")
def test_every_figure_of_the_known_data_set(db_session):
    result = in_period(db_session)
    assert result == EXPECTED
    # Several reasons per case: a share of the cases or of the mentions.
    reasons = result["reasons"]
    assert stats.percent(reasons["counts"]["economy"], reasons["n"]) == 57
    assert stats.percent(reasons["counts"]["economy"], reasons["mentions"]) == 33


@pytest.mark.usefixtures("known")
def test_one_hospital(db_session):
    result = in_period(db_session, hospital_code="hgh")
    assert {key: result[key] for key in EXPECTED_HGH} == EXPECTED_HGH


@pytest.mark.usefixtures("known")
def test_a_case_counts_in_the_period_it_was_opened_in(db_session):
    def users(first: date, last: date) -> int:
        return stats.figures(db_session, date_from=first, date_to=last)["users"]

    assert users(date(2025, 3, 31), date(2025, 3, 31)) == 1      # X01, the day before
    assert users(date(2025, 4, 1), date(2025, 4, 1)) == 1        # E01, the first day
    assert users(date(2025, 4, 2), date(2025, 11, 17)) == 6      # E01 and E08 left out
    assert users(date(2025, 11, 18), date(2025, 11, 19)) == 2    # E08 and X02
    assert users(date(2025, 11, 20), date(2026, 12, 31)) == 0


def test_blank_is_not_zero_and_a_case_without_a_hospital_is_a_user(db_session, counsellor):
    stated, blank = make_case(db_session, counsellor), make_case(db_session, counsellor)
    for case in (stated, blank):
        case.opened_on = date(2025, 5, 1)
    cases.update_evaluation(db_session, counsellor, stated, {"children_4_6": 0, "contact_reasons": [],
                                                             "onward_referrals": None, "hospital_id": None})
    result = in_period(db_session)
    assert result["users"] == 2 and set(result["by_hospital"].values()) == {0}
    assert result["children"] == {"n": 1, "0_3": 0, "4_6": 0, "7_12": 0, "13_18": 0, "unknown": 0}
    assert result["reasons"]["n"] == 0 and result["reasons"]["mentions"] == 0
    assert result["onward_referrals"]["n"] == 0
    assert result["gender"]["n"] == 0 and stats.percent(0, result["gender"]["n"]) is None


def test_an_unknown_hospital_is_refused(db_session):
    with pytest.raises(ServiceError):
        in_period(db_session, hospital_code="nowhere")


def test_percent_rounds_half_up_like_the_report():
    assert stats.percent(81, 93) == 87 and stats.percent(85, 93) == 91
    assert stats.percent(1, 8) == 13 and stats.percent(5, 200) == 3  # halves go up, not to even
    assert stats.percent(1, 3) == 33 and stats.percent(2, 3) == 67
    assert stats.percent(0, 5) == 0 and stats.percent(56, 56) == 100
    assert stats.percent(3, 0) is None


def utc(*parts: int) -> datetime:
    """An aware UTC datetime."""
    return datetime(*parts, tzinfo=timezone.utc)


# The period in Copenhagen: 1 April 2025 begins at 22:00 UTC the day before
# (summer time); 19 November 2025 at 23:00 UTC the day before (winter time).
INSIDE = (utc(2025, 3, 31, 22, 0), utc(2025, 11, 18, 22, 59, 59))
OUTSIDE = (utc(2025, 3, 31, 21, 59, 59), utc(2025, 11, 18, 23, 0))


def _dated(session, inquiry, created_at: datetime):
    """Put an inquiry at ``created_at``."""
    inquiry.created_at = created_at
    session.flush()
    return inquiry


@pytest.fixture
def inquiries(db_session, counsellor) -> None:
    """Sparring at Rigshospitalet, anonymous questions at rh, hgh and none,
    a contact request (hgh) and a referral (rh); some on either side of the period."""
    midwife = make_referrer(db_session, hospital_code="rh")
    questions = [_dated(db_session, sparring.ask(db_session, midwife, "Hvordan hjælper jeg en familie med gæld?"),
                        when) for when in (*INSIDE, *OUTSIDE)]
    asked = [_dated(db_session, make_inquiry(db_session, hospital_code=code)[0], INSIDE[1])
             for code in ("rh", "hgh", None)]
    _dated(db_session, make_inquiry(db_session, hospital_code="rh")[0], OUTSIDE[0])
    for inquiry in (asked[0], questions[0]):
        triage.answer(db_session, counsellor, triage.claim(db_session, counsellor, inquiry.id), "Her er et svar.")
    _dated(db_session, make_contact_request(db_session, hospital_code="hgh"), INSIDE[0])
    _dated(db_session, make_referral(db_session, midwife), INSIDE[1])
    _dated(db_session, make_referral(db_session, midwife), OUTSIDE[1])


@pytest.mark.usefixtures("inquiries")
def test_inquiries_are_counted_by_their_day_in_copenhagen(db_session):
    result = in_period(db_session)
    assert result["sparring"] == {"n": 2, "counts": {"answered": 1, "waiting": 1}}
    assert result["anonymous_questions"] == {"n": 3, "counts": {"answered": 1, "waiting": 2}}
    assert result["contact_requests"] == {"n": 2, "counts": {"self_referral": 1, "professional_referral": 1}}


@pytest.mark.usefixtures("inquiries")
def test_inquiries_at_one_hospital_are_those_that_named_it(db_session):
    rh, hgh = in_period(db_session, hospital_code="rh"), in_period(db_session, hospital_code="hgh")
    assert rh["sparring"]["n"] == 2 and hgh["sparring"]["n"] == 0
    assert rh["anonymous_questions"] == {"n": 1, "counts": {"answered": 1, "waiting": 0}}
    assert hgh["anonymous_questions"] == {"n": 1, "counts": {"answered": 0, "waiting": 1}}
    assert rh["contact_requests"]["counts"] == {"self_referral": 0, "professional_referral": 1}
    assert hgh["contact_requests"]["counts"] == {"self_referral": 1, "professional_referral": 0}


# --- many cases: the same statements, and the same figures as a recount ----

_SINGLE = {field: [code.value for code in codes] for field, codes in (
    ("gender", Gender), ("civil_status", CivilStatus), ("employment", Employment), ("income_source", IncomeSource),
    ("education", Education), ("heard_from", HeardFrom), ("channel", Channel), ("closure_reason", ClosureReason))}
_LISTS = {"reasons": ("contact_reasons", [code.value for code in ContactReason]),
          "onward_referrals": ("onward_referrals", [code.value for code in OnwardReferral])}
_AGE_BANDS = [band.value for band in AgeBand]
_CHILDREN = {"0_3": "children_0_3", "4_6": "children_4_6", "7_12": "children_7_12", "13_18": "children_13_18",
             "unknown": "children_unknown"}


def _column(rng: random.Random, values: list[Any], count: int, *, blank: float = 1 / 3) -> list[Any]:
    """``count`` random picks of ``values``, blank (None) with probability ``blank``."""
    return rng.choices([None, *values], weights=[blank * len(values) / (1 - blank), *[1] * len(values)], k=count)


def _lists(rng: random.Random, codes: list[str], count: int) -> list[list[str] | None]:
    """Blank (stored as JSON null), an empty list, or one to three codes, from a pool of invented lists."""
    pool = [[], *(rng.sample(codes, rng.randint(1, 3)) for _ in range(200))]
    return _column(rng, pool, count, blank=0.25)


def invented_cases(rng: random.Random, count: int, hospitals: list[int]) -> list[dict[str, Any]]:
    """``count`` invented cases over two years, as rows for one bulk insert (made column by column: fast)."""
    days = [date(2024, 12, 1) + timedelta(days=day) for day in range(730)]
    columns: dict[str, list[Any]] = {field: _column(rng, codes, count) for field, codes in _SINGLE.items()}
    columns.update({field: _lists(rng, codes, count) for field, codes in _LISTS.values()})
    columns.update({field: _column(rng, [0, 1, 2, 3], count, blank=0.5) for field in _CHILDREN.values()})
    columns.update(opened_on=rng.choices(days, k=count), hospital_id=_column(rng, hospitals, count, blank=0.1),
                   age_band=_column(rng, _AGE_BANDS, count, blank=0.6),
                   birth_year=_column(rng, list(range(1975, 2011)), count, blank=0.5),
                   pregnant_at_start=_column(rng, [True, False], count, blank=0.2))
    return [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def _band(age: int) -> str:
    return "under_20" if age < 20 else "20_29" if age < 30 else "30_39" if age < 40 else "40_plus"


def _tally(values: list[Any], codes: list[str]) -> dict[str, Any]:
    stated = [value for value in values if value is not None]
    return {"n": len(stated), "counts": {code: stated.count(code) for code in codes}}


def recount(rows: list[dict[str, Any]], first: date, last: date, hospitals: dict[int, str]) -> dict[str, Any]:
    """The case figures counted the slow way, in Python: what the SQL must agree with."""
    rows = [row for row in rows if first <= row["opened_on"] <= last]
    result: dict[str, Any] = {"users": len(rows), "by_hospital": {
        code: sum(row["hospital_id"] == hospital_id for row in rows) for hospital_id, code in hospitals.items()}}
    result.update({field: _tally([row[field] for row in rows], codes) for field, codes in _SINGLE.items()})
    ages = [row["age_band"] or (_band(row["opened_on"].year - row["birth_year"]) if row["birth_year"] else None)
            for row in rows]
    result["age_band"] = _tally(ages, _AGE_BANDS)
    result["pregnant"] = _tally([{True: "yes", False: "no"}.get(row["pregnant_at_start"]) for row in rows],
                                ["yes", "no"])
    result["children"] = {"n": sum(any(row[f] is not None for f in _CHILDREN.values()) for row in rows),
                          **{group: sum(row[f] or 0 for row in rows) for group, f in _CHILDREN.items()}}
    for key, (field, codes) in _LISTS.items():
        counts = {code: sum(code in (row[field] or ()) for row in rows) for code in codes}
        result[key] = {"n": sum(bool(row[field]) for row in rows), "counts": counts,
                       "mentions": sum(counts.values())}
    return result


def statements_counted() -> AbstractContextManager[list[str]]:
    """Record every SQL statement the app's engine is sent while inside."""
    return statements_sent(db.engine())


def test_statements_do_not_grow_with_the_cases(db_session):
    rng = random.Random(9)
    hospitals = {hospital_id: code for code, hospital_id in hospital_ids(db_session).items()}
    first, last = date(2025, 4, 1), date(2026, 3, 31)
    rows: list[dict[str, Any]] = []
    measured = []
    exported: list[int] = []
    for more in (100, 99_900):
        added = invented_cases(rng, more, list(hospitals))
        rows += added
        # One statement for them all: without render_nulls the ORM splits
        # the rows by which fields are blank.
        db_session.execute(insert(Case).execution_options(render_nulls=True), added)
        started = time.perf_counter()
        with statements_counted() as sent:
            result = stats.figures(db_session, date_from=first, date_to=last)
        measured.append((len(rows), len(sent), round(time.perf_counter() - started, 2)))
        # The export asks the same for all hospitals and for each one.
        with statements_counted() as export_sent:
            exports.sheets(db_session, date_from=first, date_to=last, keys=ALL_FIGURE_TITLES)
        exported.append(len(export_sent))
        expected = recount(rows, first, last, hospitals)
        assert {key: result[key] for key in expected} == expected
    print("cases, statements, seconds:", measured)
    assert measured[0][1] == measured[1][1] <= STATEMENT_BOUND, measured
    assert exported[0] == exported[1] <= (len(hospitals) + 2) * STATEMENT_BOUND, exported
