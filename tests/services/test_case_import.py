"""Importing cases from the old CRM's CSV export, called directly.

All data invented: external ids like ``crm-test-…``, no family anywhere."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.models import EVALUATION_FIELDS, AuditEvent, Case, Hospital
from portal.models.codes import ContactReason
from portal.services import case_import
from tests.factories import make_case, make_counsellor

COLUMNS = case_import.COLUMNS


def crm_row(external_id: str = "crm-test-1", **values: str) -> dict[str, str]:
    """One CRM export row with every column filled in (``values`` override)."""
    row = {
        "external_id": external_id, "opened_on": "2025-04-03", "closed_on": "2025-06-20", "hospital": "rh",
        "channel": "in_person_hospital", "heard_from": "midwife", "gender": "female", "age_band": "20_29",
        "birth_year": "1997", "pregnant": "yes", "children_0_3": "1", "children_4_6": "0", "children_7_12": "2",
        "children_13_18": "0", "children_unknown_age": "1", "civil_status": "single", "employment": "on_leave",
        "income_source": "parental_benefit", "education": "vocational", "reasons": "economy;housing",
        "closure_reason": "completed", "onward_referrals": "public_authority;local_association",
    }
    return {**row, **values}


def blank_row(external_id: str = "crm-test-2", **values: str) -> dict[str, str]:
    """A row with only what is required: every other field empty."""
    return {**{name: "" for name in COLUMNS}, "external_id": external_id, "opened_on": "2025-05-12",
            "hospital": "boh", **values}


def write_csv(path: Path, rows: list[dict[str, str]], *, columns=COLUMNS, newline: str = "\n",
              encoding: str = "utf-8") -> Path:
    """Write ``rows`` as a CSV file with a header row of ``columns``."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator=newline)
        writer.writeheader()
        writer.writerows(rows)
    return path


def import_file(db, path: Path) -> case_import.Plan:
    """Read, check and save a file, as the command does (without committing)."""
    return case_import.import_cases(db, case_import.read_csv(path))


def problems_of(db, path: Path) -> list[str]:
    """The problems a refused file is refused with, as the operator reads them."""
    with pytest.raises(case_import.ImportRefused) as refused:
        import_file(db, path)
    return [str(problem) for problem in refused.value.problems]


def case_count(db) -> int:
    return db.scalar(select(func.count()).select_from(Case))


def stored(db) -> dict[str, tuple]:
    """Every imported case as the database holds it, by external id."""
    db.expire_all()
    columns = [getattr(Case, name) for name in ("id", "version", "updated_at", *case_import.CASE_FIELDS)]
    return {row[0]: tuple(row[1:]) for row in db.execute(select(Case.external_id, *columns)
                                                         .where(Case.external_id.is_not(None)))}


def hospital_id(db, code: str) -> int:
    return db.scalar(select(Hospital.id).where(Hospital.code == code))


def test_a_good_file_imports_every_value(db_session, tmp_path):
    path = write_csv(tmp_path / "crm.csv", [crm_row(), blank_row()])
    plan = import_file(db_session, path)
    assert plan.summary() == "Imported 2 cases (2 new, 0 updated, 0 unchanged)."
    db_session.expire_all()
    full = db_session.scalars(select(Case).where(Case.external_id == "crm-test-1")).one()
    assert (full.inquiry_id, full.counsellor_id, full.hospital_id) == (None, None, hospital_id(db_session, "rh"))
    assert (full.opened_on, full.closed_on, full.closure_reason) == (date(2025, 4, 3), date(2025, 6, 20), "completed")
    assert (full.channel, full.heard_from, full.gender, full.age_band) == ("in_person_hospital", "midwife", "female",
                                                                            "20_29")
    assert (full.birth_year, full.pregnant_at_start) == (1997, True)
    assert (full.children_0_3, full.children_4_6, full.children_7_12, full.children_13_18,
            full.children_unknown) == (1, 0, 2, 0, 1)
    assert (full.civil_status, full.employment, full.income_source, full.education) == (
        "single", "on_leave", "parental_benefit", "vocational")
    assert full.contact_reasons == ["economy", "housing"]
    assert full.onward_referrals == ["public_authority", "local_association"]
    blank = db_session.scalars(select(Case).where(Case.external_id == "crm-test-2")).one()
    assert blank.hospital_id == hospital_id(db_session, "boh") and blank.opened_on == date(2025, 5, 12)
    assert all(getattr(blank, name) is None for name in EVALUATION_FIELDS if name != "hospital_id")
    events = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "cases.import")).all()
    assert [(e.user_id, e.object_type, e.object_id) for e in events] == [(None, "case", None)]


def test_pregnant_no_is_false_and_code_lists_are_cleaned(db_session, tmp_path):
    path = write_csv(tmp_path / "crm.csv", [crm_row(pregnant="no", reasons=" housing ; economy;;housing ",
                                                    onward_referrals="barselshus;")])
    import_file(db_session, path)
    case = db_session.scalars(select(Case)).one()
    assert case.pregnant_at_start is False
    assert case.contact_reasons == ["housing", "economy"] and case.onward_referrals == ["barselshus"]


def test_importing_the_same_file_again_changes_nothing(db_session, tmp_path):
    path = write_csv(tmp_path / "crm.csv", [crm_row(), blank_row(), crm_row("crm-test-3", hospital="hgh")])
    import_file(db_session, path)
    before = stored(db_session)
    assert import_file(db_session, path).summary() == "Imported 3 cases (0 new, 0 updated, 3 unchanged)."
    assert stored(db_session) == before and case_count(db_session) == 3


def test_a_re_import_with_other_values_updates_only_those_cases(db_session, tmp_path):
    """The CRM is the source while it is in use: a later export's values win."""
    portal_case = make_case(db_session, make_counsellor(db_session))
    import_file(db_session, write_csv(tmp_path / "first.csv", [crm_row(), blank_row(), crm_row("crm-test-3")]))
    before = stored(db_session)
    later = [crm_row(), blank_row(closed_on="2025-07-01", closure_reason="no_contact", reasons="grief")]
    plan = import_file(db_session, write_csv(tmp_path / "later.csv", later))
    assert plan.summary() == "Imported 2 cases (0 new, 1 updated, 1 unchanged)."
    after = stored(db_session)
    assert after["crm-test-1"] == before["crm-test-1"] and after["crm-test-3"] == before["crm-test-3"]
    changed = db_session.scalars(select(Case).where(Case.external_id == "crm-test-2")).one()
    assert (changed.closed_on, changed.closure_reason, changed.contact_reasons) == (
        date(2025, 7, 1), "no_contact", ["grief"])
    assert changed.version == before["crm-test-2"][1] + 1  # an open edit form sees it changed
    assert db_session.get(Case, portal_case.id).version == 1 and case_count(db_session) == 4


def test_three_bad_rows_are_refused_naming_each_row_and_column(db_session, tmp_path):
    import_file(db_session, write_csv(tmp_path / "first.csv", [crm_row("crm-test-old")]))
    before = stored(db_session)
    rows = [crm_row("crm-test-1", hospital="xyz"), crm_row("crm-test-2"), crm_row("crm-test-3", opened_on="2025-13-01"),
            crm_row("crm-test-4", reasons="economy;lottery"), crm_row("crm-test-old", gender="male")]
    problems = problems_of(db_session, write_csv(tmp_path / "bad.csv", rows))
    assert problems == [
        "line 2, hospital: unknown hospital code 'xyz'; known codes: ahh, boh, hgh, nsh, rh",
        "line 4, opened_on: '2025-13-01' is not a real date",
        "line 5, reasons: unknown code 'lottery'; valid codes: " + ", ".join(ContactReason),
    ]
    assert stored(db_session) == before and case_count(db_session) == 1


FUTURE = (date.today() + timedelta(days=1)).isoformat()
NEXT_YEAR = str(date.today().year + 1)


@pytest.mark.parametrize("values, column, message", [
    ({"external_id": ""}, "external_id", "is required"),
    ({"external_id": "x" * 65}, "external_id", "is longer than 64 characters"),
    ({"opened_on": ""}, "opened_on", "is required"),
    ({"hospital": ""}, "hospital", "is required"),
    ({"hospital": "RH"}, "hospital", "unknown hospital code 'RH'"),
    ({"opened_on": "03-04-2025"}, "opened_on", "'03-04-2025' is not a date as YYYY-MM-DD"),
    ({"opened_on": "20250403"}, "opened_on", "'20250403' is not a date as YYYY-MM-DD"),
    ({"closed_on": "2025-02-29"}, "closed_on", "'2025-02-29' is not a real date"),
    ({"opened_on": FUTURE, "closed_on": "", "closure_reason": ""}, "opened_on", f"{FUTURE} is in the future"),
    ({"closed_on": "2025-04-02"}, "closed_on", "2025-04-02 is before opened_on 2025-04-03"),
    ({"closure_reason": ""}, "closure_reason", "a closed case needs both closed_on and closure_reason"),
    ({"closed_on": ""}, "closed_on", "a closed case needs both closed_on and closure_reason"),
    ({"closure_reason": "finished"}, "closure_reason", "unknown code 'finished'; valid codes: completed, dropped_out"),
    ({"channel": "letter"}, "channel", "unknown code 'letter'; valid codes: in_person_hospital, in_person_mh, phone"),
    ({"heard_from": "tv"}, "heard_from", "unknown code 'tv'"),
    ({"channel": "in person"}, "channel", "unknown code 'in person'; valid codes:"),
    ({"gender": "kvinde"}, "gender", "unknown code 'kvinde'; valid codes: female, male, other"),
    ({"age_band": "20-29"}, "age_band", "unknown code '20-29'"),
    ({"civil_status": "gift"}, "civil_status", "unknown code 'gift'"),
    ({"employment": "job"}, "employment", "unknown code 'job'"),
    ({"income_source": "su"}, "income_source", "unknown code 'su'"),
    ({"education": "phd"}, "education", "unknown code 'phd'"),
    ({"onward_referrals": "other_org;moon"}, "onward_referrals", "unknown code 'moon'; valid codes: public_authority"),
    ({"reasons": "rent;economy;fun"}, "reasons", "unknown code 'rent', 'fun'"),
    ({"pregnant": "ja"}, "pregnant", "'ja' is not yes, no or empty"),
    ({"birth_year": "1939"}, "birth_year", "1939 is not between 1940 and"),
    ({"birth_year": NEXT_YEAR}, "birth_year", f"{NEXT_YEAR} is not between 1940 and"),
    ({"birth_year": "19x7"}, "birth_year", "'19x7' is not a whole number"),
    ({"children_0_3": "21"}, "children_0_3", "21 is not between 0 and 20"),
    ({"children_4_6": "-1"}, "children_4_6", "'-1' is not a whole number"),
    ({"children_unknown_age": "1.5"}, "children_unknown_age", "'1.5' is not a whole number"),
])
def test_each_kind_of_bad_value_is_named(db_session, tmp_path, values, column, message):
    problems = problems_of(db_session, write_csv(tmp_path / "bad.csv", [crm_row("crm-test-ok"), crm_row(**values)]))
    assert len(problems) == 1 and problems[0].startswith(f"line 3, {column}: {message}"), problems
    assert case_count(db_session) == 0


def test_every_problem_of_a_row_is_listed(db_session, tmp_path):
    problems = problems_of(db_session, write_csv(tmp_path / "bad.csv", [crm_row(gender="x", birth_year="1800",
                                                                                closed_on="")]))
    assert [problem.split(":")[0] for problem in problems] == ["line 2, gender", "line 2, birth_year",
                                                               "line 2, closed_on"]


def test_an_external_id_twice_in_the_file_is_refused(db_session, tmp_path):
    rows = [crm_row("crm-test-1"), crm_row("crm-test-2"), crm_row("crm-test-1", gender="male")]
    assert problems_of(db_session, write_csv(tmp_path / "twice.csv", rows)) == [
        "line 4, external_id: 'crm-test-1' is also on line 2"]


def test_a_row_with_too_few_or_too_many_values_is_refused(db_session, tmp_path):
    lines = [",".join(COLUMNS), ",".join(crm_row().values()), "crm-test-2,2025-05-01,,rh",
             ",".join(crm_row("crm-test-3").values()) + ",extra"]
    path = tmp_path / "ragged.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert problems_of(db_session, path) == ["line 3, (row): has 4 values; the header has 22",
                                             "line 4, (row): has 23 values; the header has 22"]


def test_line_numbers_are_the_files_lines(db_session, tmp_path):
    """Blank lines are skipped but counted; a quoted value may span lines."""
    lines = [",".join(COLUMNS), "", ",".join(crm_row().values()).replace("economy;housing", '"economy;\nhousing"'),
             ",".join(crm_row("crm-test-2", gender="x").values()), ""]
    path = tmp_path / "lines.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert problems_of(db_session, path) == ["line 5, gender: unknown code 'x'; valid codes: female, male, other"]


def test_bom_crlf_any_column_order_and_spaces_are_accepted(db_session, tmp_path):
    columns = tuple(reversed(COLUMNS))
    path = write_csv(tmp_path / "excel.csv", [crm_row(hospital=" hgh ", gender=" male "), blank_row()],
                     columns=columns, newline="\r\n", encoding="utf-8-sig")
    path.write_bytes(path.read_bytes().replace(b"external_id", b" External_ID ", 1))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" in path.read_bytes()
    assert import_file(db_session, path).summary() == "Imported 2 cases (2 new, 0 updated, 0 unchanged)."
    case = db_session.scalars(select(Case).where(Case.external_id == "crm-test-1")).one()
    assert (case.hospital_id, case.gender) == (hospital_id(db_session, "hgh"), "male")


@pytest.mark.parametrize("columns, fragment", [
    ([name for name in COLUMNS if name not in ("gender", "reasons")], "missing columns: gender, reasons."),
    ([*COLUMNS, "cpr"], "unknown columns: 'cpr'."),
    ([*COLUMNS, "gender"], "columns given twice: gender."),
])
def test_a_missing_unknown_or_doubled_column_is_named(db_session, tmp_path, columns, fragment):
    path = tmp_path / "header.csv"
    path.write_text(",".join(columns) + "\n" + ",".join("" for _ in columns) + "\n", encoding="utf-8")
    with pytest.raises(case_import.ImportRefused) as refused:
        case_import.read_csv(path)
    assert refused.value.message.startswith("Header row (line 1): ") and fragment in refused.value.message
    assert refused.value.message.endswith("Expected: " + ", ".join(COLUMNS) + ".")


@pytest.mark.parametrize("content, fragment", [
    (b"", "is empty; it needs a header row with the columns external_id, opened_on"),
    (b"\xef\xbb\xbf \r\n\r\n", "is empty"),
    (",".join(COLUMNS).encode() + b"\ncrm-test-1,2025-04-03,,rh,,,,,,,,,,,,,,,,S\xf8ster,,\n",
     "is not UTF-8 text (line 2); save it as 'CSV UTF-8'."),
    (";".join(COLUMNS).encode() + b"\n", "separated by ';'"),
    (",".join(COLUMNS).encode() + b"\ncrm-test-1,\"" + b"x" * 200_000 + b"\"\n",
     "Line 2 is not valid CSV: field larger than field limit (131072)."),
])
def test_a_file_that_is_no_crm_export_is_refused_in_one_line(tmp_path, content, fragment):
    path = tmp_path / "odd.csv"
    path.write_bytes(content)
    with pytest.raises(case_import.ImportRefused) as refused:
        case_import.read_csv(path)
    assert fragment in refused.value.message and "\n" not in refused.value.message
    assert refused.value.problems == []


def test_a_missing_or_unreadable_file_is_refused(tmp_path):
    for path, reason in ((tmp_path / "nowhere.csv", "No such file or directory"), (tmp_path, "Is a directory")):
        with pytest.raises(case_import.ImportRefused) as refused:
            case_import.read_csv(path)
        assert refused.value.message == f"Cannot read {path}: {reason}."


def test_a_header_only_file_imports_nothing(db_session, tmp_path):
    assert import_file(db_session, write_csv(tmp_path / "empty.csv", [])).summary() == (
        "Imported 0 cases (0 new, 0 updated, 0 unchanged).")


def test_the_service_never_commits(db_session, tmp_path):
    import_file(db_session, write_csv(tmp_path / "crm.csv", [crm_row()]))
    db_session.rollback()
    assert case_count(db_session) == 0


def test_twenty_thousand_rows_import_in_bulk(db_session, tmp_path):
    hospitals = ("rh", "hgh", "nsh", "ahh", "boh")
    rows = [crm_row(f"crm-test-{n}", hospital=hospitals[n % 5], birth_year=str(1960 + n % 45),
                    children_7_12=str(n % 4)) if n % 3 else blank_row(f"crm-test-{n}") for n in range(20_000)]
    path = write_csv(tmp_path / "big.csv", rows)
    progress: list[int] = []
    plan = case_import.check(db_session, case_import.read_csv(path), progress=progress.append)
    case_import.save(db_session, plan, progress=progress.append)
    assert plan.summary() == "Imported 20000 cases (20000 new, 0 updated, 0 unchanged)."
    assert sum(progress) == 40_000 and len(progress) < 50  # checked and saved in chunks
    assert case_count(db_session) == 20_000
    assert db_session.scalar(select(func.sum(Case.children_7_12))) == sum(n % 4 for n in range(20_000) if n % 3)
