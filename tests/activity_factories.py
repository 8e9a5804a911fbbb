"""Associations and activities for tests, made through the real services."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy.orm import Session

from portal.models import Activity, Association, User
from portal.services import activities, associations
from portal.services.activity_calendar import today
from tests.factories import make_counsellor


def make_association(db: Session, *, name: str = "Lokalforening Nord", lead: User | None = None,
                     municipalities: tuple[str, ...] = ("kobenhavn",)) -> Association:
    lead = lead or make_counsellor(db, role="lead")
    return associations.create(db, lead, associations.AssociationInput(
        name=name, municipalities=list(municipalities), contact_email="nord@example.dk", contact_phone="33 12 34 56"))


def activity_input(**overrides) -> activities.ActivityInput:
    """A Saturday outing a week from today, in Copenhagen, free, for all families."""
    fields = dict(title="Tur i Zoologisk Have", starts_on=today() + timedelta(days=7), start_time=time(10, 0),
                  end_time=time(13, 0), description="Vi mødes ved indgangen.\n\nSe mere på https://example.dk/tur",
                  address="Roskildevej 32", municipality="frederiksberg", audiences=["all_families"],
                  languages=["da", "en"], join_method="just_come")
    fields.update(overrides)
    return activities.ActivityInput(**fields)


def make_activity(db: Session, association: Association, *, status: str = "published", editor: User | None = None,
                  **overrides) -> Activity:
    """An activity in ``status`` (published by default), through the states' real steps."""
    lead = make_counsellor(db, role="lead")
    activity = activities.create(db, editor or lead, association, activity_input(**overrides))
    if status in ("pending", "published", "rejected", "cancelled"):
        activities.submit(db, editor or lead, activity)
    if status in ("published", "cancelled"):
        activities.approve(db, lead, activity)
    if status == "rejected":
        activities.send_back(db, lead, activity, "Skriv adressen tydeligere.")
    if status == "cancelled":
        activities.cancel(db, editor or lead, activity)
    db.flush()
    return activity


def weekly(first: date | None = None, weeks: int = 8, **overrides) -> dict:
    """Fields of a weekly group: every week from ``first`` for ``weeks`` weeks."""
    first = first or today() + timedelta(days=1)
    return dict(title="Netværksgruppe for nybagte forældre", starts_on=first, weekly=True,
                repeat_until=first + timedelta(days=7 * (weeks - 1)), **overrides)
