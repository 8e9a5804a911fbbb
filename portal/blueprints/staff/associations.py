"""Local associations (leads): create and edit them, invite their editors
with the ordinary set-up links."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l

from portal import access, db
from portal.blueprints.common import acting_user, form_error, found
from portal.blueprints.staff import bp
from portal.blueprints.staff.forms.associations import AssociationForm, EditorInviteForm
from portal.models import Association
from portal.services import ServiceError, associations


def _input(form: AssociationForm) -> associations.AssociationInput:
    return associations.AssociationInput(
        name=form.name.data, municipalities=form.municipalities.data or [], contact_email=form.contact_email.data,
        contact_phone=form.contact_phone.data, description=form.description.data)


@bp.route("/associations", methods=["GET", "POST"])
@access.allow(access.edits_associations)
def associations_page():
    """Every local association; create a new one."""
    form = AssociationForm()
    if form.validate_on_submit():
        try:
            created = associations.create(db.session(), acting_user(), _input(form))
        except ServiceError as err:
            form_error(form, err)
        else:
            flash(_l("The association is created. Invite its editors now."), "success")
            return redirect(url_for("staff.association_page", association_id=created.id), code=303)
    return render_template("staff/associations.html", form=form,
                           associations=associations.all_associations(db.session())), 400 if form.errors else 200


def _page(assoc: Association, form: AssociationForm, invite: EditorInviteForm, status: int = 200):
    return render_template("staff/association.html", association=assoc, form=form, invite=invite,
                           editors=associations.editors(db.session(), assoc)), status


@bp.route("/associations/<int:association_id>", methods=["GET", "POST"])
@access.allow(access.edits_associations)
def association_page(association_id: int):
    """One association: its details and its editors."""
    assoc = found(db.session().get(Association, association_id))
    form = AssociationForm(obj=assoc)
    if form.validate_on_submit():
        try:
            associations.update(db.session(), acting_user(), assoc, _input(form))
        except ServiceError as err:
            form_error(form, err)
        else:
            flash(_l("Your changes are saved."), "success")
            return redirect(url_for("staff.association_page", association_id=assoc.id), code=303)
    return _page(assoc, form, EditorInviteForm(formdata=None), 400 if form.errors else 200)


@bp.post("/associations/<int:association_id>/editors")
@access.allow(access.edits_associations)
def invite_editor(association_id: int):
    """Invite an editor: the set-up link is shown once, to pass on."""
    assoc = found(db.session().get(Association, association_id))
    invite = EditorInviteForm()
    if invite.validate_on_submit():
        try:
            user, token = associations.invite_editor(db.session(), acting_user(), assoc, email=invite.email.data,
                                                     name=invite.name.data)
        except ServiceError as err:
            form_error(invite, err)
        else:
            return render_template("staff/user_invited.html", user=user,
                                   setup_url=url_for("staff.setup", t=token, _external=True))
    return _page(assoc, AssociationForm(obj=assoc, formdata=None), invite, 400)
