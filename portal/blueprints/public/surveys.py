"""The family's satisfaction survey: opened from the slip's link or by
typing its code; a code works once. A wrong, used or expired code all get
the same kind page, and every one counts against a per-client limit."""

from __future__ import annotations

from flask import g, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l

from portal import db
from portal.blueprints.common import form_error
from portal.blueprints.public import bp
from portal.blueprints.public.forms.surveys import FamilySurveyForm, SurveyCodeForm
from portal.blueprints.rate_limits import survey_code_failed, survey_failures
from portal.models.codes import SurveyKind
from portal.security import normalise_receipt_code
from portal.services import ServiceError, surveys

FAMILY = SurveyKind.FAMILY.value
CODE_NOT_FOUND = _l("We could not find that code, or it has already been used. Check it and try again.")


def _gone() -> tuple[str, int]:
    """Wrong, used or expired: one kind answer for all three."""
    survey_code_failed()
    return render_template("public/survey_gone.html"), 404


@bp.route("/survey", methods=["GET", "POST"])
@survey_failures
def survey_code():
    """Type the code from the paper slip or the text message."""
    form = SurveyCodeForm()
    if form.validate_on_submit():
        if surveys.find_invitation(db.session(), form.code.data, kind=FAMILY) is not None:
            return redirect(url_for("public.survey", token=normalise_receipt_code(form.code.data)), code=303)
        survey_code_failed()
        form.code.errors = [CODE_NOT_FOUND]
    return render_template("public/survey_code.html", form=form)


@bp.route("/survey/<token>", methods=["GET", "POST"])
@survey_failures
def survey(token: str):
    """The survey itself, in the language of the address; answered once."""
    if surveys.find_invitation(db.session(), token, kind=FAMILY) is None:
        return _gone()
    form = FamilySurveyForm()
    if form.validate_on_submit():
        try:
            surveys.answer(db.session(), token, kind=FAMILY, answers=form.answers(),
                           free_text=form.free_text.data, language=g.lang_code)
        except ServiceError as err:
            if err.field is None:  # used at the same moment elsewhere
                db.rollback()
                return _gone()
            form_error(form, err)
        else:
            return redirect(url_for("public.survey_thanks"), code=303)
    return render_template("public/survey.html", form=form, token=token)


@bp.get("/survey/thank-you")
def survey_thanks():
    """Thank you for answering."""
    return render_template("public/survey_thanks.html")
