"""Ask the counsellors for advice without naming the family, and read the answer."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l

from portal import access, db
from portal.blueprints.common import acting_user, audit_read, form_error, found, promises
from portal.blueprints.referrers import bp
from portal.blueprints.referrers.forms.sparring import SparringForm
from portal.services import ServiceError, sparring


@bp.route("/sparring/new", methods=["GET", "POST"])
@access.allow(access.refers)
def new_sparring():
    """Ask for sparring; warn first when the text looks like it names someone."""
    form = SparringForm()
    hints: list[str] = []
    if form.validate_on_submit():
        hints = sparring.personal_data_hints(form.question.data)
        if not hints or form.send_anyway.data:
            try:
                inquiry = sparring.ask(db.session(), acting_user(), form.question.data, promises=promises())
            except ServiceError as err:
                form_error(form, err)
            else:
                flash(_l("Your question is sent. You can read the answer here."), "success")
                return redirect(url_for("referrers.sparring_thread", inquiry_id=inquiry.id), code=303)
    return render_template("referrers/sparring_new.html", form=form, hints=hints)


@bp.get("/sparring/<int:inquiry_id>")
@access.allow(access.refers)
def sparring_thread(inquiry_id: int):
    """One of the referrer's own sparring questions with the counsellors' answers."""
    inquiry = found(sparring.thread_for(db.session(), acting_user(), inquiry_id))
    audit_read("sparring.view", inquiry)
    return render_template("referrers/sparring.html", inquiry=inquiry)
