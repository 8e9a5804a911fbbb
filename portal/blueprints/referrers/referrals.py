"""Refer a family, and see that it was caught (status only)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l

from portal import access, db
from portal.blueprints.common import acting_user, audit_read, form_error, found, promises
from portal.blueprints.referrers import bp
from portal.blueprints.referrers.forms.referrals import ReferralForm
from portal.forms.choices import language_choices, month_choices
from portal.services import ServiceError, notices, referrals, sparring


def _form() -> ReferralForm:
    form = ReferralForm()
    form.conversation_language.choices = language_choices()
    form.child_month.choices = month_choices()
    return form


def _referral(form: ReferralForm) -> referrals.Referral:
    return referrals.Referral(
        first_name=form.first_name.data or None, phone=form.phone.data or None, email=form.email.data or None,
        may_leave_voicemail=form.may_leave_voicemail.data, may_send_text=form.may_send_text.data,
        best_times=form.best_times.data or [], conversation_language=form.conversation_language.data or None,
        interpreter_needed=form.interpreter_needed.data, pregnancy_status=form.pregnancy_status.data or None,
        child_month=form.child_month.data or None, topics=form.topics.data or [], reason=form.reason.data or None,
        urgent=form.urgency.data == "urgent", family_agreed=form.family_agreed.data)


def _announce_if_urgent(inquiry_id: int, urgent: bool) -> None:
    """After the commit: the counsellors' shared address hears of an urgent referral."""
    if not urgent:
        return
    config, hospital = current_app.config, acting_user().hospital
    db.after_commit(lambda: notices.send_urgent_referral_notice(config, config["BASE_URL"], inquiry_id, hospital))


@bp.get("/")
@access.allow(access.refers)
def index():
    """The referrer's own referrals and sparring, newest first."""
    user = acting_user()
    audit_read("referrals.list")
    return render_template("referrers/index.html", referrals=referrals.own_referrals(db.session(), user),
                           questions=sparring.own(db.session(), user))


@bp.route("/new", methods=["GET", "POST"])
@access.allow(access.refers)
def new():
    """Refer a family; the form remembers nothing about the previous one."""
    form = _form()
    if form.validate_on_submit():
        try:
            inquiry = referrals.refer(db.session(), acting_user(), _referral(form), promises=promises(),
                                      retention_months=current_app.config["CONTACT_RETENTION_MONTHS"])
        except ServiceError as err:
            form_error(form, err)
        else:
            _announce_if_urgent(inquiry.id, inquiry.urgent)
            flash(_l("Thank you. The referral is received; a counsellor from Mødrehjælpen contacts the family."),
                  "success")
            return redirect(url_for("referrers.index"), code=303)
    return render_template("referrers/new.html", form=form), 400 if form.errors else 200


@bp.get("/referrals/<int:inquiry_id>")
@access.allow(access.refers)
def referral(inquiry_id: int):
    """One of the referrer's own referrals: dates and status, nothing more."""
    view = found(referrals.referral_for(db.session(), acting_user(), inquiry_id))
    audit_read("referral.view", view.inquiry)
    return render_template("referrers/referral.html", view=view)
