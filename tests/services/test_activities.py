"""Activities: states, dates of weekly groups, who may change what, counts."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from portal.models import Role
from portal.services import ServiceError, activities, activity_calendar, activity_stats, associations
from portal.services.activity_calendar import Filters, today
from tests.activity_factories import activity_input, make_activity, make_association, weekly
from tests.factories import make_case, make_counsellor


def _editor(db, association):
    user, _token = associations.invite_editor(db, make_counsellor(db, role="lead"), association,
                                              email=f"editor{association.id}@example.dk", name="Ella Editor")
    return user


def test_states_from_draft_to_published_and_back_to_the_list_after_a_change(db_session):
    association = make_association(db_session)
    editor = _editor(db_session, association)
    counsellor = make_counsellor(db_session)
    activity = activities.create(db_session, editor, association, activity_input())
    assert activity.status == "draft" and not activity_calendar.is_public(activity)
    activities.submit(db_session, editor, activity)
    assert activity in activities.review_queue(db_session)
    activities.approve(db_session, counsellor, activity)
    assert activity.status == "published" and activity not in activities.review_queue(db_session)
    activities.update(db_session, editor, activity, activity_input(title="Tur i Zoo (ny tid)"))
    assert activity.status == "published" and activity.changed_since_review
    assert activity in activities.review_queue(db_session)
    activities.approve(db_session, counsellor, activity)
    assert not activity.changed_since_review


def test_send_back_needs_a_reason_and_the_editor_sees_it(db_session):
    association = make_association(db_session)
    activity = make_activity(db_session, association, status="pending")
    counsellor = make_counsellor(db_session)
    with pytest.raises(ServiceError):
        activities.send_back(db_session, counsellor, activity, "  ")
    activities.send_back(db_session, counsellor, activity, "Skriv hvor I mødes.")
    assert activity.status == "rejected" and activity.review_note == "Skriv hvor I mødes."
    activities.submit(db_session, activity.created_by, activity)
    assert activity.status == "pending"


def test_an_editor_cannot_touch_another_associations_activity(db_session):
    ours, theirs = make_association(db_session, name="Forening A"), make_association(db_session, name="Forening B")
    editor = _editor(db_session, ours)
    assert editor.role == Role.ASSOCIATION_EDITOR
    other = make_activity(db_session, theirs, status="draft")
    for action in (lambda: activities.submit(db_session, editor, other),
                   lambda: activities.cancel(db_session, editor, other),
                   lambda: activities.update(db_session, editor, other, activity_input()),
                   lambda: activities.create(db_session, editor, theirs, activity_input())):
        with pytest.raises(ServiceError):
            action()
    with pytest.raises(ServiceError):
        activities.approve(db_session, editor, make_activity(db_session, ours, status="pending"))


@pytest.mark.parametrize("overrides, field", [
    ({"title": " "}, "title"),
    ({"end_time": time(9, 0)}, "end_time"),
    ({"weekly": True, "repeat_until": None}, "repeat_until"),
    ({"weekly": True, "repeat_until": today() + timedelta(days=800)}, "repeat_until"),
    ({"address": None, "online": False}, "address"),
    ({"municipality": "aarhus"}, "municipality"),
    ({"audiences": ["everyone"]}, "audiences"),
    ({"join_method": "contact", "join_contact": None}, "join_contact"),
])
def test_impossible_activities_are_refused_at_their_field(db_session, overrides, field):
    association = make_association(db_session)
    with pytest.raises(ServiceError) as refused:
        activities.create(db_session, make_counsellor(db_session, role="lead"), association,
                          activity_input(**overrides))
    assert refused.value.field == field


def test_weekly_dates_skip_cancelled_ones():
    from portal.models import Activity, ActivityCancellation
    first = today()
    activity = Activity(starts_on=first, start_time=time(10), weekly=True, repeat_until=first + timedelta(days=28))
    activity.cancelled_dates.append(ActivityCancellation(on_date=first + timedelta(days=14)))
    dates = activity_calendar.dates_of(activity, first + timedelta(days=1), first + timedelta(days=100))
    assert dates == [first + timedelta(days=7), first + timedelta(days=21), first + timedelta(days=28)]
    assert len(activity_calendar.dates_of(activity, first, first + timedelta(days=100), with_cancelled=True)) == 5


def test_cancelled_date_must_be_one_of_the_activitys(db_session):
    association = make_association(db_session)
    activity = make_activity(db_session, association, **weekly())
    lead = make_counsellor(db_session, role="lead")
    with pytest.raises(ServiceError):
        activities.cancel_date(db_session, lead, activity, activity.starts_on + timedelta(days=3))
    activities.cancel_date(db_session, lead, activity, activity.starts_on + timedelta(days=7))
    assert activity.cancelled_on == {activity.starts_on + timedelta(days=7)}
    activities.cancel_date(db_session, lead, activity, activity.starts_on + timedelta(days=7), cancelled=False)
    assert activity.cancelled_on == set()


def test_listing_filters(db_session):
    association = make_association(db_session)
    free = make_activity(db_session, association, title="Gratis", audiences=["pregnant"])
    paid = make_activity(db_session, association, title="Betalt", price_dkk=50, municipality="kobenhavn",
                         audiences=["fathers"])
    online = make_activity(db_session, association, title="Online", online=True, address=None, municipality=None,
                           audiences=["all_families"])
    make_activity(db_session, association, title="Kladde", status="draft")
    make_activity(db_session, association, title="Forbi", starts_on=today() - timedelta(days=1))

    def titles(**kw):
        return {a.title for a, _on in activity_calendar.public_activities(db_session, Filters(**kw))}

    assert titles() == {"Gratis", "Betalt", "Online"}
    assert titles(free_only=True) == {"Gratis", "Online"}
    assert titles(municipality="kobenhavn") == {"Betalt", "Online"}
    assert titles(audience="fathers") == {"Betalt", "Online"}
    assert titles(date_to=today() + timedelta(days=3)) == set()
    assert free and paid and online


def test_cancelled_is_shown_until_its_date_has_passed(db_session):
    association = make_association(db_session)
    cancelled = make_activity(db_session, association, status="cancelled")
    assert activity_calendar.is_public(cancelled)
    assert not activity_calendar.is_public(cancelled, on=cancelled.starts_on + timedelta(days=1))


def test_usage_counts_only_for_dates_that_have_taken_place_and_stats(db_session):
    association = make_association(db_session)
    lead = make_counsellor(db_session, role="lead")
    first = today() - timedelta(days=14)
    activity = make_activity(db_session, association, **weekly(first=first, weeks=4))
    with pytest.raises(ServiceError):
        activities.record_usage(db_session, lead, activity, first + timedelta(days=21), families=1, adults=1,
                                children=1, via_partnership=0)
    with pytest.raises(ServiceError):
        activities.record_usage(db_session, lead, activity, first, families=2, adults=2, children=1,
                                via_partnership=3)
    activities.record_usage(db_session, lead, activity, first, families=4, adults=5, children=6, via_partnership=2)
    activities.record_usage(db_session, lead, activity, first + timedelta(days=7), families=3, adults=3,
                            children=2, via_partnership=1)
    # A second count for a date replaces the first.
    activities.record_usage(db_session, lead, activity, first + timedelta(days=7), families=2, adults=3,
                            children=2, via_partnership=1)
    result = activity_stats.figures(db_session, date_from=first, date_to=today())
    assert result == {"n": 2, "counts": {"families": 6, "adults": 8, "children": 8, "via_partnership": 3,
                                         "referred_cases": 0}}
    case = make_case(db_session, make_counsellor(db_session))
    from portal.services import activity_referrals
    activity_referrals.refer(db_session, case.counsellor, case, activity)
    assert activity_stats.figures(db_session, date_from=case.opened_on, date_to=case.opened_on)["counts"][
        "referred_cases"] == 1
    assert activity_stats.figures(db_session, date_from=first, date_to=today(), hospital_id=999) == {
        "n": 0, "counts": {"referred_cases": 0}}


def test_an_activity_changed_while_the_approver_reads_it_is_not_approved_unread(db_session):
    association = make_association(db_session)
    activity = make_activity(db_session, association, status="pending")
    counsellor = make_counsellor(db_session)
    read = activities.review_stamp(activity)
    activity.updated_at = activity.updated_at + timedelta(seconds=5)  # the editor saved a change meanwhile
    with pytest.raises(ServiceError):
        activities.approve(db_session, counsellor, activity, seen=read)
    activities.approve(db_session, counsellor, activity, seen=activities.review_stamp(activity))
    assert activity.status == "published"
