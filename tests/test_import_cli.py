"""`portal import-cases FILE.csv`: the command around the import service."""

from __future__ import annotations

from sqlalchemy import func, select

from portal import db
from portal.models import AuditEvent, Case
from tests.services.test_case_import import blank_row, crm_row, write_csv


def _counts(app) -> tuple[int, int]:
    """(cases, cases.import audit events), read in a fresh session."""
    with app.app_context():
        session = db.session()
        return (session.scalar(select(func.count()).select_from(Case)),
                session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "cases.import")))


def _one_line_error(result) -> str:
    """The whole output of a refused command: one line, no traceback."""
    assert result.exit_code != 0
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


def test_a_file_imports_and_is_committed_once_with_a_summary(app, tmp_path):
    path = write_csv(tmp_path / "crm.csv", [crm_row(), blank_row(), crm_row("crm-test-3")])
    result = app.test_cli_runner().invoke(args=["import-cases", str(path)])
    assert result.exit_code == 0, result.output
    # Not on a terminal the progress bar is just its label, on stderr; stdout is the summary.
    assert result.stdout == "Imported 3 cases (3 new, 0 updated, 0 unchanged).\n"
    assert "Checking 3 rows" in result.stderr and "Traceback" not in result.output
    assert _counts(app) == (3, 1)
    again = app.test_cli_runner().invoke(args=["import-cases", str(path)])
    assert again.stdout == "Imported 3 cases (0 new, 0 updated, 3 unchanged).\n"
    changed = write_csv(tmp_path / "later.csv", [crm_row(gender="male"), blank_row(), crm_row("crm-test-4")])
    later = app.test_cli_runner().invoke(args=["import-cases", str(changed)])
    assert later.stdout == "Imported 3 cases (1 new, 1 updated, 1 unchanged).\n"
    assert _counts(app) == (4, 3)


def test_a_bad_file_lists_every_problem_and_imports_nothing(app, tmp_path):
    rows = [crm_row("crm-test-1", hospital="xyz"), crm_row("crm-test-2"), crm_row("crm-test-3", closed_on="2025-02-30"),
            crm_row("crm-test-4", reasons="economy;lottery")]
    result = app.test_cli_runner().invoke(args=["import-cases", str(write_csv(tmp_path / "bad.csv", rows))])
    assert result.exit_code == 1 and result.stdout == "" and "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "Checking 4 rows"
    assert [line.split(":")[0] for line in lines[1:4]] == ["line 2, hospital", "line 4, closed_on", "line 5, reasons"]
    assert lines[4] == "Error: Nothing was imported: 3 problem(s) in the file."
    assert _counts(app) == (0, 0)


def test_a_missing_file_is_one_line(app, tmp_path):
    path = tmp_path / "nowhere.csv"
    result = app.test_cli_runner().invoke(args=["import-cases", str(path)])
    assert _one_line_error(result) == f"Error: Cannot read {path}: No such file or directory."


def test_a_file_that_is_not_utf8_is_one_line(app, tmp_path):
    path = write_csv(tmp_path / "latin1.csv", [crm_row(), blank_row(external_id="crm-test-Ø")], encoding="latin-1")
    result = app.test_cli_runner().invoke(args=["import-cases", str(path)])
    assert _one_line_error(result) == f"Error: {path} is not UTF-8 text (line 3); save it as 'CSV UTF-8'."
    assert _counts(app) == (0, 0)


def test_an_empty_file_or_a_bad_header_is_one_line_naming_the_columns(app, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    line = _one_line_error(app.test_cli_runner().invoke(args=["import-cases", str(empty)]))
    assert line.startswith(f"Error: {empty} is empty; it needs a header row with the columns external_id, opened_on")
    header = write_csv(tmp_path / "header.csv", [], columns=["external_id", "opened_on", "hospital", "notes"])
    line = _one_line_error(app.test_cli_runner().invoke(args=["import-cases", str(header)]))
    assert line.startswith("Error: Header row (line 1): missing columns: closed_on, channel, heard_from")
    assert "unknown columns: 'notes'" in line


def test_no_file_argument_is_a_usage_error(app):
    result = app.test_cli_runner().invoke(args=["import-cases"])
    assert result.exit_code == 2 and "FILE.csv" in result.output
