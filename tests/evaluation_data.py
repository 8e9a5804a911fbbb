"""A small known data set and every figure `portal stats --json` gives for it.

``ROWS`` are cases as the old CRM's CSV export holds them (the columns of
`portal import-cases`: blank is "", lists are ';'-separated, pregnant is
yes/no); ``EXPECTED`` is the figures for ``PERIOD`` at every hospital,
``EXPECTED_HGH`` some of them at Herlev og Gentofte, all worked out by hand.
tests/services/test_stats.py makes the cases through the services
(``case_values``); the end-to-end test imports ``csv_text()``."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

COLUMNS = (
    "external_id", "opened_on", "closed_on", "hospital", "channel", "heard_from", "gender", "age_band",
    "birth_year", "pregnant", "children_0_3", "children_4_6", "children_7_12", "children_13_18",
    "children_unknown_age", "civil_status", "employment", "income_source", "education", "reasons",
    "closure_reason", "onward_referrals",
)
PERIOD = (date(2025, 4, 1), date(2025, 11, 18))


def _row(external_id: str, opened_on: str, hospital: str, **stated: str) -> dict[str, str]:
    """One CSV row: the stated fields, every other column blank."""
    row = dict.fromkeys(COLUMNS, "")
    row.update(external_id=external_id, opened_on=opened_on, hospital=hospital, **stated)
    assert set(row) == set(COLUMNS), set(row) - set(COLUMNS)
    return row


ROWS = [
    # Opened on the period's first day.
    _row("E01", "2025-04-01", "hgh", closed_on="2025-05-10", channel="phone", heard_from="midwife",
         gender="female", age_band="20_29", pregnant="yes", children_0_3="1", civil_status="married_cohabiting",
         employment="employed_self_employed", income_source="wages", education="long_higher",
         reasons="pregnancy_birth;economy", closure_reason="completed", onward_referrals="public_authority"),
    # Age from the birth year: 2025 - 1990 = 35.
    _row("E02", "2025-04-15", "hgh", closed_on="2025-06-01", channel="in_person_hospital", heard_from="midwife",
         gender="female", birth_year="1990", pregnant="yes", civil_status="single", employment="unemployed",
         income_source="cash_benefit", reasons="economy;housing", closure_reason="completed",
         onward_referrals="public_authority;other_org"),
    # No age at all.
    _row("E03", "2025-05-02", "nsh", closed_on="2025-07-01", channel="phone", heard_from="health_visitor",
         gender="male", pregnant="no", children_0_3="2", children_4_6="1", civil_status="married_cohabiting",
         employment="on_leave", income_source="parental_benefit", education="medium_higher",
         reasons="relationship", closure_reason="dropped_out"),
    # Both age band and birth year: the band wins (the year would say under 20).
    _row("E04", "2025-06-10", "ahh", channel="email", heard_from="gp", gender="female", age_band="20_29",
         birth_year="2006", pregnant="yes", children_unknown_age="1", employment="student",
         income_source="student_grant", education="primary", reasons="pregnancy_birth"),
    # 2025 - 2006 = 19: under 20.
    _row("E05", "2025-07-01", "boh", closed_on="2025-09-01", channel="phone", heard_from="web", gender="female",
         birth_year="2006", pregnant="yes", civil_status="single", reasons="pregnancy_birth;housing;network",
         closure_reason="completed", onward_referrals="mh_counselling"),
    # Pregnant and reasons not stated.
    _row("E06", "2025-08-20", "rh", closed_on="2025-10-01", channel="in_person_hospital", heard_from="midwife",
         gender="female", age_band="40_plus", children_7_12="2", children_13_18="1",
         civil_status="partner_not_cohabiting", employment="sick_leave", income_source="sickness_benefit",
         education="primary", closure_reason="completed",
         onward_referrals="public_authority;professional;barselshus"),
    # 2025 - 1985 = 40: 40 or over. Almost nothing else stated.
    _row("E07", "2025-09-30", "rh", channel="phone", birth_year="1985", pregnant="yes", children_0_3="1",
         children_unknown_age="2", reasons="economy"),
    # Opened on the period's last day; 2025 - 1995 = 30; no children stated as 0 (not blank).
    _row("E08", "2025-11-18", "hgh", closed_on="2025-11-18", channel="video", heard_from="municipality",
         gender="other", birth_year="1995", pregnant="no", children_0_3="0", civil_status="separated_divorced",
         employment="outside_labour_market", income_source="none", education="vocational",
         reasons="separation;economy", closure_reason="other", onward_referrals="other_org"),
    # The day before and the day after the period: counted nowhere.
    _row("X01", "2025-03-31", "hgh", closed_on="2025-04-20", channel="phone", heard_from="midwife",
         gender="female", age_band="20_29", pregnant="yes", children_0_3="3", reasons="economy",
         closure_reason="completed", onward_referrals="public_authority"),
    _row("X02", "2025-11-19", "rh", closed_on="2025-11-25", channel="email", heard_from="web", gender="male",
         birth_year="1980", pregnant="no", reasons="violence", closure_reason="no_contact",
         onward_referrals="local_association"),
]


def csv_text(rows: list[dict[str, str]] = ROWS) -> str:
    """The rows as the CSV file `portal import-cases` reads (header first)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


_NUMBERS = {"birth_year": "birth_year", "children_0_3": "children_0_3", "children_4_6": "children_4_6",
            "children_7_12": "children_7_12", "children_13_18": "children_13_18",
            "children_unknown_age": "children_unknown"}
_CODES = ("channel", "heard_from", "gender", "age_band", "civil_status", "employment", "income_source",
          "education", "closure_reason")
_LISTS = {"reasons": "contact_reasons", "onward_referrals": "onward_referrals"}


def case_values(row: dict[str, str], hospital_ids: dict[str, int]) -> dict[str, Any]:
    """A row's evaluation fields as cases.update_evaluation takes them (None = not stated)."""
    values: dict[str, Any] = {field: int(row[column]) if row[column] else None for column, field in _NUMBERS.items()}
    values.update({field: row[field] or None for field in _CODES})
    values.update({field: row[column].split(";") if row[column] else None for column, field in _LISTS.items()})
    values["pregnant_at_start"] = {"yes": True, "no": False}.get(row["pregnant"])
    values["hospital_id"] = hospital_ids[row["hospital"]] if row["hospital"] else None
    values["closed_on"] = date.fromisoformat(row["closed_on"]) if row["closed_on"] else None
    return values


def _counts(n: int, codes: str, **counted: int) -> dict[str, Any]:
    """A figure: its n and a count for every code of its list (zeros included)."""
    return {"n": n, "counts": {code: counted.get(code, 0) for code in codes.split()}}


_HOSPITALS = "rh hgh nsh ahh boh"
_GENDERS = "female male other"
_AGE_BANDS = "under_20 20_29 30_39 40_plus"
_CIVIL = "married_cohabiting single partner_not_cohabiting separated_divorced"
_EMPLOYMENT = "employed_self_employed unemployed on_leave student sick_leave outside_labour_market other"
_INCOME = ("wages sickness_benefit unemployment_benefit cash_benefit student_grant parental_benefit pension "
           "none other")
_EDUCATION = "primary upper_secondary vocational short_higher medium_higher long_higher"
_HEARD_FROM = "midwife hospital_social health_visitor gp municipality other_professional web network other"
_CHANNELS = "in_person_hospital in_person_mh phone email video anonymous_web"
_REASONS = ("pregnancy_birth economy housing network relationship separation parenting parental_leave "
            "work_education rights family_forms violence grief migration other")
_CLOSURE = "completed dropped_out no_contact other"
_ONWARD = "public_authority other_org mh_counselling local_association visited_activity professional barselshus"
_ANSWERED = {"n": 0, "counts": {"answered": 0, "waiting": 0}}
_LIKERT = "strongly_agree agree neutral disagree strongly_disagree"


def _no_answers(questions: str) -> dict[str, Any]:
    """A survey without responses: every question with n 0 and every answer code."""
    return {"responses": 0, "questions": {q: _counts(0, _LIKERT) for q in questions.split()}}


EXPECTED: dict[str, Any] = {
    "period": {"from": "2025-04-01", "to": "2025-11-18", "hospital": None},
    "users": 8,
    "by_hospital": {"rh": 2, "hgh": 3, "nsh": 1, "ahh": 1, "boh": 1},
    "gender": _counts(7, _GENDERS, female=5, male=1, other=1),
    "age_band": _counts(7, _AGE_BANDS, under_20=1, **{"20_29": 2, "30_39": 2, "40_plus": 2}),
    "pregnant": _counts(7, "yes no", yes=5, no=2),
    "children": {"n": 6, "0_3": 4, "4_6": 1, "7_12": 2, "13_18": 1, "unknown": 3},
    "civil_status": _counts(6, _CIVIL, married_cohabiting=2, single=2, partner_not_cohabiting=1,
                            separated_divorced=1),
    "employment": _counts(6, _EMPLOYMENT, employed_self_employed=1, unemployed=1, on_leave=1, student=1,
                          sick_leave=1, outside_labour_market=1),
    "income_source": _counts(6, _INCOME, wages=1, sickness_benefit=1, cash_benefit=1, student_grant=1,
                             parental_benefit=1, none=1),
    "education": _counts(5, _EDUCATION, primary=2, vocational=1, medium_higher=1, long_higher=1),
    "heard_from": _counts(7, _HEARD_FROM, midwife=3, health_visitor=1, gp=1, municipality=1, web=1),
    "heard_from_professional": _counts(7, "yes no", yes=6, no=1),
    "channel": _counts(8, _CHANNELS, phone=4, in_person_hospital=2, email=1, video=1),
    "reasons": {**_counts(7, _REASONS, pregnancy_birth=3, economy=4, housing=2, network=1, relationship=1,
                          separation=1), "mentions": 12},
    "closure_reason": _counts(6, _CLOSURE, completed=4, dropped_out=1, other=1),
    "onward_referrals": {**_counts(5, _ONWARD, public_authority=3, other_org=2, mh_counselling=1, professional=1,
                                   barselshus=1), "mentions": 8},
    # No course in an import.
    "spor2": {"n": 0, "counts": {"admitted": 0, "completed": 0, "dropped_out": 0, "waiting": 0, "courses": 0, "stay_offers": 0, "sessions_marked": 0, "present": 0, "stay_nights_used": 0}, "attendance_rate": None, "courses": []},
    # No activity dates with use counts, no case referred to an activity (an import brings cases only).
    "spor3": {"n": 0, "counts": {"families": 0, "adults": 0, "children": 0, "via_partnership": 0,
                                 "referred_cases": 0}},
    # An import brings cases only, no inquiries.
    "sparring": _ANSWERED,
    "anonymous_questions": _ANSWERED,
    "contact_requests": {"n": 0, "counts": {"self_referral": 0, "professional_referral": 0}},
    # An import brings no survey answers either.
    "satisfaction": {"family": _no_answers("felt_welcome understood helped recommend"),
                     "staff": _no_answers("easy_to_refer feedback_enough families_helped sparring_useful")},
    "response_times": {**{kind: {"n": 0, "median_hours": None, "p90_hours": None, "within_promise": 0, "waiting": 0,
                                 "waiting_overdue": 0}
                          for kind in ("anonymous_question", "self_referral", "professional_referral", "sparring")},
                       "by_month": {}},
}

# Herlev og Gentofte alone (E01, E02, E08), for --hospital hgh.
EXPECTED_HGH: dict[str, Any] = {
    "period": {"from": "2025-04-01", "to": "2025-11-18", "hospital": "hgh"},
    "users": 3,
    "by_hospital": {"rh": 0, "hgh": 3, "nsh": 0, "ahh": 0, "boh": 0},
    "gender": _counts(3, _GENDERS, female=2, other=1),
    "age_band": _counts(3, _AGE_BANDS, **{"20_29": 1, "30_39": 2}),
    "pregnant": _counts(3, "yes no", yes=2, no=1),
    "children": {"n": 2, "0_3": 1, "4_6": 0, "7_12": 0, "13_18": 0, "unknown": 0},
    "reasons": {**_counts(3, _REASONS, pregnancy_birth=1, economy=3, housing=1, separation=1), "mentions": 6},
    "closure_reason": _counts(3, _CLOSURE, completed=2, other=1),
    "onward_referrals": {**_counts(3, _ONWARD, public_authority=2, other_org=2), "mentions": 4},
}
