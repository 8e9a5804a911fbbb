"""The triage queue: everything that came in."""

from __future__ import annotations

from flask import render_template, request

from portal import access, db
from portal.blueprints.common import acting_user, audit_read
from portal.blueprints.staff import bp
from portal.blueprints.staff.forms import EmptyForm
from portal.i18n import LANGUAGES
from portal.services import admissions, inquiries, triage


def _wanted() -> triage.QueueFilter:
    """The filters from the query string."""
    args = request.args
    return triage.QueueFilter(
        status=args.get("status", "open"), kind=args.get("kind", ""), hospital=args.get("hospital", ""),
        holder=args.get("holder", ""), language=args.get("language", ""),
        newest_first=args.get("sort") == "newest",
    )


@bp.get("/")
@access.allow(access.works_cases)
def queue():
    """The triage queue: everything that came in, oldest first."""
    wanted = _wanted()
    sess = db.session()
    page = triage.queue(sess, acting_user(), wanted, after=request.args.get("after", ""))
    audit_read("queue.view")
    return render_template("staff/queue.html", page=page, wanted=wanted, counts=triage.status_counts(sess),
                           hospitals=inquiries.hospitals(sess), languages=LANGUAGES, claim_form=EmptyForm(),
                           course_notices=admissions.notices_for(sess, acting_user()))
