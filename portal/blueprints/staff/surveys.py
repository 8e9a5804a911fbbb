"""Satisfaction surveys in the staff area: the family's survey slip for a
closed case, the lead's page (staff links, summary, free texts), and the
hospital staff's own survey, open without an account (Danish or English)."""

from __future__ import annotations

from datetime import date

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import access, db
from portal.blueprints.common import (
    acting_user,
    audit_read,
    flash_error,
    form_error,
    found,
)
from portal.blueprints.rate_limits import survey_code_failed, survey_failures
from portal.blueprints.staff import bp
from portal.blueprints.staff.forms import EmptyForm
from portal.blueprints.staff.forms.surveys import StaffLinkForm, StaffSurveyForm, SurveyOfferForm
from portal.blueprints.staff.leaflets import qr_svg
from portal.extensions import limiter
from portal.forms import options
from portal.i18n import LANGUAGES, STAFF_LANGUAGES
from portal.models import Case, Inquiry
from portal.models.codes import SurveyKind
from portal.security import format_receipt_code
from portal.services import ServiceError, cases, inquiries, surveys
from portal.vocab import staff as staff_labels
from portal.vocab.survey_public import FAMILY_SURVEY_QUESTIONS, SURVEY_ANSWERS

STAFF = SurveyKind.STAFF.value


def survey_url(path: str) -> str:
    """An absolute address on the portal (printed, texted, or shared by mail)."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def _family_language(case: Case) -> str:
    """The language the family spoke, as the inquiry knows it; else Danish."""
    inquiry = db.session().get(Inquiry, case.inquiry_id) if case.inquiry_id else None
    spoken = (inquiry.conversation_language, inquiry.language) if inquiry else ()
    return next((lang for lang in spoken if lang in LANGUAGES), "da")


def offer_form(case: Case) -> SurveyOfferForm:
    """The case page's small form, the family's language chosen."""
    return SurveyOfferForm(formdata=None, prefix="survey", language=_family_language(case))


@bp.post("/cases/<int:case_id>/survey")
@access.allow(access.may_read_case)
def offer_survey(case_id: int):
    """Make the family a one-time survey and show its slip (once: the code is not stored)."""
    case = found(cases.get_case(db.session(), case_id))
    form = SurveyOfferForm(prefix="survey")
    if not form.validate_on_submit():
        flash(_l("Choose the family's language."), "error")
        return redirect(url_for("staff.case", case_id=case_id), code=303)
    try:
        invitation, code = surveys.offer_family_survey(db.session(), acting_user(), case, language=form.language.data)
    except ServiceError as err:
        flash_error(err)
        return redirect(url_for("staff.case", case_id=case_id), code=303)
    return _slip(case, invitation.language, code, invitation.expires_on)


def _slip(case: Case, lang: str, code: str, expires_on: date) -> str:
    """The printable slip in the family's language; its bar in the staff member's."""
    tools = {"lang": str(get_locale()), "back": _("Back to the case"),
             "case_url": url_for("staff.case", case_id=case.id),
             "hint": _("Print this slip for the family, or copy the address and the code into a text message. "
                       "The code is shown only this once: it is not stored, so it cannot be shown again.")}
    link = survey_url(url_for("public.survey", lang_code=lang, token=code))
    with force_locale(lang):
        return render_template("leaflets/survey_slip.html", tools=tools, link=link, qr=qr_svg(link),
                               entry=survey_url(url_for("public.survey_code", lang_code=lang)),
                               code=format_receipt_code(code), hospital=case.hospital,
                               expires=format_date(expires_on, "long"))


# --- the lead's page ----------------------------------------------------------------

def _link_form(formdata=None) -> StaffLinkForm:
    form = StaffLinkForm(formdata=formdata) if formdata is not None else StaffLinkForm(formdata=None)
    form.hospital.choices = options([("", _l("Choose a hospital"))] + [
        (h.code, h.name) for h in inquiries.hospitals(db.session())])
    return form


def _surveys_page(form: StaffLinkForm, *, new_link: str | None = None, status: int = 200) -> tuple[str, int]:
    """Open links, the last 12 months' answers and free texts."""
    today = surveys.today()  # this month and the 11 before it
    since = date(today.year, 1, 1) if today.month == 12 else date(today.year - 1, today.month + 1, 1)
    sess, user = db.session(), acting_user()
    audit_read("surveys.view")
    return render_template(
        "staff/surveys.html", form=form, new_link=new_link, close_form=EmptyForm(),
        links=surveys.open_staff_links(sess), hospitals={h.id: h.name for h in inquiries.hospitals(sess)},
        figures=surveys.figures(sess, date_from=since, date_to=today),
        texts=surveys.free_texts(sess, user, date_from=since, date_to=today), since=since,
        survey_kinds=staff_labels.SURVEY_KINDS, answer_labels=SURVEY_ANSWERS,
        question_labels={"family": FAMILY_SURVEY_QUESTIONS, "staff": staff_labels.STAFF_SURVEY_QUESTIONS}), status


@bp.get("/surveys")
@access.allow(access.manages_surveys)
def surveys_page():
    """The hospital staff's survey links, and what families and staff answered."""
    return _surveys_page(_link_form())


@bp.post("/surveys")
@access.allow(access.manages_surveys)
def create_staff_link():
    """A new link for one hospital's staff; shown once."""
    form = _link_form(request.form)
    if not form.validate():
        return _surveys_page(form, status=400)
    try:
        hospital = found(inquiries.hospital_by_code(db.session(), form.hospital.data))
        _link, code = surveys.create_staff_link(db.session(), acting_user(), hospital, days=form.days.data)
    except ServiceError as err:
        form_error(form, err)
        return _surveys_page(form, status=400)
    return _surveys_page(_link_form(), new_link=survey_url(url_for("staff.staff_survey", token=code)))


@bp.post("/surveys/<int:link_id>/close")
@access.allow(access.manages_surveys)
def close_staff_link(link_id: int):
    """Close a staff link before it expires."""
    try:
        surveys.close_staff_link(db.session(), acting_user(), link_id)
    except ServiceError as err:
        flash_error(err)
    else:
        flash(_l("The link is closed. It can no longer be used."), "success")
    return redirect(url_for("staff.surveys_page"), code=303)


# --- the hospital staff's own survey (no account needed) -------------------------------

def _staff_language() -> None:
    """?lang=da|en on the survey's links chooses its language (before anything is translated)."""
    if request.args.get("lang") in STAFF_LANGUAGES:
        session["staff_lang"] = request.args["lang"]


@bp.route("/survey/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_POST"], methods=["POST"], scope="staff-survey-post")
@survey_failures
def staff_survey(token: str):
    """The survey for hospital staff about the partnership; a shared link, answered anonymously."""
    _staff_language()
    if surveys.find_invitation(db.session(), token, kind=STAFF) is None:
        survey_code_failed()
        return render_template("staff/survey_gone.html"), 404
    form = StaffSurveyForm()
    if form.validate_on_submit():
        try:
            surveys.answer(db.session(), token, kind=STAFF, answers=form.answers(), free_text=form.free_text.data,
                           language=str(get_locale()))
        except ServiceError as err:
            form_error(form, err)
        else:
            return redirect(url_for("staff.staff_survey_thanks"), code=303)
    return render_template("staff/survey.html", form=form, token=token)


@bp.get("/survey/thank-you")
def staff_survey_thanks():
    """Thank you, for the hospital staff."""
    return render_template("staff/survey_thanks.html")
