"""Invented demo data for spor 3: the demo associations' details and their
activities (published, weekly with a cancelled date, cancelled, waiting for
approval, sent back), with use counts. Development only."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.models import Activity, Association, User
from portal.services import activities, associations
from portal.services.activities import ActivityInput
from portal.services.activity_calendar import today

_DETAILS = {
    "kbh-demo": (["kobenhavn", "frederiksberg"], "kbh@demo.invalid", "33 00 00 01",
                 "Frivillige i København og på Frederiksberg. Vi laver ture, babycafé og netværk."),
    "amager-demo": (["kobenhavn", "tarnby", "dragor"], "amager@demo.invalid", "33 00 00 02",
                    "Vi mødes på Amager: legestue, fællesspisning og udflugter."),
    "nordsj-demo": (["hillerod", "helsingor", "fredensborg"], "nordsj@demo.invalid", "33 00 00 03",
                    "Lokalforeningen i Nordsjælland holder netværksgrupper og sommerture."),
}


def seed(db: Session, lead: User, counsellor: User) -> list[str]:
    """Details of the demo associations and their activities; once (skipped if there are activities)."""
    if db.scalar(select(func.count()).select_from(Activity)):
        return []
    found = {a.code: a for a in db.scalars(select(Association).where(Association.code.in_(_DETAILS)))}
    for code, (municipalities, email, phone, text) in _DETAILS.items():
        if code in found:
            associations.update(db, lead, found[code], associations.AssociationInput(
                name=found[code].name, municipalities=municipalities, contact_email=email, contact_phone=phone,
                description=text))
    now = today()
    kbh, amager, nordsj = found["kbh-demo"], found["amager-demo"], found["nordsj-demo"]
    cafe = _publish(db, lead, counsellor, kbh, ActivityInput(
        title="Babycafé på biblioteket", starts_on=now - timedelta(days=now.weekday() + 14 - 1),
        start_time=time(10), end_time=time(12), weekly=True, repeat_until=now + timedelta(days=70),
        description="Kom og mød andre forældre med små børn. Vi har kaffe, te og legetøj.\n\n"
                    "Du kan bare komme. Tag gerne en ven med.",
        address="Bispebjerg Bibliotek, Rentemestervej 76", municipality="kobenhavn",
        audiences=["children_0_1", "pregnant"], languages=["da", "en", "ar"],
        accessibility="Der er elevator og plads til barnevogne."))
    activities.cancel_date(db, lead, cafe, cafe.starts_on + timedelta(days=21))
    # The first two Tuesdays have taken place (the group began two weeks ago).
    for week in (0, 1):
        activities.record_usage(db, lead, cafe, cafe.starts_on + timedelta(days=7 * week),
                                families=6 + week, adults=8, children=7, via_partnership=2)
    _publish(db, lead, counsellor, amager, ActivityInput(
        title="Tur til Zoologisk Have", starts_on=now + timedelta(days=9), start_time=time(10, 30),
        end_time=time(15), address="Roskildevej 32", municipality="frederiksberg",
        audiences=["all_families"], languages=["da", "uk"], join_method="sign_up",
        join_contact="Mette, 20 00 00 00", places=25,
        description="Vi tager i Zoo sammen. Billetten er gratis. Tag madpakke med.\n\nMere om Zoo: https://www.zoo.dk"))
    _publish(db, lead, counsellor, amager, ActivityInput(
        title="Online: spørg om økonomi efter fødslen", starts_on=now + timedelta(days=4), start_time=time(19),
        end_time=time(20), online=True, audiences=["all_families", "single_parents"], languages=["da"],
        join_method="contact", join_contact="Skriv til amager@demo.invalid, så får du et link",
        description="En frivillig med erfaring i økonomi svarer på spørgsmål om barselsdagpenge og budget."))
    cancelled = _publish(db, lead, counsellor, nordsj, ActivityInput(
        title="Sommerudflugt til stranden", starts_on=now + timedelta(days=6), start_time=time(11),
        end_time=time(16), address="Hornbæk Strand", municipality="helsingor", price_dkk=20,
        audiences=["all_families", "fathers"], languages=["da"], description="Vi griller og leger på stranden."))
    activities.cancel(db, lead, cancelled)
    pending = activities.create(db, lead, nordsj, ActivityInput(
        title="Fars legestue", starts_on=now + timedelta(days=12), start_time=time(9, 30), end_time=time(11),
        weekly=True, repeat_until=now + timedelta(days=12 + 7 * 8), address="Hillerød Bibliotek",
        municipality="hillerod", audiences=["fathers", "children_0_6"], languages=["da", "tr"],
        description="Fædre og børn leger sammen, og der er kaffe på kanden."))
    activities.submit(db, lead, pending)
    db.flush()
    return ["Demo activities added: 4 published (one weekly with a cancelled date, one cancelled), "
            "1 waiting for approval."]


def _publish(db: Session, lead: User, counsellor: User, association: Association, data: ActivityInput) -> Activity:
    activity = activities.create(db, lead, association, data)
    activities.submit(db, lead, activity)
    activities.approve(db, counsellor, activity)
    return activity
