"""Ask to be contacted ("Bliv kontaktet"): a phone number or an e-mail address."""

from __future__ import annotations

from datetime import date

from flask import current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal import db
from portal.blueprints.common import form_error, promises
from portal.blueprints.public import bp, hospital_choices
from portal.blueprints.public.forms.contact import ContactForm
from portal.blueprints.public.pages import heard_from, leaflet_hospital
from portal.forms.choices import language_choices, month_choices
from portal.models import InquiryKind
from portal.models.base import utcnow
from portal.page_cache import cached_page
from portal.services import ServiceError, inquiries
from portal.services.workdays import local_date


def _contact_form() -> ContactForm:
    form = ContactForm()
    form.hospital.choices = hospital_choices(dont_know=_("I don't know yet"))
    form.child_month.choices = month_choices()
    form.conversation_language.choices = language_choices()
    if request.method == "GET":
        form.conversation_language.data = g.lang_code
        form.hospital.data = leaflet_hospital()  # a suggestion; the family may change it
    return form


def _contact_request(form: ContactForm) -> inquiries.ContactRequest:
    return inquiries.ContactRequest(
        language=g.lang_code, nickname=form.nickname.data or None,
        phone=form.phone.data or None, email=form.email.data or None,
        may_leave_voicemail=form.may_leave_voicemail.data, may_send_text=form.may_send_text.data,
        best_times=form.best_times.data or [], hospital_code=form.hospital.data or None,
        pregnancy_status=form.pregnancy_status.data, child_month=form.child_month.data or None,
        topics=form.topics.data or [], note=form.note.data or None,
        conversation_language=form.conversation_language.data or None,
        interpreter_needed=form.interpreter_needed.data, heard_from=heard_from(),
    )


def _contact_page_varies() -> tuple:
    """The form preselects the leaflet's hospital and names the months around today."""
    return leaflet_hospital(), date.today()


@bp.route("/contact-me", methods=["GET", "POST"])
@cached_page(vary=_contact_page_varies)
def contact_me():
    """Ask to be contacted: leave a phone number or an e-mail address."""
    form = _contact_form()
    if form.validate_on_submit():
        try:
            inquiry = inquiries.create_contact_request(
                db.session(), _contact_request(form), promises=promises(),
                retention_months=current_app.config["CONTACT_RETENTION_MONTHS"])
        except ServiceError as err:
            form_error(form, err)
        else:
            # The promised day travels in the URL (a date says nothing about
            # who asked); the session holds nothing on public pages.
            return redirect(url_for("public.contact_sent", by=local_date(inquiry.due_at).isoformat()), code=303)
    return render_template("public/contact.html", form=form)


@bp.get("/contact-me/sent")
def contact_sent():
    """What happens next after asking to be contacted, and by which day."""
    return render_template("public/contact_sent.html", due_on=_promised_day(request.args.get("by", "")))


def _promised_day(given: str) -> date:
    """The day from the redirect; anything odd (an old bookmark, an edited
    URL) gets the day the promise gives a request made now."""
    fallback = local_date(promises().due_at(InquiryKind.SELF_REFERRAL.value, utcnow()))
    try:
        day = date.fromisoformat(given)
    except ValueError:
        return fallback
    return day if local_date(utcnow()) <= day <= fallback else fallback
