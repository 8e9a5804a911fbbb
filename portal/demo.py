"""Invented demo data for development. No real person is in here."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import demo_activities
from portal.models import Association, Case, Inquiry, User
from portal.models.base import utcnow
from portal.models.codes import ClosureReason, ContactReason, HeardFrom
from portal.services import accounts, admissions, attendance, cases, courses, inquiries, referrals, sparring, triage

DEMO_PASSWORD = "demo-kodeord-til-udvikling"  # noqa: S105 - invented demo data, development only
# A fixed TOTP secret so developers can log in; for development only.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - development only

_QUESTIONS = [
    "Hvad har jeg ret til af barselsdagpenge, når jeg er studerende?",
    "Min kæreste og jeg skændes meget, efter vi fik vores søn. Hvor kan vi få hjælp?",
    "Jeg er bange for at miste min lejlighed, når jeg går på barsel.",
    "Can I get help with the paperwork from the municipality? My Danish is not good.",
    "أنا حامل وأشعر بالوحدة. هل هناك مجموعات للأمهات؟",
    "Як отримати допомогу з житлом після народження дитини?",
]
_NICKNAMES = ["Mille", "Sara", "Ayla", "Oksana", "Fatima", "Jonas", None]
_ASSOCIATIONS = [("kbh-demo", "Lokalforening København (demo)"), ("amager-demo", "Lokalforening Amager (demo)"),
                 ("nordsj-demo", "Lokalforening Nordsjælland (demo)")]
_USERS = [
    ("admin@demo.invalid", "Ada Admin", "admin", {}),
    ("leder@demo.invalid", "Lone Leder", "lead", {}),
    ("raadgiver@demo.invalid", "Rikke Rådgiver", "counsellor", {}),
    ("raadgiver2@demo.invalid", "Rasmus Rådgiver", "counsellor", {}),
    ("jordemoder@demo.invalid", "Jette Jordemoder", "referrer", {"hospital_code": "rh"}),
    ("forening@demo.invalid", "Frida Forening", "association_editor", {"association_code": "kbh-demo"}),
]


def seed(db: Session, *, only_if_empty: bool = False) -> list[str]:
    """Add accounts and a few dozen invented inquiries and cases; return lines to print."""
    if only_if_empty and db.scalar(select(func.count()).select_from(Inquiry)):
        return ["Demo data already present; nothing added."]
    rng = random.Random(20261123)  # noqa: S311 - repeatable demo data, not a secret
    lines = ["Demo data (development only). Every account's password: " + DEMO_PASSWORD,
             "TOTP secret for admin, lead, counsellors and the referrer: " + DEMO_TOTP_SECRET]
    for code, name in _ASSOCIATIONS:
        if db.scalar(select(Association).where(Association.code == code)) is None:
            db.add(Association(code=code, name=name, active=True))
    db.flush()
    users: dict[str, User] = {}
    for email, name, role, extra in _USERS:
        user = accounts.get_by_email(db, email)
        if user is None:
            user, _token = accounts.create_user(db, email=email, role=role, name=name, **extra)
            accounts.complete_setup(user, DEMO_PASSWORD)
            if user.needs_totp:
                user.totp_secret = DEMO_TOTP_SECRET
                user.totp_confirmed = True
        users[role if role not in users else role + "2"] = user
        lines.append(f"  {role:<19} {email}")
    counsellors = [users["counsellor"], users["counsellor2"], users["lead"]]
    codes = [h.code for h in inquiries.hospitals(db)]

    for i in range(24):
        question, code = inquiries.create_anonymous_question(
            db, text=rng.choice(_QUESTIONS), language=rng.choice(["da", "ar", "uk", "en"]),
            topics=rng.sample([c.value for c in ContactReason], k=rng.randint(0, 2)),
            hospital_code=rng.choice(codes + [None]),
            # Arrived some time in the last 20 days, so some are overdue.
            now=utcnow() - timedelta(hours=rng.randint(1, 24 * 20)),
        )
        if i % 3 == 0:
            holder = rng.choice(counsellors)
            triage.claim(db, holder, question.id)
            triage.answer(db, holder, question, "Tak for dit spørgsmål. Her er et første svar fra en rådgiver.")
            if i % 2 == 0:
                triage.close(db, holder, question, "completed")
        if i < 2:
            lines.append(f"Demo receipt code for '{question.label}': {code}")
    for i in range(14):
        req = inquiries.ContactRequest(
            language=rng.choice(["da", "ar", "en"]), nickname=rng.choice(_NICKNAMES),
            phone=f"2{rng.randint(0, 9999999):07d}", hospital_code=rng.choice(codes),
            pregnancy_status=rng.choice(["pregnant", "parent"]),
            topics=rng.sample([c.value for c in ContactReason], k=rng.randint(1, 3)),
            may_send_text=bool(i % 2),
        )
        inquiry = inquiries.create_contact_request(db, req, retention_months=6,
                                                   now=utcnow() - timedelta(hours=rng.randint(1, 24 * 10)))
        if i % 2 == 0:
            holder = rng.choice(counsellors)
            triage.claim(db, holder, inquiry.id)
            for n in range(rng.randint(1, 3)):
                triage.log_attempt(db, holder, inquiry, method=rng.choice(["phone", "text"]),
                                   reached=False, at=min(utcnow(), inquiry.created_at + timedelta(hours=5 * (n + 1))))
            triage.log_attempt(db, holder, inquiry, method="phone", reached=True)
            _demo_case(db, rng, holder, inquiry, closed=i % 4 == 0)
    _demo_referrals(db, rng, users["referrer"], users["counsellor"])
    for question in db.scalars(select(Inquiry).where(Inquiry.kind == "anonymous_question",
                                                     Inquiry.status == "in_progress").limit(4)).all():
        if question.assigned_to is not None:
            _demo_case(db, rng, question.assigned_to, question, closed=False)
    _demo_courses(db, users["lead"], users["referrer"])
    db.flush()
    lines += demo_activities.seed(db, users["lead"], users["counsellor"])
    case_count = db.scalar(select(func.count()).select_from(Case))
    lines.insert(0, f"Demo data added: 24 anonymous questions, 14 requests to be contacted, "
                    f"{len(_REFERRALS)} referrals, 2 sparring questions, {case_count} cases, 6 accounts, "
                    f"a running course and a stay offer.")
    return lines


_REFERRALS = [("Mille", True, ["housing", "economy"]), ("Sara", False, ["network"]),
              (None, False, ["parental_leave"]), ("Ayla", False, ["relationship", "parenting"])]


def _demo_referrals(db: Session, rng: random.Random, midwife: User, counsellor: User) -> None:
    """Referrals from the demo midwife in every state she can see, and sparring."""
    for hospital in inquiries.hospitals(db):
        hospital.contact_emails = [f"afdeling-{hospital.code}@demo.invalid"]
    for i, (name, urgent, topics) in enumerate(_REFERRALS):
        referral = referrals.refer(db, midwife, referrals.Referral(
            first_name=name, phone=f"3{rng.randint(0, 9999999):07d}", topics=topics, urgent=urgent,
            pregnancy_status="pregnant", reason="Familien vil gerne have hjælp til at overskue økonomien.",
            family_agreed=True), retention_months=6)
        if i == 0:
            continue  # still waiting in the queue, urgent
        triage.claim(db, counsellor, referral.id)
        triage.log_attempt(db, counsellor, referral, method="phone", reached=i != 2)
        referrals.give_feedback(db, counsellor, referral, code="contact_made" if i != 2 else "not_reached_yet")
        if i == 3:
            _demo_case(db, rng, counsellor, referral, closed=False)
    sparring.ask(db, midwife, "En mor er bekymret for, om hun kan blive boende, når hun går på barsel. "
                              "Hvad kan vi sige til hende, og hvad kan I hjælpe med?")
    answered = sparring.ask(db, midwife, "Hvordan taler vi bedst med en far, der ikke vil tale om økonomien?")
    triage.claim(db, counsellor, answered.id)
    triage.answer(db, counsellor, answered, "Godt spørgsmål. Start med det, han selv bekymrer sig om ...")


def _demo_case(db: Session, rng: random.Random, holder: User, inquiry: Inquiry, *, closed: bool) -> None:
    """A case with a few evaluation fields filled in and a note."""
    case = cases.open_case(db, holder, inquiry)
    case.opened_on = date.today() - timedelta(days=rng.randint(0, 60))
    closure = rng.choice([c.value for c in ClosureReason]) if closed else None
    cases.update_evaluation(db, holder, case, {
        "heard_from": rng.choice([c.value for c in HeardFrom]), "age_band": rng.choice(["20_29", "30_39", None]),
        "children_0_3": rng.choice([0, 1, None]), "pregnant_at_start": rng.choice([True, False, None]),
        "contact_reasons": rng.sample([c.value for c in ContactReason], k=rng.randint(1, 3)),
        "closure_reason": closure, "closed_on": date.today() if closure else None,
    })
    cases.add_note(db, holder, case, body="Første samtale. Aftalt at ringe igen i næste uge.")


def _demo_courses(db: Session, lead: User, midwife: User) -> None:
    """A running group course with two sessions (attendance taken for the
    first), three families admitted, one waiting; and a stay offer."""
    course = courses.create_course(db, lead, courses.CourseDetails(
        title="Netværksgruppe for nye forældre", theme="network", form="group", audience="after_birth",
        language="da", place_kind="mh", place="Mødrehjælpen, Nørrebrogade 1 (demo), 2200 København N",
        facilitators="Rikke Rådgiver, Johanne (frivillig)", capacity=3,
        description="Fire formiddage med kaffe, leg og snak om hverdagen med en lille. Tag barnet med."))
    for days in (-7, 0, 7, 14):
        courses.add_session(db, lead, course, held_on=date.today() + timedelta(days=days),
                            starts_at="10:00", ends_at="12:00")
    courses.set_status(db, lead, course, "open")
    families = db.scalars(select(Inquiry).join(Case, Case.inquiry_id == Inquiry.id)
                          .where(Case.closed_on.is_(None)).order_by(Inquiry.id).limit(4)).all()
    for inquiry in families:
        enrollment = admissions.propose(db, lead, course, inquiry, reason="Savner andre forældre at tale med.")
        admissions.admit(db, lead, course, enrollment)
    courses.set_status(db, lead, course, "running")
    admitted = attendance.participants(course)
    attendance.record(db, lead, course, course.sessions[0], {e.id for e in admitted[:2]})
    stay = courses.create_course(db, lead, courses.CourseDetails(
        title="Familierum efter fødslen (demo)", theme="parenthood", form="stay", audience="after_birth",
        language="da", place_kind="other", place="Barselshuset (demo), Amager", capacity=5, max_nights=14,
        facilitators="Husets personale og frivillige", description="Ophold for familien i de første dage."))
    courses.set_status(db, lead, stay, "open")
    for offset, nights in ((1, 5), (3, 10)):
        enrollment = admissions.propose(db, lead, stay, families[offset], reason="Brug for ro og støtte efter fødslen.",
                                        arrives_on=date.today() + timedelta(days=offset),
                                        leaves_on=date.today() + timedelta(days=offset + nights))
        admissions.admit(db, lead, stay, enrollment)
    referred = db.scalars(select(Inquiry).where(Inquiry.referred_by_id == midwife.id).order_by(Inquiry.id)).first()
    if referred is not None:
        admissions.propose(db, midwife, course, referred, reason="Mor er alene og vil gerne møde andre.")
