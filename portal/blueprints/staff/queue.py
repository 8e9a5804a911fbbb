"""The triage queue: everything that came in, by the time its first
response is due; the staff start page."""

from __future__ import annotations

from flask import render_template, request

from portal import access, db
from portal.blueprints.common import acting_user, audit_read, promises
from portal.blueprints.staff import bp
from portal.blueprints.staff.forms import EmptyForm
from portal.i18n import LANGUAGES
from portal.models.base import utcnow
from portal.services import admissions, deadlines, inquiries, triage


def _wanted() -> triage.QueueFilter:
    """The filters from the query string."""
    args = request.args
    return triage.QueueFilter(
        status=args.get("status", "open"), kind=args.get("kind", ""), hospital=args.get("hospital", ""),
        holder=args.get("holder", ""), language=args.get("language", ""),
        order=args.get("sort", "due"), due=args.get("due", ""),
    )


@bp.get("/")
@access.allow(access.works_cases)
def queue():
    """The triage queue: everything that came in, soonest due first."""
    wanted, now, sess = _wanted(), utcnow(), db.session()
    page = triage.queue(sess, acting_user(), wanted, after=request.args.get("after", ""),
                        before=request.args.get("before", ""), now=now)
    calendar = promises().calendar
    due = {row.id: deadlines.due_state(row, now, calendar) for row in page.rows}
    audit_read("queue.view")
    return render_template("staff/queue.html", page=page, wanted=wanted, counts=triage.status_counts(sess),
                           due_counts=triage.due_counts(sess, now), due=due, count_cap=triage.COUNT_CAP,
                           hospitals=inquiries.hospitals(sess), languages=LANGUAGES, claim_form=EmptyForm(),
                           course_notices=admissions.notices_for(sess, acting_user()))
