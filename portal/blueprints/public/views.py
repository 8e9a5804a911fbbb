"""Handlers of the public pages: load, validate, one service call, render
or redirect."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from flask import current_app, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from portal import db
from portal.blueprints.public import bp
from portal.blueprints.public.forms import (AskForm, ContactForm,
                                            FollowUpForm, ReceiptForm)
from portal.extensions import limiter
from portal.forms import options
from portal.i18n import LANGUAGES
from portal.security import format_receipt_code
from portal.services import ServiceError, inquiries

# Languages a family may ask to speak (codes; names come from Babel).
CONVERSATION_LANGUAGES = ("da", "en", "ar", "uk", "tr", "ur", "fa", "so", "pl", "ti", "ps", "ku")


def _post_limit() -> str:
    return current_app.config["RATELIMIT_POST"]


def _receipt_failure_limit() -> str:
    return current_app.config["RATELIMIT_RECEIPT_FAILURES"]


# Every POST of a public page counts against one per-client limit.
limiter.limit(_post_limit, methods=["POST"], scope="public-post")(bp)


def _hospital_choices(*, dont_know: str) -> list[SelectChoice]:
    return options([("", dont_know)] + [(h.code, h.name) for h in inquiries.hospitals(db.session())])


def _month_choices(today: date | None = None) -> list[SelectChoice]:
    """Twelve months back and ten ahead, named in the page's language."""
    today = today or date.today()
    months = []
    for offset in range(10, -13, -1):
        y, m = divmod(today.year * 12 + today.month - 1 + offset, 12)
        months.append((f"{y:04d}-{m + 1:02d}",
                       format_date(date(y, m + 1, 1), "LLLL y", locale=get_locale())))
    return options([("", _("Choose a month"))] + months)


def _language_choices() -> list[SelectChoice]:
    locale = get_locale()
    names = [(code, LANGUAGES.get(code) or locale.languages.get(code, code).capitalize())
             for code in CONVERSATION_LANGUAGES]
    return options(names + [("other", _("Another language"))])


def _apply_service_error(form, err: ServiceError) -> None:
    field = getattr(form, err.field, None) if err.field else None
    if field is not None:
        field.errors = list(field.errors) + [err.message]
    else:
        form.form_errors.append(err.message)


@bp.get("/")
def index():
    """The front page: what the counselling is and the ways in."""
    return render_template("public/index.html")


@bp.route("/ask", methods=["GET", "POST"])
def ask():
    """Stil et anonymt spørgsmål."""
    form = AskForm()
    form.hospital.choices = _hospital_choices(dont_know=_("I don't know, or I'd rather not say"))
    if form.validate_on_submit():
        try:
            inquiry, code = inquiries.create_anonymous_question(
                db.session(), text=form.question.data, language=g.lang_code,
                topics=form.topics.data or [], hospital_code=form.hospital.data or None,
            )
        except ServiceError as err:
            _apply_service_error(form, err)
        else:
            db.commit()
            # Rendered, not redirected: the code must not travel in a URL or a cookie.
            return render_template("public/ask_sent.html", code=format_receipt_code(code))
    return render_template("public/ask.html", form=form)


def _deduct_receipt_failure(_response) -> bool:
    return bool(g.get("receipt_failed"))


@bp.route("/answer", methods=["GET", "POST"])
@limiter.limit(_receipt_failure_limit, methods=["POST"], scope="receipt-failures",
               deduct_when=_deduct_receipt_failure, override_defaults=False)
def answer():
    """Læs svaret: the thread of an anonymous question, found by its code."""
    form = ReceiptForm()
    if not form.validate_on_submit():
        return render_template("public/answer.html", form=form)
    inquiry = inquiries.find_by_receipt(db.session(), form.code.data)
    if inquiry is None:
        g.receipt_failed = True
        form.code.errors = [_l("We could not find that code. Check it and try again.")]
        return render_template("public/answer.html", form=form)
    reply = FollowUpForm(formdata=None, code=form.code.data)
    return render_template("public/thread.html", inquiry=inquiry, reply=reply)


@bp.post("/answer/reply")
@limiter.limit(_receipt_failure_limit, scope="receipt-failures",
               deduct_when=_deduct_receipt_failure, override_defaults=False)
def reply():
    """A follow-up message in the same thread."""
    reply_form = FollowUpForm()
    inquiry = inquiries.find_by_receipt(db.session(), request.form.get("code", ""))
    if inquiry is None:
        g.receipt_failed = True
        form = ReceiptForm(formdata=None)
        form.code.errors = [_l("We could not find that code. Check it and try again.")]
        return render_template("public/answer.html", form=form)
    sent = False
    if reply_form.validate_on_submit():
        inquiries.add_family_message(db.session(), inquiry, reply_form.message.data)
        db.commit()
        sent = True
        reply_form = FollowUpForm(formdata=None, code=reply_form.code.data)
    return render_template("public/thread.html", inquiry=inquiry, reply=reply_form, sent=sent)


@bp.route("/contact-me", methods=["GET", "POST"])
def contact_me():
    """Bliv kontaktet: leave a phone number or e-mail address."""
    form = ContactForm()
    form.hospital.choices = _hospital_choices(dont_know=_("I don't know yet"))
    form.child_month.choices = _month_choices()
    form.conversation_language.choices = _language_choices()
    if request.method == "GET":
        form.conversation_language.data = g.lang_code
    if form.validate_on_submit():
        req = inquiries.ContactRequest(
            language=g.lang_code, nickname=form.nickname.data or None,
            phone=form.phone.data or None, email=form.email.data or None,
            may_leave_voicemail=form.may_leave_voicemail.data, may_send_text=form.may_send_text.data,
            best_times=form.best_times.data or [], hospital_code=form.hospital.data or None,
            pregnancy_status=form.pregnancy_status.data, child_month=form.child_month.data or None,
            topics=form.topics.data or [], note=form.note.data or None,
            conversation_language=form.conversation_language.data or None,
            interpreter_needed=form.interpreter_needed.data,
        )
        try:
            inquiries.create_contact_request(
                db.session(), req, retention_months=current_app.config["CONTACT_RETENTION_MONTHS"])
        except ServiceError as err:
            _apply_service_error(form, err)
        else:
            db.commit()
            return redirect(url_for("public.contact_sent"), code=303)
    return render_template("public/contact.html", form=form)


@bp.get("/contact-me/sent")
def contact_sent():
    """What happens next after asking to be contacted."""
    return render_template("public/contact_sent.html")


@bp.get("/activities")
def activities():
    """Aktiviteter i dit område (spor 3) — arrives with its own issue."""
    return render_template("public/activities.html")


@bp.get("/accessibility")
def accessibility():
    """Tilgængelighedserklæring: the accessibility statement."""
    return render_template("public/accessibility.html")
