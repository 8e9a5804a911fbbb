"""Spor 2 in the browser, without JavaScript (every page must work so): a
midwife proposes a family she referred for a course, a counsellor admits
it into the last place, then admits another who goes on the waiting list;
the first family leaves and the waiting one gets the place by itself,
which its counsellor sees on her start page. (axe, titles and the layout
of every course page are in the walk of tests/browser/staff_pages.py.)"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from portal import db
from portal.models import Inquiry, User
from portal.services import courses, referrals
from tests.browser.staff_pages import create_staff_user, log_in
from tests.factories import make_case, make_contact_request

pytestmark = pytest.mark.browser


def _seed(live, midwife, counsellor) -> tuple[int, str, str]:
    """An open course with one place, a referral of the midwife's and a case of the counsellor's."""
    with live.app.app_context():
        sess = db.session()
        holder = sess.get(User, counsellor.id)
        course = courses.create_course(sess, holder, courses.CourseDetails(
            title="Økonomi med en lille", theme="economy", form="group", audience="both", language="da",
            place_kind="online", capacity=1))
        courses.add_session(sess, holder, course, held_on=date(2027, 1, 12), starts_at="17:00")
        courses.set_status(sess, holder, course, "open")
        referral = referrals.refer(sess, sess.get(User, midwife.id), referrals.Referral(
            first_name="Hiba", phone="+45 50 51 52 53", topics=["economy"], family_agreed=True), retention_months=6)
        case = make_case(sess, holder, make_contact_request(sess, nickname="Nadia"))
        db.commit()
        return course.id, referral.label, sess.get(Inquiry, case.inquiry_id).label


def _press(page: Page, form_action_end: str) -> None:
    page.locator(f"form[action$='{form_action_end}'] button[type=submit]").click()


def test_propose_admit_wait_and_the_freed_place(new_context, live):
    midwife = create_staff_user(live, "referrer", name="Hanne Jordemoder", language="en")
    counsellor = create_staff_user(live, "counsellor", name="Rita Rådgiver", language="en")
    course_id, hiba, nadia = _seed(live, midwife, counsellor)

    page = new_context(javascript=False).new_page()
    log_in(page, live, midwife)
    page.goto("/refer/courses")
    page.locator(f"a[href='/refer/courses/{course_id}/propose']").click()
    page.locator("#family").select_option(label=f"Hiba ({hiba})")
    page.locator("#reason").fill("Mor vil gerne lære at lave et budget.")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("table tbody tr")).to_contain_text("Proposed")

    staff = new_context(javascript=False).new_page()
    log_in(staff, live, counsellor)
    staff.goto(f"/staff/courses/{course_id}")
    _press(staff, "/admit")
    expect(staff.locator(".alert-success")).to_contain_text(f"{hiba} is admitted.")
    staff.locator("#propose-family").select_option(label=f"{nadia} (Nadia)")
    staff.locator("#propose-reason").fill("Savner overblik over økonomien.")
    staff.locator("form[action$='/propose'] button[type=submit]").click()
    _press(staff, "/admit")
    expect(staff.locator(".alert-success")).to_contain_text("number 1 on the waiting list")

    page.goto("/refer/courses")
    expect(page.locator("table tbody tr")).to_contain_text("Admitted")
    expect(page.locator("main")).not_to_contain_text("Nadia")  # not her family

    staff.goto(f"/staff/courses/{course_id}")
    staff.locator("#participants-caption + thead + tbody form[action$='/withdraw'] button").click()
    expect(staff.locator(".alert-success")).to_contain_text(f"The place went to the first on the waiting list: {nadia}")
    staff.goto("/staff/")
    expect(staff.locator(".course-notices")).to_contain_text(nadia)
    expect(staff.locator(".course-notices")).to_contain_text("from the waiting list")
