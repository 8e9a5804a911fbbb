"""The wide aggregate of stats.figures() read in parts by case id, side by
side on connections of their own (SQLite, a long period, many cases): the
figures are those of one statement and of a recount in Python; a session
that has written cases the other connections cannot see yet is counted on
its own connection, with what it wrote; and ``db.has_written`` tells the
two apart."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import insert, update

from portal import db
from portal.models import Case
from portal.services import stats, stats_scan
from tests.services.test_stats import hospital_ids, invented_cases, recount, statements_counted

WHOLE = (date(2024, 12, 1), date(2026, 11, 30))
MONTH = (date(2025, 1, 1), date(2025, 1, 31))


def sqlite_only(session) -> None:
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("PostgreSQL's planner reads in parallel by itself: no parts")


@pytest.fixture
def in_parts(monkeypatch):
    """Parts from the first case on, three of them whatever the machine."""
    monkeypatch.setattr(stats_scan, "PARALLEL_FROM", 1)
    monkeypatch.setattr(stats_scan, "cpus", lambda: 3)


@pytest.fixture
def committed(db_session) -> tuple[list[dict], dict[int, str]]:
    hospitals = {hospital_id: code for code, hospital_id in hospital_ids(db_session).items()}
    rows = invented_cases(random.Random(21), 500, list(hospitals))
    db_session.execute(insert(Case).execution_options(render_nulls=True), rows)
    db_session.commit()
    return rows, hospitals


def wide_statements(sent: list[str]) -> list[str]:
    return [sql for sql in sent if "count(cases.id) AS" in sql]


def test_parts_give_the_figures_of_one_statement(db_session, committed, in_parts, monkeypatch):
    sqlite_only(db_session)
    rows, hospitals = committed
    with statements_counted() as sent:
        parted = stats.figures(db_session, date_from=WHOLE[0], date_to=WHOLE[1])
    wide = wide_statements(sent)
    assert len(wide) == 3 and all("cases.id >=" in sql and "cases.id <" in sql for sql in wide)
    db_session.rollback()
    monkeypatch.setattr(stats_scan, "PARALLEL_FROM", 10**9)
    with statements_counted() as sent:
        whole = stats.figures(db_session, date_from=WHOLE[0], date_to=WHOLE[1])
    assert [("cases.id >=" in sql) for sql in wide_statements(sent)] == [False]
    assert parted == whole
    expected = recount(rows, *WHOLE, hospitals)
    assert {key: parted[key] for key in expected} == expected


def test_parts_at_one_hospital_and_with_overflowing_slots(db_session, committed, in_parts, monkeypatch):
    """Packed slots too narrow for the period are counted again, unpacked, in parts too."""
    sqlite_only(db_session)
    rows, hospitals = committed
    monkeypatch.setattr(stats, "_SLOT_BITS", 6)
    monkeypatch.setattr(stats, "_SLOT_MAX", (1 << 6) - 1)
    for hospital_id, code in list(hospitals.items())[:2]:
        with statements_counted() as sent:
            result = stats.figures(db_session, date_from=WHOLE[0], date_to=WHOLE[1], hospital_code=code)
        assert len(wide_statements(sent)) == 6  # packed, then unpacked, in three parts each
        expected = recount([row for row in rows if row["hospital_id"] == hospital_id], *WHOLE, hospitals)
        assert {key: result[key] for key in expected} == expected
        db_session.rollback()


def test_a_short_period_is_one_statement_through_the_index(db_session, committed, in_parts):
    with statements_counted() as sent:
        stats.figures(db_session, date_from=MONTH[0], date_to=MONTH[1])
    assert [("cases.id >=" in sql) for sql in wide_statements(sent)] == [False]


def test_what_the_session_wrote_is_counted_on_its_own_connection(db_session, committed, in_parts):
    """Rows the session has inserted or changed, not yet committed, are not
    there for another connection: the statistics then read on the session."""
    rows, hospitals = committed
    before = stats.figures(db_session, date_from=WHOLE[0], date_to=WHOLE[1])["users"]
    db_session.rollback()
    more = invented_cases(random.Random(22), 40, list(hospitals))
    db_session.execute(insert(Case).execution_options(render_nulls=True), more)
    with statements_counted() as sent:
        result = stats.figures(db_session, date_from=WHOLE[0], date_to=WHOLE[1])
    assert [("cases.id >=" in sql) for sql in wide_statements(sent)] == [False]
    assert result["users"] == before + sum(1 for row in more if WHOLE[0] <= row["opened_on"] <= WHOLE[1])
    expected = recount(rows + more, *WHOLE, hospitals)
    assert {key: result[key] for key in expected} == expected


def test_has_written_counts_the_rows_changed_since_begin(db_session, committed):
    sqlite_only(db_session)
    db_session.rollback()
    assert db.has_written(db_session) is False
    db_session.execute(Case.__table__.select().limit(1)).all()
    assert db.has_written(db_session) is False
    db_session.execute(update(Case).where(Case.id == -1).values(gender="male"))  # no row matched
    assert db.has_written(db_session) is False
    db_session.execute(update(Case).where(Case.id == db_session.scalar(Case.__table__.select().with_only_columns(
        Case.id).limit(1))).values(gender="male"))
    assert db.has_written(db_session) is True
    db_session.commit()
    assert db.has_written(db_session) is False


def test_an_in_memory_database_is_never_read_in_parts(in_parts):
    """Its one shared connection (StaticPool) is the session's: a part would roll its transaction back."""
    from sqlalchemy.orm import Session

    memory = Session(db.make_engine("sqlite://"))
    try:
        assert stats_scan.parts(memory, 1, 1_000_000) == []
    finally:
        memory.close()


def test_a_second_statistic_meanwhile_reads_on_its_session(db_session, committed, in_parts):
    """While one statistic is read in parts, another in the process reads on
    its own session, rather than wait for the pool beside it."""
    sqlite_only(db_session)
    rows, hospitals = committed
    assert stats_scan._PARTED.acquire(blocking=False)
    try:
        with statements_counted() as sent:
            result = stats.figures(db_session, date_from=WHOLE[0], date_to=WHOLE[1])
    finally:
        stats_scan._PARTED.release()
    assert [("cases.id >=" in sql) for sql in wide_statements(sent)] == [False]
    expected = recount(rows, *WHOLE, hospitals)
    assert {key: result[key] for key in expected} == expected
    db_session.rollback()
    with statements_counted() as sent:  # and once it has ended, parts again
        stats.figures(db_session, date_from=WHOLE[0], date_to=WHOLE[1])
    assert len(wide_statements(sent)) == 3


@pytest.mark.parametrize("parted", [False, True], ids=["one_statement", "parts"])
def test_a_packed_sum_past_64_bits_is_counted_again_unpacked(db_session, committed, monkeypatch, parted):
    """With 30-bit slots the third code's count starts at bit 60: a few cases
    overflow SQLite's 64-bit sum before the count of cases says the slots are
    too narrow (as 2**21 cases would with the real 21-bit slots)."""
    sqlite_only(db_session)
    rows, hospitals = committed
    monkeypatch.setattr(stats, "_SLOT_BITS", 30)
    monkeypatch.setattr(stats, "_SLOT_MAX", (1 << 30) - 1)
    if parted:
        monkeypatch.setattr(stats_scan, "PARALLEL_FROM", 1)
        monkeypatch.setattr(stats_scan, "cpus", lambda: 3)
    result = stats.figures(db_session, date_from=WHOLE[0], date_to=WHOLE[1])
    expected = recount(rows, *WHOLE, hospitals)
    assert {key: result[key] for key in expected} == expected
