"""Anonymous questions: ask, read the answer with the code, write back."""

from __future__ import annotations

from datetime import date

from flask import g, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import db
from portal.blueprints.common import form_error, promises
from portal.blueprints.public import bp, hospital_choices
from portal.blueprints.public.forms.questions import AskForm, FollowUpForm, ReceiptForm
from portal.blueprints.public.pages import heard_from, leaflet_hospital
from portal.blueprints.rate_limits import receipt_failures
from portal.models import Inquiry
from portal.models.base import utcnow
from portal.page_cache import cached_page, cached_text, per_request
from portal.security import format_receipt_code
from portal.services import ServiceError, deadlines, inquiries
from portal.services.workdays import local_date

CODE_NOT_FOUND = _l("We could not find that code. Check it and try again.")


def _code_not_found(form: ReceiptForm) -> str:
    g.receipt_failed = True
    form.code.errors = [CODE_NOT_FOUND]
    return render_template("public/answer.html", form=form)


def _thread(inquiry: Inquiry, reply: FollowUpForm, *, sent: bool = False) -> str:
    """The thread page, with the day the answer is promised (or that it is late)."""
    due = deadlines.due_state(inquiry, utcnow(), promises().calendar)
    return render_template("public/thread.html", inquiry=inquiry, reply=reply, sent=sent, due=due)


@bp.route("/ask", methods=["GET", "POST"])
@cached_page(vary=leaflet_hospital)
def ask():
    """Ask an anonymous question ("Stil et anonymt spørgsmål"); the code is shown once."""
    form = AskForm()
    form.hospital.choices = hospital_choices(dont_know=_("I don't know, or I'd rather not say"))
    if request.method == "GET":
        form.hospital.data = leaflet_hospital()  # a suggestion; the family may change it
    if form.validate_on_submit():
        try:
            inquiry, code = inquiries.create_anonymous_question(
                db.session(), text=form.question.data, language=g.lang_code, promises=promises(),
                topics=form.topics.data or [], hospital_code=form.hospital.data or None,
                heard_from=heard_from())
        except ServiceError as err:
            form_error(form, err)
        else:
            # Rendered, not redirected: the code must not travel in a URL or a cookie.
            return _sent(format_receipt_code(code), local_date(inquiry.due_at))
    return render_template("public/ask.html", form=form)


def _sent(code: str, due_on: date) -> str:
    """The receipt page: the same page for every question in a language but
    for its code and its day, so it is kept cut at those two (page_cache);
    the template is rendered once, not while the question's transaction
    holds SQLite's write lock."""
    g.sent = (code, format_date(due_on, "full"))
    return cached_text("ask_sent", lambda: render_template(
        "public/ask_sent.html", code=per_request(g.sent[0], lambda: g.sent[0]),
        due_text=per_request(g.sent[1], lambda: g.sent[1])))


@bp.route("/answer", methods=["GET", "POST"])
@cached_page
@receipt_failures
def answer():
    """Read the answer ("Læs svaret"): the thread of a question, found by its code."""
    form = ReceiptForm()
    if not form.validate_on_submit():
        return render_template("public/answer.html", form=form)
    inquiry = inquiries.find_by_receipt(db.session(), form.code.data)
    if inquiry is None:
        return _code_not_found(form)
    reply = FollowUpForm(formdata=None, code=form.code.data)
    return _thread(inquiry, reply)


@bp.post("/answer/reply")
@receipt_failures
def reply():
    """A follow-up message in the same thread (the row is locked: a
    counsellor may be answering at the same moment)."""
    reply_form = FollowUpForm()
    inquiry = inquiries.find_by_receipt(db.session(), request.form.get("code", ""), for_update=True)
    if inquiry is None:
        return _code_not_found(ReceiptForm(formdata=None))
    if not reply_form.validate_on_submit():
        return _thread(inquiry, reply_form)
    try:
        inquiries.add_family_message(db.session(), inquiry, reply_form.message.data)
    except ServiceError as err:
        form_error(reply_form, err)
        return _thread(inquiry, reply_form)
    fresh = FollowUpForm(formdata=None, code=reply_form.code.data)
    return _thread(inquiry, fresh, sent=True)
