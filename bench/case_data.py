"""Invented cases in bulk for the statistics benchmark: every evaluation
field with a distribution like the mid-term report's (contact reasons led by
pregnancy and birth, 93 % of closed cases completed, most fields often
blank), opened over the partnership's first two years, and a smaller number
of inquiries (sparring, anonymous questions, contact requests) with their
responses. Rows go in as executemany batches on one connection: a million
cases take well under two minutes on SQLite.

Invented data only: no names, no contact details, no CPR numbers."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, insert, select, text

from portal.models import Case, Hospital, Inquiry

BATCH = 20_000
FIRST_DAY = date(2024, 12, 1)
DAYS = 730
NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)

# (code, weight); None is "not stated". Weights are shares in per cent, roughly the report's.
GENDER = [("female", 88), ("male", 6), ("other", 1), (None, 5)]
AGE_BAND = [("under_20", 4), ("20_29", 20), ("30_39", 22), ("40_plus", 4), (None, 50)]
PREGNANT = [(True, 45), (False, 35), (None, 20)]
CIVIL = [("married_cohabiting", 35), ("single", 25), ("partner_not_cohabiting", 8),
         ("separated_divorced", 7), (None, 25)]
EMPLOYMENT = [("employed_self_employed", 25), ("unemployed", 15), ("on_leave", 20), ("student", 8),
              ("sick_leave", 5), ("outside_labour_market", 6), ("other", 3), (None, 18)]
INCOME = [("wages", 22), ("sickness_benefit", 5), ("unemployment_benefit", 6), ("cash_benefit", 18),
          ("student_grant", 7), ("parental_benefit", 15), ("pension", 1), ("none", 3), ("other", 3),
          (None, 20)]
EDUCATION = [("primary", 15), ("upper_secondary", 12), ("vocational", 14), ("short_higher", 6),
             ("medium_higher", 10), ("long_higher", 8), (None, 35)]
HEARD_FROM = [("midwife", 45), ("hospital_social", 20), ("health_visitor", 8), ("gp", 4),
              ("municipality", 6), ("other_professional", 5), ("web", 2), ("network", 1), ("other", 1),
              (None, 8)]
CHANNEL = [("in_person_hospital", 40), ("in_person_mh", 10), ("phone", 30), ("email", 5), ("video", 5),
           ("anonymous_web", 2), (None, 8)]
CLOSURE = [("completed", 93), ("dropped_out", 6), ("no_contact", 2), ("other", 1)]
# How often each contact reason is named (the report's top: 32, 17, 13, 11 % of mentions).
REASONS = [("pregnancy_birth", 32), ("economy", 17), ("housing", 13), ("network", 11), ("relationship", 5),
           ("separation", 4), ("parenting", 4), ("parental_leave", 3), ("work_education", 2), ("rights", 2),
           ("family_forms", 1), ("violence", 2), ("grief", 1), ("migration", 2), ("other", 1)]
ONWARD = [("public_authority", 37), ("other_org", 22), ("mh_counselling", 15), ("local_association", 10),
          ("visited_activity", 6), ("professional", 6), ("barselshus", 4)]
HOSPITAL_SHARE = [0.34, 0.26, 0.2, 0.12]     # the rest of the hospitals share what is left


def _picks(rng: random.Random, table: Sequence[tuple[Any, int]], count: int) -> list[Any]:
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights=weights, k=count)


def _code_lists(rng: random.Random, table: Sequence[tuple[str, int]], count: int, *,
                blank: float, most: int) -> list[list[str] | None]:
    """JSON lists of distinct codes (1 to ``most``), blank (JSON null) with probability ``blank``,
    drawn from a pool so that the many rows cost little."""
    codes, weights = zip(*table, strict=True)
    pool: list[list[str]] = []
    for _ in range(500):
        chosen: list[str] = []
        for _ in range(rng.choices(range(1, most + 1), weights=[6, 3, 1][:most])[0]):
            code = rng.choices(codes, weights=weights)[0]
            if code not in chosen:
                chosen.append(code)
        pool.append(chosen)
    pool.append([])
    return [None if rng.random() < blank else rng.choice(pool) for _ in range(count)]


def _children(rng: random.Random, count: int, weights: Sequence[int]) -> list[int | None]:
    """A child count for one age group, blank in about half the cases."""
    return rng.choices([None, 0, 1, 2, 3], weights=weights, k=count)


def case_rows(rng: random.Random, count: int, hospitals: Sequence[int]) -> Iterator[tuple[Any, ...]]:
    """``count`` invented cases as tuples in the order of ``CASE_COLUMNS``, made column by column."""
    rest = (1 - sum(HOSPITAL_SHARE)) / max(len(hospitals) - len(HOSPITAL_SHARE), 1)
    shares = [HOSPITAL_SHARE[i] if i < len(HOSPITAL_SHARE) else rest for i in range(len(hospitals))]
    hospital = _picks(rng, [*zip(hospitals, (int(1000 * s) for s in shares), strict=True), (None, 50)], count)
    opened = [FIRST_DAY + timedelta(days=int(DAYS * rng.random() ** 0.8)) for _ in range(count)]
    # Birth year stated for about half; the age band itself for about half of the rest.
    birth_year = [None if rng.random() < 0.5 else int(rng.gauss(1995, 6)) for _ in range(count)]
    closed = [rng.random() < 0.8 for _ in range(count)]
    columns: list[list[Any]] = [
        opened, hospital, _picks(rng, CHANNEL, count), _picks(rng, HEARD_FROM, count),
        _picks(rng, GENDER, count), _picks(rng, AGE_BAND, count), birth_year, _picks(rng, PREGNANT, count),
        _children(rng, count, [50, 15, 25, 8, 2]), _children(rng, count, [60, 25, 12, 3, 0]),
        _children(rng, count, [60, 28, 10, 2, 0]), _children(rng, count, [62, 30, 7, 1, 0]),
        _children(rng, count, [90, 8, 2, 0, 0]),
        _picks(rng, CIVIL, count), _picks(rng, EMPLOYMENT, count), _picks(rng, INCOME, count),
        _picks(rng, EDUCATION, count),
        _code_lists(rng, REASONS, count, blank=0.15, most=3), _code_lists(rng, ONWARD, count, blank=0.55, most=2),
        [code if done else None for code, done in zip(_picks(rng, CLOSURE, count), closed, strict=True)],
        [day + timedelta(days=rng.randint(7, 120)) if done else None for day, done in zip(opened, closed,
                                                                                              strict=True)],
    ]
    return zip(*columns, strict=True)


CASE_COLUMNS = ("opened_on", "hospital_id", "channel", "heard_from", "gender", "age_band", "birth_year",
                "pregnant_at_start", "children_0_3", "children_4_6", "children_7_12", "children_13_18",
                "children_unknown", "civil_status", "employment", "income_source", "education",
                "contact_reasons", "onward_referrals", "closure_reason", "closed_on")
INQUIRY_KINDS = [("self_referral", 30), ("professional_referral", 45), ("anonymous_question", 15), ("sparring", 10)]


def inquiry_rows(rng: random.Random, count: int, hospitals: Sequence[int]) -> Iterator[dict[str, Any]]:
    """``count`` invented inquiries over the same two years, most answered within a few working days."""
    kinds = _picks(rng, INQUIRY_KINDS, count)
    for number, kind in enumerate(kinds):
        created = datetime(2024, 12, 1, 7, tzinfo=timezone.utc) + timedelta(seconds=rng.random() * DAYS * 86400)
        answered = rng.random() < 0.97
        responded = created + timedelta(hours=rng.expovariate(1 / 20)) if answered else None
        yield {"kind": kind, "status": "closed" if answered or rng.random() < 0.5 else "new",
               "label": f"bench-stats-{number}", "hospital_id": rng.choice([*hospitals, None]),
               "channel": "web", "topics": [], "language": "da", "interpreter_needed": False, "priority": 1,
               "attempt_count": 0, "version": 1, "created_at": created, "updated_at": created,
               "due_at": created + timedelta(days=3), "first_response_at": responded}


def _batches(rows: Iterator[Any]) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def fill(engine: Engine, cases: int, *, inquiries: int | None = None, seed: int = 2024) -> None:
    """Add ``cases`` invented cases and ``inquiries`` inquiries (default a tenth of the cases), then ANALYZE.

    Core executemany batches (one INSERT per batch, SQLAlchemy's own binding of dates and JSON)."""
    rng = random.Random(seed)
    inquiries = cases // 10 if inquiries is None else inquiries
    with engine.begin() as conn:
        hospitals = list(conn.scalars(select(Hospital.id).order_by(Hospital.sort_order, Hospital.id)))
        extra = {"created_at": NOW, "updated_at": NOW, "version": 1}
        case_insert = insert(Case).execution_options(render_nulls=True)
        for batch in _batches(case_rows(rng, cases, hospitals)):
            conn.execute(case_insert, [dict(zip(CASE_COLUMNS, row, strict=True)) | extra for row in batch])
        inquiry_insert = insert(Inquiry).execution_options(render_nulls=True)
        for batch in _batches(inquiry_rows(rng, inquiries, hospitals)):
            conn.execute(inquiry_insert, batch)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
