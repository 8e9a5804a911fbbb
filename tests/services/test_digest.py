"""The monthly status mail: the month's counts, and the mail made of them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timezone

import pytest
from flask import render_template
from flask_babel import force_locale, gettext
from sqlalchemy import select

from portal.models import Hospital, Inquiry, User
from portal.services import cases, digest, sparring, triage
from tests import factories
from tests.factories import make_contact_request, make_counsellor, make_referrer


def utc(*parts: int) -> datetime:
    """An aware UTC datetime."""
    return datetime(*parts, tzinfo=timezone.utc)


def hospital(db, code: str) -> Hospital:
    """A seeded hospital by its code."""
    return db.scalars(select(Hospital).where(Hospital.code == code)).one()


def make_referral(db, referrer: User, *, created_at: datetime, topics: Sequence[str] = ("housing",),
                  **family) -> Inquiry:
    """A professional referral through the real service, dated ``created_at``."""
    inquiry = factories.make_referral(db, referrer, topics=list(topics), **family)
    inquiry.created_at = created_at
    db.flush()
    return inquiry


def ask_sparring(db, referrer: User, *, created_at: datetime, answered_at: datetime | None = None) -> Inquiry:
    """A sparring question asked at ``created_at``, first answered at ``answered_at``."""
    question = sparring.ask(db, referrer, "Hvordan hjælper jeg bedst en familie med gæld før fødslen?")
    question.created_at = created_at
    # Answered in a past month: triage.answer would stamp this moment.
    question.first_response_at = answered_at
    db.flush()
    return question


def reach(db, counsellor: User, inquiry: Inquiry, at: datetime, *, reached: bool = True) -> None:
    """Take the inquiry and log one contact attempt at ``at``."""
    if inquiry.assigned_to_id != counsellor.id:
        triage.claim(db, counsellor, inquiry.id)
    triage.log_attempt(db, counsellor, inquiry, method="phone", reached=reached, at=at)


@pytest.fixture
def staff(db_session):
    """A counsellor, and a midwife at Rigshospitalet."""
    return make_counsellor(db_session, name="Rådgiver Test"), make_referrer(db_session, hospital_code="rh")


def test_month_bounds_are_copenhagen_midnights_in_utc():
    assert digest.month_bounds("2026-11") == (utc(2026, 10, 31, 23), utc(2026, 11, 30, 23))
    # Summer time starts in March: the month ends at 22:00 UTC.
    assert digest.month_bounds("2026-03") == (utc(2026, 2, 28, 23), utc(2026, 3, 31, 22))
    assert digest.month_bounds("2026-12")[1] == utc(2026, 12, 31, 23)


def test_previous_month_in_copenhagen_time():
    # 23:30 UTC on 30 November is already 1 December in Copenhagen.
    assert digest.previous_month(utc(2026, 11, 30, 23, 30)) == "2026-11"
    assert digest.previous_month(utc(2026, 11, 30, 22, 30)) == "2026-10"
    assert digest.previous_month(utc(2027, 1, 15)) == "2026-12"


@pytest.mark.parametrize("bad", ["2026-13", "2026-00", "2026-1", "26-11", "november", "", "2026-11-01"])
def test_a_month_is_yyyy_mm(bad):
    with pytest.raises(ValueError):
        digest.first_day(bad)


def test_month_counts_count_only_that_hospitals_month(db_session, staff):
    db, (counsellor, midwife) = db_session, staff
    november = [
        # 00:30 on 1 November in Copenhagen: November.
        make_referral(db, midwife, created_at=utc(2026, 10, 31, 23, 30), topics=["economy", "housing"]),
        make_referral(db, midwife, created_at=utc(2026, 11, 3, 9), topics=["economy"]),
        make_referral(db, midwife, created_at=utc(2026, 11, 12, 9), topics=["economy", "network"]),
        make_referral(db, midwife, created_at=utc(2026, 11, 20, 9), topics=["housing", "pregnancy_birth"]),
        make_referral(db, midwife, created_at=utc(2026, 11, 29, 9), topics=["economy", "economy"]),
    ]
    # Not November at Rigshospitalet: 00:30 on 1 December, October, another hospital.
    make_referral(db, midwife, created_at=utc(2026, 11, 30, 23, 30), topics=["violence"])
    october = make_referral(db, midwife, created_at=utc(2026, 10, 15, 9), topics=["violence"])
    make_referral(db, make_referrer(db, hospital_code="hgh"), created_at=utc(2026, 11, 5, 9), topics=["violence"])
    own = make_contact_request(db, hospital_code="rh")  # a family's own request counts as reached too

    reach(db, counsellor, november[0], utc(2026, 11, 2, 10))
    reach(db, counsellor, november[1], utc(2026, 11, 4, 10), reached=False)   # tried, not reached
    reach(db, counsellor, own, utc(2026, 11, 6, 10))
    reach(db, counsellor, october, utc(2026, 10, 20, 10))                      # reached in October
    reach(db, counsellor, november[2], utc(2026, 12, 1, 10))                  # reached in December

    opened = cases.open_case(db, counsellor, november[0])
    opened.opened_on = date(2026, 11, 2)
    ended = cases.open_case(db, counsellor, october)
    ended.opened_on = date(2026, 10, 20)
    cases.update_evaluation(db, counsellor, ended, {"closure_reason": "completed", "closed_on": date(2026, 11, 30)})

    for answered_at in (utc(2026, 11, 8, 12), utc(2026, 11, 30, 22, 59), utc(2026, 10, 8, 12)):
        ask_sparring(db, midwife, created_at=answered_at, answered_at=answered_at)
    ask_sparring(db, midwife, created_at=utc(2026, 11, 9, 12))  # not answered yet

    counts = digest.month_counts(db, hospital(db, "rh"), "2026-11")
    assert counts == digest.MonthCounts(referrals=5, reached=2, cases_opened=1, cases_closed=1,
                                        sparring_answered=2,
                                        # economy 4, housing 2, then a tie in the code list's order
                                        top_topics=("economy", "housing", "pregnancy_birth"))
    assert digest.month_counts(db, hospital(db, "hgh"), "2026-11").referrals == 1
    assert digest.month_counts(db, hospital(db, "rh"), "2026-12").referrals == 1


def test_topics_are_named_only_from_five_referrals(db_session, staff):
    db, (_counsellor, midwife) = db_session, staff
    for day in range(1, digest.TOPICS_MIN_REFERRALS):
        make_referral(db, midwife, created_at=utc(2026, 11, day, 9), topics=["violence"])
    counts = digest.month_counts(db, hospital(db, "rh"), "2026-11")
    assert counts.referrals == digest.TOPICS_MIN_REFERRALS - 1 and counts.top_topics == ()
    make_referral(db, midwife, created_at=utc(2026, 11, 20, 9), topics=["violence"])
    assert digest.month_counts(db, hospital(db, "rh"), "2026-11").top_topics == ("violence",)


def test_compose_says_the_month_in_danish_with_counts_and_nothing_personal(app, db_session):
    rh = hospital(db_session, "rh")
    rh.contact_emails = ["ledende.jordemoder@test.invalid", ""]
    counts = digest.MonthCounts(referrals=7, reached=4, cases_opened=3, cases_closed=2, sparring_answered=6,
                                top_topics=("economy", "housing", "violence"))
    mail = digest.compose(rh, "2026-11", counts, base_url="https://portal.example/", render=render_template,
                          reply_to="raadgivning@test.invalid")
    assert mail.to == ["ledende.jordemoder@test.invalid"]
    assert mail.subject == "Status for november 2026 – Rigshospitalet"
    assert mail.reply_to == "raadgivning@test.invalid"
    with force_locale("da"):
        expected = [f"{gettext('Referrals received')}: 7", f"{gettext('Families we reached')}: 4",
                    f"{gettext('Cases started')}: 3", f"{gettext('Cases closed')}: 2",
                    f"{gettext('Sparring questions answered')}: 6"]
    for line in expected:
        assert line in mail.text
    for label in ("Økonomi", "Bolig", "Vold i nære relationer"):  # the families' Danish labels
        assert f"- {label}" in mail.text and f"<li>{label}</li>" in (mail.html or "")
    assert "https://portal.example/staff/" in mail.text and 'href="https://portal.example/staff/"' in (mail.html or "")
    assert "{{" not in mail.text and "<" not in mail.text  # plain text, fully rendered


def test_compose_escapes_the_hospital_name_in_html_only(app, db_session):
    rh = hospital(db_session, "rh")
    rh.name, rh.contact_emails = "Amager & Hvidovre <test>", ["a@test.invalid"]
    counts = digest.MonthCounts(0, 0, 0, 0, 0, ())
    mail = digest.compose(rh, "2026-11", counts, base_url="https://portal.example", render=render_template)
    assert "Amager & Hvidovre <test>" in mail.text
    assert "Amager &amp; Hvidovre &lt;test&gt;" in (mail.html or "") and "<test>" not in (mail.html or "")
