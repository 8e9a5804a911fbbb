"""The old CRM's columns and how each value is checked and converted
(``portal import-cases``; the file as a whole: services/case_import.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Any

from portal.models import codes

COLUMNS = (
    "external_id", "opened_on", "closed_on", "hospital", "channel", "heard_from", "gender", "age_band",
    "birth_year", "pregnant", "children_0_3", "children_4_6", "children_7_12", "children_13_18",
    "children_unknown_age", "civil_status", "employment", "income_source", "education", "reasons",
    "closure_reason", "onward_referrals",
)
BIRTH_YEAR_MIN = 1940
CHILDREN_MAX = 20
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE = re.compile(r"\d+")


class Bad(ValueError):
    """A refused value; its message says why."""


def _date(raw: str) -> date | None:
    """A real YYYY-MM-DD date, not in the future."""
    if not raw:
        return None
    if not _DATE.fullmatch(raw):
        raise Bad(f"{raw!r} is not a date as YYYY-MM-DD")
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise Bad(f"{raw!r} is not a real date") from None
    if value > date.today():
        raise Bad(f"{raw} is in the future")
    return value


def _whole(raw: str, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high``."""
    if not raw:
        return None
    if not _WHOLE.fullmatch(raw):
        raise Bad(f"{raw!r} is not a whole number")
    if not low <= int(raw) <= high:
        raise Bad(f"{raw} is not between {low} and {high}")
    return int(raw)


def _yes_no(raw: str) -> bool | None:
    """yes, no, or empty (not stated)."""
    if raw not in ("yes", "no", ""):
        raise Bad(f"{raw!r} is not yes, no or empty")
    return {"yes": True, "no": False}.get(raw)


def _coded(members: type[StrEnum], *, several: bool = False) -> Callable[[str], Any]:
    """A converter for one code of ``members`` or, ``several``, a list of ';'-separated codes."""
    valid, listed = codes.code_set(members), ", ".join(members)

    def convert(raw: str) -> Any:
        parts = list(dict.fromkeys(part.strip() for part in (raw.split(";") if several else [raw]) if part.strip()))
        unknown = [repr(part) for part in parts if part not in valid]
        if unknown:
            raise Bad(f"unknown code {', '.join(unknown)}; valid codes: {listed}")
        return (parts or None) if several else (raw or None)
    return convert


# Each column's converter; external_id and hospital are checked apart.
CONVERT: dict[str, Callable[[str], Any]] = {
    "opened_on": _date, "closed_on": _date, "channel": _coded(codes.Channel), "heard_from": _coded(codes.HeardFrom),
    "gender": _coded(codes.Gender), "age_band": _coded(codes.AgeBand), "pregnant": _yes_no,
    "birth_year": lambda raw: _whole(raw, BIRTH_YEAR_MIN, date.today().year),
    **{name: lambda raw: _whole(raw, 0, CHILDREN_MAX) for name in COLUMNS if name.startswith("children_")},
    "civil_status": _coded(codes.CivilStatus), "employment": _coded(codes.Employment),
    "income_source": _coded(codes.IncomeSource), "education": _coded(codes.Education),
    "reasons": _coded(codes.ContactReason, several=True), "closure_reason": _coded(codes.ClosureReason),
    "onward_referrals": _coded(codes.OnwardReferral, several=True),
}
# (column, Case attribute, converter), for the columns whose attribute has another name too.
RENAMED = {"pregnant": "pregnant_at_start", "children_unknown_age": "children_unknown", "reasons": "contact_reasons"}
STEPS = tuple((column, RENAMED.get(column, column), convert) for column, convert in CONVERT.items())
