"""A family deletes their own anonymous question: a button on the thread,
a page that says plainly what happens, then a page saying it is gone. The
code travels only in a hidden field of each POST (never a URL or a
cookie); wrong codes count against the same limit as the thread page."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from werkzeug.wrappers import Response

from portal import db
from portal.blueprints.public import bp
from portal.blueprints.public.forms.questions import DeleteThreadForm, FollowUpForm, ReceiptForm
from portal.blueprints.public.questions import _code_not_found, _thread
from portal.blueprints.rate_limits import receipt_failures
from portal.models import Inquiry
from portal.models.base import utcnow
from portal.services import ServiceError, erasure, inquiries


def _found(form: DeleteThreadForm, *, for_update: bool = False) -> Inquiry | None:
    if not form.validate_on_submit():
        return None
    return inquiries.find_by_receipt(db.session(), form.code.data, for_update=for_update)


@bp.post("/answer/delete")
@receipt_failures
def delete_thread() -> str:
    """The confirmation step: what deleting means, and the two buttons."""
    form = DeleteThreadForm()
    if _found(form) is None:
        return _code_not_found(ReceiptForm(formdata=None))
    return render_template("public/thread_delete.html", form=form)


@bp.post("/answer/delete/cancel")
@receipt_failures
def keep_thread() -> str:
    """The family changed their mind: back to the thread."""
    form = DeleteThreadForm()
    inquiry = _found(form)
    if inquiry is None:
        return _code_not_found(ReceiptForm(formdata=None))
    return _thread(inquiry, FollowUpForm(formdata=None, code=form.code.data))


@bp.post("/answer/delete/confirm")
@receipt_failures
def delete_thread_confirmed() -> str | Response:
    """Delete the question and its answers; the code stops working."""
    form = DeleteThreadForm()
    inquiry = _found(form, for_update=True)
    if inquiry is None:
        return _code_not_found(ReceiptForm(formdata=None))
    try:
        erasure.withdraw_question(db.session(), inquiry, now=utcnow())
    except ServiceError:
        return _code_not_found(ReceiptForm(formdata=None))
    return redirect(url_for("public.thread_deleted"), code=303)


@bp.get("/answer/deleted")
def thread_deleted() -> str:
    """The question is gone (a page of its own, so a reload sends nothing again)."""
    return render_template("public/thread_deleted.html")
