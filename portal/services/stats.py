"""The evaluation's figures: every number of the mid-term report's section 1
and appendix 1, for the cases opened in a period, optionally at one hospital.

A case counts in a period when it was opened in it; an inquiry when it was
created in it (a Copenhagen date). Each figure carries its own n (the cases
where the field is stated): blank is blank, never zero. Everything is
counted in SQL with a fixed number of statements, however many cases there
are: one for the hospitals, one for the span of the cases (SQLite: index or
table, portal/services/stats_scan.py), one wide conditional aggregation over
the cases (on SQLite up to three codes' counts packed into one sum: each
aggregate is a function call per row there; a long period over many cases
read in parts side by side, one per CPU), one GROUP BY for both
multi-valued fields (JSON lists; SQLite walks ix_cases_code_lists) and one
fetch of the period's inquiries for their counts and response times."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Integer, case, cast, extract, func, or_, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import InstrumentedAttribute, Session

from portal.models import Case, Hospital, InquiryKind
from portal.models.codes import (
    AgeBand,
    Channel,
    CivilStatus,
    ClosureReason,
    Education,
    Employment,
    Gender,
    HeardFrom,
    IncomeSource,
)
from portal.services import ServiceError, activity_stats, course_stats, response_times, stats_scan, surveys

LOCAL_TIME = ZoneInfo("Europe/Copenhagen")
PARTNERSHIP_START = date(2024, 12, 1)
# Where the user heard of the offer from a professional: the report's
# "96 % henvises via en fagperson" (figure 8).
PROFESSIONAL_SOURCES = (HeardFrom.MIDWIFE, HeardFrom.HOSPITAL_SOCIAL, HeardFrom.HEALTH_VISITOR, HeardFrom.GP,
                        HeardFrom.MUNICIPALITY, HeardFrom.OTHER_PROFESSIONAL)
CHILD_GROUPS = {"0_3": Case.children_0_3, "4_6": Case.children_4_6, "7_12": Case.children_7_12,
                "13_18": Case.children_13_18, "unknown": Case.children_unknown}
_SPARRING, _ANONYMOUS = InquiryKind.SPARRING.value, InquiryKind.ANONYMOUS_QUESTION.value
_CONTACT_KINDS = (InquiryKind.SELF_REFERRAL.value, InquiryKind.PROFESSIONAL_REFERRAL.value)

_Expression = ColumnElement[Any] | InstrumentedAttribute[Any]
# A column of the wide query: where its numbers go in the result (one, or one per
# packed slot), the SQL, and whether it is packed.
_Column = tuple[tuple[tuple[str, ...], ...], ColumnElement[Any], bool]


def percent(count: int, n: int) -> int | None:
    """``count`` of ``n`` in whole per cent, half up as the report rounds (None when n is 0)."""
    if n <= 0:
        return None
    return (200 * count + n) // (2 * n)


def figures(db: Session, *, date_from: date, date_to: date, hospital_code: str | None = None) -> dict[str, Any]:
    """Every figure for the cases opened in [date_from, date_to] (and the
    inquiries created then, in Copenhagen dates), optionally at one hospital.

    Age: a case's age band, or, where that is blank and a birth year is
    stated, the band of the age in the year the case was opened (a CASE
    WHEN in SQL). Raises ServiceError for an unknown hospital code."""
    hospitals = _hospitals(db)
    hospital_id = _hospital_id(hospitals, hospital_code)
    opened_on, id_ranges = stats_scan.case_scan(db, date_from, date_to)
    where = [opened_on >= date_from, opened_on <= date_to]
    if hospital_id is not None:
        where.append(Case.hospital_id == hospital_id)
    # The wide aggregate first: in parts (SQLite, a long period) it runs while the rest is read here.
    case_figures = _case_figures(db, where, hospitals, id_ranges)
    # The period's inquiries, read once for their counts and their times.
    inquiries = response_times.fetch(db, date_from=date_from, date_to=date_to, hospital_id=hospital_id)
    lists = stats_scan.list_figures(db, where)
    tracks = {
        # Courses (spor 2) and the local associations' activities (spor 3).
        "spor2": course_stats.figures(db, date_from=date_from, date_to=date_to, hospital_id=hospital_id),
        "spor3": activity_stats.figures(db, date_from=date_from, date_to=date_to, hospital_id=hospital_id),
    }
    # Both satisfaction surveys, by the month a response carries.
    satisfaction = surveys.figures(db, date_from=date_from, date_to=date_to, hospital_id=hospital_id)
    times = response_times.figures(db, date_from=date_from, date_to=date_to, hospital_id=hospital_id,
                                   rows=inquiries)
    result: dict[str, Any] = {
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat(), "hospital": hospital_code},
        **case_figures(), **lists, **tracks, **_inquiry_figures(inquiries),
        "satisfaction": satisfaction, "response_times": times,
    }
    result["heard_from_professional"] = _from_professionals(result["heard_from"])
    return result


def _hospitals(db: Session) -> list[tuple[int, str]]:
    """Every hospital (active or not: old periods count too) as (id, code), in display order."""
    rows = db.execute(select(Hospital.id, Hospital.code).order_by(Hospital.sort_order, Hospital.code))
    return [(row.id, row.code) for row in rows]


def _hospital_id(hospitals: Sequence[tuple[int, str]], code: str | None) -> int | None:
    """The id of the hospital with ``code`` (None for all hospitals)."""
    if code is None:
        return None
    for hospital_id, hospital_code in hospitals:
        if hospital_code == code:
            return hospital_id
    raise ServiceError(_l("Choose a hospital from the list."), field="hospital")


def age_band(dialect: str = "") -> ColumnElement[Any]:
    """The stated age band, else the band of the age in the year the case was opened.
    On SQLite (a date is text, YYYY-MM-DD) the year is its first four characters:
    strftime, up to three times a row, was a sixth of the wide scan."""
    year = cast(func.substr(Case.opened_on, 1, 4), Integer) if dialect == "sqlite" else extract("year", Case.opened_on)
    age = year - Case.birth_year
    return case(
        (func.nullif(Case.age_band, "").is_not(None), Case.age_band),
        (Case.birth_year.is_(None), None),
        (age < 20, AgeBand.UNDER_20.value),
        (age < 30, AgeBand.FROM_20_TO_29.value),
        (age < 40, AgeBand.FROM_30_TO_39.value),
        else_=AgeBand.FROM_40.value,
    )


def _single_valued(dialect: str = "") -> dict[str, tuple[_Expression, list[str]]]:
    """Each single-valued figure: the SQL expression it counts and its codes."""
    pregnant = case((Case.pregnant_at_start.is_(True), "yes"), (Case.pregnant_at_start.is_(False), "no"))
    coded: dict[str, tuple[_Expression, type[StrEnum]]] = {
        "gender": (Case.gender, Gender), "civil_status": (Case.civil_status, CivilStatus),
        "employment": (Case.employment, Employment), "income_source": (Case.income_source, IncomeSource),
        "education": (Case.education, Education), "heard_from": (Case.heard_from, HeardFrom),
        "channel": (Case.channel, Channel), "closure_reason": (Case.closure_reason, ClosureReason),
    }
    return {"age_band": (age_band(dialect), _values(AgeBand)), "pregnant": (pregnant, ["yes", "no"]),
            **{name: (column, _values(codes)) for name, (column, codes) in coded.items()}}


def _values(codes: type[StrEnum]) -> list[str]:
    """The codes of one code list, in its order."""
    return [code.value for code in codes]


# SQLite: the counts of up to three codes of one field packed into one sum, a
# slot of 21 bits each (as long as the period holds fewer cases than a slot
# holds), so each row evaluates one CASE per field instead of one filter per code.
_SLOT_BITS, _SLOTS = 21, 3
_SLOT_MAX = (1 << _SLOT_BITS) - 1


def _wide_columns(hospitals: Sequence[tuple[int, str]], dialect: str, packed: bool) -> list[_Column]:
    """One aggregate per number (or, ``packed``, per up to three numbers):
    conditional counts over one scan of the period's cases."""
    count = func.count(Case.id)
    columns: list[_Column] = [((("users",),), count, False)]
    # A single-valued figure's n is the sum of its counts (added up in Python, one aggregate fewer each).
    fields: list[tuple[_Expression, list[tuple[Any, tuple[str, ...]]]]] = [
        (Case.hospital_id, [(hospital_id, ("by_hospital", code)) for hospital_id, code in hospitals])]
    fields += [(expression, [(code, (name, "counts", code)) for code in codes])
               for name, (expression, codes) in _single_valued(dialect).items()]
    for expression, numbers in fields:
        if not packed:
            columns += [((path,), count.filter(expression == value), False) for value, path in numbers]
            continue
        for first in range(0, len(numbers), _SLOTS):
            chunk = numbers[first:first + _SLOTS]
            weights = {value: 1 << (_SLOT_BITS * slot) for slot, (value, _path) in enumerate(chunk)}
            columns.append((tuple(path for _value, path in chunk), func.sum(case(weights, value=expression)), True))
    columns.append(((("children", "n"),), count.filter(or_(*(c.is_not(None) for c in CHILD_GROUPS.values()))), False))
    columns += [((("children", group),), func.coalesce(func.sum(column), 0), False)
                for group, column in CHILD_GROUPS.items()]
    return columns


def _case_figures(db: Session, where: list[ColumnElement[bool]], hospitals: Sequence[tuple[int, str]],
                  id_ranges: Sequence[tuple[int, int]]) -> Callable[[], dict[str, Any]]:
    """Start the statement for users, hospitals, children and every
    single-valued figure (read in ``id_ranges`` side by side, or once), and
    return what waits for them (a second statement when a period on SQLite
    holds more cases than a packed slot counts)."""
    dialect = db.get_bind().dialect.name
    packed = dialect == "sqlite"
    columns = _wide_columns(hospitals, dialect, packed)
    started = stats_scan.aggregate(db, select(*(sql for _paths, sql, _slotted in columns)).where(*where), id_ranges)

    def figures() -> dict[str, Any]:
        nonlocal columns
        try:
            row = started()
            overflowed = packed and row[0] > _SLOT_MAX
        except OperationalError as err:  # a packed sum past 64 bits: SQLite refuses it
            if not (packed and "integer overflow" in str(err.orig)):
                raise
            overflowed = True
        if overflowed:
            columns = _wide_columns(hospitals, dialect, False)
            row = stats_scan.aggregate(db, select(*(sql for _paths, sql, _slotted in columns)).where(*where),
                                       id_ranges)()
        return _unpacked(columns, row)
    return figures


def _unpacked(columns: Sequence[_Column], row: Sequence[int]) -> dict[str, Any]:
    """The wide row's numbers in their places; each single-valued figure's n the sum of its counts."""
    result: dict[str, Any] = {}
    for (paths, _sql, slotted), total in zip(columns, row, strict=True):
        for slot, path in enumerate(paths):
            place = result
            for key in path[:-1]:
                place = place.setdefault(key, {})
            place[path[-1]] = (total >> (_SLOT_BITS * slot)) & _SLOT_MAX if slotted else total
    for name in _single_valued():
        result[name] = {"n": sum(result[name]["counts"].values()), "counts": result[name]["counts"]}
    return result


def _inquiry_figures(inquiries: Sequence[Any]) -> dict[str, Any]:
    """Sparring, anonymous questions and contact requests created in the period
    (at a hospital: naming it), from the rows of ``response_times.fetch``."""
    made: dict[str, list[int]] = {kind: [0, 0] for kind in (_SPARRING, _ANONYMOUS, *_CONTACT_KINDS)}
    for row in inquiries:
        counts = made.get(row[0])  # kind
        if counts is not None:
            counts[0] += 1
            counts[1] += row[3] is not None  # a first response

    def answered(kind: str) -> dict[str, Any]:
        """n, answered (a first response) and still waiting, for one kind."""
        total, done = made[kind]
        return {"n": total, "counts": {"answered": done, "waiting": total - done}}

    requests = {kind: made[kind][0] for kind in _CONTACT_KINDS}
    return {"sparring": answered(_SPARRING), "anonymous_questions": answered(_ANONYMOUS),
            "contact_requests": {"n": sum(requests.values()), "counts": requests}}


def _from_professionals(heard_from: dict[str, Any]) -> dict[str, Any]:
    """Heard of the offer from a professional or not, of those who said where."""
    professional = sum(heard_from["counts"][code.value] for code in PROFESSIONAL_SOURCES)
    return {"n": heard_from["n"], "counts": {"yes": professional, "no": heard_from["n"] - professional}}



def local_today() -> date:
    """Today's date in Copenhagen."""
    return datetime.now(LOCAL_TIME).date()


def hospital_codes(db: Session) -> list[str]:
    """Every hospital code, in display order (what --hospital accepts)."""
    return [code for _id, code in _hospitals(db)]
