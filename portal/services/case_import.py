"""Import cases from the old CRM's CSV export (``portal import-cases``).

All or nothing: every row is checked first, and one bad field refuses the
whole file with every problem listed (CSV line number, header = line 1,
and column). Cases are matched by ``external_id``, the CRM's id. A case
already imported with identical values is left as it is (not even its
version changes). With different values the case is *updated*: the CRM is
the source while it is in use, so a later export (a case closed since, a
reason added, a typo corrected) must arrive, and the summary line says how
many changed; refusing would leave the portal's figures behind, to be
fixed by hand. Cases missing from the file and cases opened in the portal
(no external_id) are never touched. Imported cases have no inquiry and no
counsellor. The service never commits; the caller commits once."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, Text, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal import limits
from portal.models import EVALUATION_FIELDS, Case, Hospital
from portal.models.base import utcnow
from portal.services import ServiceError, audit
from portal.services.case_values import COLUMNS, STEPS, Bad

# The Case columns an import writes (and compares on a re-import).
CASE_FIELDS = ("opened_on", *EVALUATION_FIELDS)
EXTERNAL_ID_MAX = limits.EXTERNAL_ID_MAX
_CHUNK = 2000  # rows per bulk statement (and per progress step)
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Problem:
    """One refused field: where it is and why."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.message}"


class ImportRefused(ServiceError):
    """The file is refused as a whole (operator English, no translation); nothing is imported."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()):
        super().__init__(message)
        self.problems = list(problems)


@dataclass(frozen=True)
class Row:
    """One data row: its first CSV line, its stripped values, how many it had."""

    line: int
    values: dict[str, str]
    width: int


@dataclass
class Plan:
    """What a checked file does: rows to insert, rows to update, rows left alone."""

    new: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        """The operator's last line: "Imported 120 cases (118 new, 2 updated, 0 unchanged)."."""
        total = len(self.new) + len(self.changed) + self.unchanged
        return (f"Imported {total} {'case' if total == 1 else 'cases'} ({len(self.new)} new, "
                f"{len(self.changed)} updated, {self.unchanged} unchanged).")


# --- reading the file -----------------------------------------------------

def read_csv(path: Path) -> list[Row]:
    """The data rows of a UTF-8 CSV file (BOM and CRLF accepted), header checked."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ImportRefused(f"Cannot read {path}: {err.strerror or err}.") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise ImportRefused(f"{path} is not UTF-8 text (line {line}); save it as 'CSV UTF-8'.") from None
    if not text.strip():
        raise ImportRefused(f"{path} is empty; it needs a header row with the columns {', '.join(COLUMNS)}.")
    return parse(text)


def parse(text: str) -> list[Row]:
    """The data rows of CSV text, each with the line it starts on; blank lines are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[Row] = []
    try:
        header = [name.strip().lower() for name in next(reader)]
        _check_header(header)
        start = reader.line_num + 1
        for fields in reader:
            values = [value.strip() for value in fields]
            if any(values):
                rows.append(Row(start, dict(zip(header, values, strict=False)), len(values)))
            start = reader.line_num + 1
    except csv.Error as err:
        raise ImportRefused(f"Line {reader.line_num} is not valid CSV: {err}.") from None
    return rows


def _check_header(header: list[str]) -> None:
    """Every column once, in any order, and no other."""
    if len(header) == 1 and ";" in header[0]:
        raise ImportRefused("The header row is separated by ';': save the file with ',' between the columns.")
    missing = [name for name in COLUMNS if name not in header]
    unknown = [repr(name) for name in header if name not in COLUMNS]
    doubled = sorted({name for name in header if header.count(name) > 1})
    parts = [f"{label}: {', '.join(names)}" for label, names in
             (("missing columns", missing), ("unknown columns", unknown), ("columns given twice", doubled)) if names]
    if parts:
        raise ImportRefused(f"Header row (line 1): {'; '.join(parts)}. Expected: {', '.join(COLUMNS)}.")


def _convert(row: Row, hospitals: dict[str, int]) -> tuple[dict[str, Any], list[Problem]]:
    """A row's Case values, and the problems found in it."""
    if row.width != len(COLUMNS):
        return {}, [Problem(row.line, "(row)", f"has {row.width} values; the header has {len(COLUMNS)}")]
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for column, attribute, convert in STEPS:
        try:
            values[attribute] = convert(row.values[column])
        except Bad as bad:
            problems.append(Problem(row.line, column, str(bad)))
    values["hospital_id"] = hospitals.get(row.values["hospital"])
    if values["hospital_id"] is None and row.values["hospital"]:
        known = ", ".join(sorted(hospitals))
        problems.append(Problem(row.line, "hospital", f"unknown hospital code {row.values['hospital']!r}; "
                                                      f"known codes: {known}"))
    return values, problems + _check_together(row, values)


def _check_together(row: Row, values: dict[str, Any]) -> list[Problem]:
    """The rules between fields: required fields, a closure as a pair, in order."""
    problems = [Problem(row.line, column, "is required") for column in ("external_id", "opened_on", "hospital")
                if not row.values[column]]
    if len(row.values["external_id"]) > EXTERNAL_ID_MAX:
        problems.append(Problem(row.line, "external_id", f"is longer than {EXTERNAL_ID_MAX} characters"))
    opened, closed = values.get("opened_on"), values.get("closed_on")
    if opened and closed and closed < opened:
        problems.append(Problem(row.line, "closed_on", f"{closed} is before opened_on {opened}"))
    if bool(row.values["closed_on"]) != bool(row.values["closure_reason"]):
        missing = "closure_reason" if row.values["closed_on"] else "closed_on"
        problems.append(Problem(row.line, missing, "a closed case needs both closed_on and closure_reason"))
    return problems


# --- checking the file, then saving it --------------------------------------

def check(db: Session, rows: Sequence[Row], *, progress: Progress | None = None) -> Plan:
    """Check every row; raise ImportRefused with every problem, or return what saving will do."""
    hospitals = dict(db.execute(select(Hospital.code, Hospital.id)).all())
    existing = _imported(db)
    plan, problems, first_line = Plan(), list[Problem](), dict[str, int]()
    for number, row in enumerate(rows, start=1):
        values, found = _convert(row, hospitals)
        external_id = row.values.get("external_id", "")
        if external_id and external_id in first_line:
            found.append(Problem(row.line, "external_id", f"{external_id!r} is also on line {first_line[external_id]}"))
        first_line.setdefault(external_id, row.line)
        problems += found
        if not found:
            _plan_row(plan, external_id, values, existing.get(external_id))
        if progress is not None and (number % _CHUNK == 0 or number == len(rows)):
            progress(number % _CHUNK or _CHUNK)
    if problems:
        raise ImportRefused(f"Nothing was imported: {len(problems)} problem(s) in the file.", problems)
    return plan


def _imported(db: Session) -> dict[str, tuple[int, tuple[Any, ...]]]:
    """Every imported case's id and values by external_id, in one query."""
    decode = lru_cache(maxsize=None)(json.loads)  # the code lists come as JSON text: few distinct ones
    lists = [position for position, name in enumerate(CASE_FIELDS) if name in ("contact_reasons", "onward_referrals")]
    columns = [getattr(Case, name).cast(Text) if position in lists else getattr(Case, name)
               for position, name in enumerate(CASE_FIELDS)]
    found = {}
    for external_id, case_id, *current in db.execute(
            select(Case.external_id, Case.id, *columns).where(Case.external_id.is_not(None))):
        for position in lists:
            current[position] = None if current[position] is None else decode(current[position])
        found[external_id] = (case_id, tuple(current))
    return found


def _plan_row(plan: Plan, external_id: str, values: dict[str, Any], current: tuple[int, tuple] | None) -> None:
    """Put a checked row into the plan: new, changed or unchanged."""
    if current is None:
        plan.new.append({"external_id": external_id, "inquiry_id": None, "counsellor_id": None, **values})
    elif current[1] != tuple(values[name] for name in CASE_FIELDS):
        plan.changed.append({"case_id": current[0], **values})
    else:
        plan.unchanged += 1


def save(db: Session, plan: Plan, *, progress: Progress | None = None) -> Plan:
    """Write a checked plan in bulk and record one audit event (never commits)."""
    table = cast(Table, Case.__table__)
    changes = update(table).where(table.c.id == bindparam("case_id")).values(
        updated_at=utcnow(), version=table.c.version + 1)
    try:
        for statement, rows in ((insert(table), plan.new), (changes, plan.changed)):
            for start in range(0, len(rows), _CHUNK):
                db.execute(statement, rows[start:start + _CHUNK])
                if progress is not None:
                    progress(len(rows[start:start + _CHUNK]))
    except IntegrityError:
        raise ImportRefused("Another import saved some of these cases meanwhile; nothing was imported. "
                            "Run the import again.") from None
    audit.record(db, None, "cases.import", object_type="case")
    db.flush()
    return plan


def import_cases(db: Session, rows: Sequence[Row]) -> Plan:
    """Check and save in one call (the command shows progress between the two)."""
    return save(db, check(db, rows))
