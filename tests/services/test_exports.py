"""The export for the steering group and the evaluator: no count from 1 to
4 is published, and no total lets a reader solve for a hidden cell; the
case-level data set holds evaluation fields only, months not days."""

from __future__ import annotations

import csv
import io
import random
import re
from datetime import date, timedelta

import openpyxl
import pytest
from sqlalchemy import select

from portal.blueprints.staff.exports import figures_csv, figures_xlsx, labelled_sheets
from portal.models import Case, CaseNote, Hospital, SurveyResponse
from portal.models.codes import AgeBand, ClosureReason, ContactReason, Gender, HeardFrom, OnwardReferral
from portal.services import exports, figure_tables, stats, surveys
from portal.vocab.staff import ALL_FIGURE_TITLES
from tests.solver import recovered

PERIOD = (date(2026, 1, 1), date(2026, 6, 30))


def _some(rng: random.Random, codes, blank: float = 0.3):
    """A code from the list (skewed: rare codes are rare), or None."""
    if rng.random() < blank:
        return None
    values = [code.value for code in codes]
    return rng.choices(values, weights=[2 ** -i for i in range(len(values))])[0]


@pytest.fixture
def many(db_session) -> int:
    """300 cases with skewed, often blank fields at every hospital and at none."""
    rng = random.Random(9)
    hospital_ids = list(db_session.scalars(select(Hospital.id))) + [None]
    for i in range(300):
        opened = PERIOD[0] + timedelta(days=rng.randint(-30, 200))
        db_session.add(Case(
            opened_on=opened, hospital_id=rng.choices(hospital_ids, weights=[30, 20, 10, 5, 2, 1])[0],
            gender=_some(rng, Gender), age_band=_some(rng, AgeBand), heard_from=_some(rng, HeardFrom),
            pregnant_at_start=rng.choice([True, False, None]), children_0_3=rng.choice([None, 0, 1, 2]),
            children_13_18=rng.choice([None, None, 1]),
            contact_reasons=sorted({_some(rng, ContactReason, 0) for _ in range(rng.randint(0, 3))}) or None,
            onward_referrals=sorted({_some(rng, OnwardReferral, 0) for _ in range(rng.randint(0, 2))}) or None,
            closure_reason=_some(rng, ClosureReason, 0.5), closed_on=opened + timedelta(days=40),
            external_id=f"R{i:03d}"))
    likert = ["strongly_agree", "agree", "neutral", "disagree", "strongly_disagree"]
    for kind, questions in surveys.QUESTIONS.items():
        for _ in range(60):  # answers at every hospital, a few questions left out
            answers = {q: rng.choices(likert, weights=[8, 5, 2, 1, 1])[0] for q in questions if rng.random() < 0.8}
            db_session.add(SurveyResponse(kind=kind, hospital_id=rng.choice(hospital_ids), language="da",
                                          month=f"2026-0{rng.randint(1, 6)}", answers=answers))
    db_session.commit()
    return sum(PERIOD[0] <= case.opened_on <= PERIOD[1] for case in db_session.scalars(select(Case)))


def _blocks(text: str) -> dict[str, list[list[str]]]:
    """The CSV's blocks by title: the data rows (code, label, cells...) under the heading row."""
    lines = list(csv.reader(io.StringIO(text)))
    blocks: dict[str, list[list[str]]] = {}
    for i, line in enumerate(lines):
        if line == [] and i + 2 < len(lines):
            title, rows = lines[i + 1][0], []
            for row in lines[i + 3:]:
                if not row:
                    break
                rows.append(row)
            blocks[title] = rows
    return blocks


def _published(rows: list[list[str]]) -> list[list[int | str]]:
    return [[int(v) if v.isdigit() else v for v in row[2:]] for row in rows]


def _reader_lines(shown: list[list[int | str]], *, columns_add_up: bool, has_n: bool):
    """What a reader checks: each row adds up to its last cell ("All"); in a
    figure where each case has one answer, each column adds up to n too."""
    width = len(shown[0])
    lines = [[(i, j) for j in range(width)] for i in range(len(shown))]
    if columns_add_up and has_n:
        lines += [[(i, j) for i in range(len(shown))] for j in range(width)]
    return lines


def test_no_small_count_is_published_and_none_can_be_solved_for(db_session, many):
    text = figures_csv(db_session, date_from=PERIOD[0], date_to=PERIOD[1])
    blocks = _blocks(text)
    titled = {sheet.key: title for sheet, title, _rows, _columns in labelled_sheets(db_session, *PERIOD)}
    left_out = (figure_tables.DERIVED | figure_tables.DASHBOARD_ONLY) & set(ALL_FIGURE_TITLES)
    assert len(blocks) == len(titled) == len(ALL_FIGURE_TITLES) - len(left_out)
    hidden = 0
    for key, title in titled.items():
        shown = _published(blocks[title])
        numbers = [v for row in shown for v in row if isinstance(v, int)]
        assert not [v for v in numbers if 1 <= v <= 4], key
        assert all(v in ("<5", "x") for row in shown for v in row if isinstance(v, str)), key
        lines = _reader_lines(shown, columns_add_up=key not in figure_tables.MULTI_VALUED,
                              has_n=key != "by_hospital")
        assert recovered(shown, lines) == [], key
        hidden += sum(v == "<5" for row in shown for v in row)
    assert hidden > 20  # the data set has small numbers to hide
    assert titled["family:helped"] in blocks and titled["staff:easy_to_refer"] in blocks  # both surveys
    # The totals are true, where shown: cases per hospital add up to the users of the period.
    assert _published(blocks[titled["by_hospital"]])[0][-1] == many


def test_visible_numbers_are_the_exact_figures(db_session, many):
    figures = stats.figures(db_session, date_from=PERIOD[0], date_to=PERIOD[1])
    gender, = exports.sheets(db_session, date_from=PERIOD[0], date_to=PERIOD[1], keys=["gender"])
    assert gender.rows == ["female", "male", "other", "n"]
    assert gender.columns == ["rh", "hgh", "nsh", "ahh", "boh", "none", "all"]
    n_all = gender.cells[-1][-1]
    assert n_all == figures["gender"]["n"]
    assert gender.cells[0][-1] == figures["gender"]["counts"]["female"]


def test_the_workbook_has_a_sheet_per_figure_with_the_same_cells(db_session, many):
    book = openpyxl.load_workbook(io.BytesIO(figures_xlsx(db_session, date_from=PERIOD[0], date_to=PERIOD[1])))
    sheets = exports.sheets(db_session, date_from=PERIOD[0], date_to=PERIOD[1], keys=ALL_FIGURE_TITLES)
    assert book.sheetnames[1:] == [sheet.key.replace(":", "-") for sheet in sheets]
    assert "spor2" not in book.sheetnames and "gender" in book.sheetnames
    for sheet in sheets:
        page = book[sheet.key.replace(":", "-")]
        cells = [list(row)[2:] for row in page.iter_rows(min_row=4, values_only=True)]
        assert cells == sheet.cells, sheet.key
        # Nothing in a sheet is a formula that adds up what was hidden.
        assert not any(isinstance(v, str) and v.startswith("=") for row in cells for v in row)


def test_a_hospital_name_cannot_become_a_formula(db_session):
    hospitals = Hospital.__table__
    name = db_session.scalar(select(hospitals.c.name).where(hospitals.c.code == "rh"))
    db_session.execute(hospitals.update().where(hospitals.c.code == "rh").values(name="=HYPERLINK(\"x\")"))
    try:
        text = figures_csv(db_session, date_from=PERIOD[0], date_to=PERIOD[1])
        assert ",=HYPERLINK" not in text and "'=HYPERLINK" in text
    finally:
        # The hospitals are the migrations' own rows: on PostgreSQL they outlive the test.
        db_session.rollback()
        assert db_session.scalar(select(hospitals.c.name).where(hospitals.c.code == "rh")) == name


def test_the_case_data_set_has_months_not_days_and_nothing_else(db_session, many):
    case = db_session.scalars(select(Case).where(Case.opened_on >= PERIOD[0])).first()
    db_session.add(CaseNote(case_id=case.id, noted_on=PERIOD[0], body="Noten må ikke komme med"))
    db_session.commit()
    text = exports.cases_csv(db_session, date_from=PERIOD[0], date_to=PERIOD[1])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == many
    assert tuple(rows[0]) == exports.CASE_COLUMNS
    assert "Noten" not in text and "R0" not in text  # no notes, no CRM ids
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # no date finer than the month
    assert all(re.fullmatch(r"\d{4}-\d{2}", row["opened_month"]) for row in rows)
    assert rows == sorted(rows, key=lambda row: list(row.values()))  # the order tells nothing
