"""The case figures of stats.figures() against a recount in Python over a
few hundred invented cases (fixed seed), for periods short and long: a short
one goes through the opened_on index, a long one reads the whole table
(``+opened_on`` on SQLite); both must give the same figures as the recount,
for all hospitals and for one. Lists naming an unknown code, or a code
twice, count as the old per-element count did."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import insert

from portal.models import Case
from portal.services import stats
from tests.services.test_stats import hospital_ids, invented_cases, recount, statements_counted

PERIODS = [(date(2025, 1, 1), date(2025, 1, 31)),     # a month: the index
           (date(2025, 3, 1), date(2025, 8, 31)),     # a quarter of the span or so
           (date(2024, 12, 1), date(2026, 11, 30)),   # everything: the table
           (date(2020, 1, 1), date(2030, 12, 31))]    # wider than the data


@pytest.fixture
def invented(db_session) -> tuple[list[dict], dict[int, str]]:
    hospitals = {hospital_id: code for code, hospital_id in hospital_ids(db_session).items()}
    rows = invented_cases(random.Random(15), 400, list(hospitals))
    db_session.execute(insert(Case).execution_options(render_nulls=True), rows)
    return rows, hospitals


@pytest.mark.parametrize("period", PERIODS, ids=["month", "half_year", "all", "wider"])
def test_the_figures_equal_a_recount_in_python(db_session, invented, period):
    rows, hospitals = invented
    first, last = period
    result = stats.figures(db_session, date_from=first, date_to=last)
    expected = recount(rows, first, last, hospitals)
    assert {key: result[key] for key in expected} == expected
    for hospital_id, code in hospitals.items():
        at_one = stats.figures(db_session, date_from=first, date_to=last, hospital_code=code)
        mine = [row for row in rows if row["hospital_id"] == hospital_id]
        again = recount(mine, first, last, hospitals)
        assert {key: at_one[key] for key in again} == again


@pytest.mark.parametrize("bits", [9, 6], ids=["tight_slots", "overflowing_slots"])
@pytest.mark.parametrize("period", PERIODS[::2], ids=["month", "all"])
def test_packed_counts_with_narrow_slots_equal_the_recount(db_session, invented, monkeypatch, bits, period):
    """SQLite packs three codes' counts into one sum of 21-bit slots. With 9-bit
    slots (511) the 400 cases fill neighbouring slots without bleeding into
    each other; with 6-bit slots (63) the whole period overflows them and is
    counted again unpacked, a month still fits."""
    monkeypatch.setattr(stats, "_SLOT_BITS", bits)
    monkeypatch.setattr(stats, "_SLOT_MAX", (1 << bits) - 1)
    rows, hospitals = invented
    first, last = period
    result = stats.figures(db_session, date_from=first, date_to=last)
    expected = recount(rows, first, last, hospitals)
    assert {key: result[key] for key in expected} == expected


def test_the_whole_period_reads_the_table_and_a_month_the_index(db_session, invented):
    with statements_counted() as sent:
        stats.figures(db_session, date_from=date(2024, 12, 1), date_to=date(2026, 11, 30))
        wide_all = next(sql for sql in sent if "count(cases.id) AS" in sql)
    with statements_counted() as sent:
        stats.figures(db_session, date_from=date(2025, 1, 1), date_to=date(2025, 1, 31))
        wide_month = next(sql for sql in sent if "count(cases.id) AS" in sql)
    if db_session.get_bind().dialect.name == "sqlite":
        assert "(+ cases.opened_on) >=" in wide_all
    assert "+ cases.opened_on" not in wide_month


def test_unknown_and_repeated_codes_in_a_list(db_session):
    day = date(2025, 5, 5)
    db_session.execute(insert(Case).execution_options(render_nulls=True), [
        {"opened_on": day, "contact_reasons": ["economy", "economy", "housing"], "onward_referrals": ["nowhere"]},
        {"opened_on": day, "contact_reasons": ["not_a_code"], "onward_referrals": []},
        {"opened_on": day, "contact_reasons": None, "onward_referrals": ["other_org"]},
    ])
    result = stats.figures(db_session, date_from=day, date_to=day)
    assert result["reasons"]["n"] == 1
    assert (result["reasons"]["counts"]["economy"], result["reasons"]["counts"]["housing"]) == (1, 1)
    assert result["reasons"]["mentions"] == 2
    assert result["onward_referrals"]["n"] == 1
    assert result["onward_referrals"]["mentions"] == 1
