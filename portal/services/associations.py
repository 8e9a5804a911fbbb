"""Local associations (lokalforeninger): a lead creates and edits them;
their editors are invited with the ordinary set-up links."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import access
from portal.models import Association, Role, User
from portal.models.activity import MUNICIPALITIES
from portal.services import ServiceError, accounts, audit, flush
from portal.text import clean_line, clean_text


@dataclass
class AssociationInput:
    name: str
    municipalities: list[str] = field(default_factory=list)
    contact_email: str | None = None
    contact_phone: str | None = None
    description: str | None = None


def _apply(association: Association, data: AssociationInput) -> None:
    name = clean_line(data.name)
    if not name:
        raise ServiceError(_l("Write the association's name."), field="name")
    if not set(data.municipalities) <= set(MUNICIPALITIES):
        raise ServiceError(_l("Choose a municipality from the list."), field="municipalities")
    email = accounts.normalise_email(data.contact_email or "") or None
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise ServiceError(_l("Write a valid e-mail address."), field="contact_email")
    association.name = name
    association.municipalities = [m for m in MUNICIPALITIES if m in data.municipalities]
    association.contact_email = email
    association.contact_phone = clean_line(data.contact_phone) or None
    association.description = clean_text(data.description) or None


def _code(db: Session, name: str) -> str:
    """A stable code from the name (what `portal create-user --association` takes)."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa"))
    base = base.strip("-")[:24] or "forening"
    code = base
    while db.scalar(select(Association.id).where(Association.code == code)) is not None:
        code = f"{base}-{secrets.token_hex(2)}"
    return code


def create(db: Session, actor: User, data: AssociationInput) -> Association:
    """A new local association."""
    access.ensure(access.edits_associations(actor), _l("Only a lead creates local associations."))
    association = Association(active=True)
    _apply(association, data)
    association.code = _code(db, association.name)
    db.add(association)
    flush(db)
    audit.record(db, actor, "association.create", association)
    return association


def update(db: Session, actor: User, association: Association, data: AssociationInput) -> None:
    """Change an association's details."""
    access.ensure(access.edits_associations(actor), _l("Only a lead edits local associations."))
    _apply(association, data)
    audit.record(db, actor, "association.update", association)


def invite_editor(db: Session, actor: User, association: Association, *, email: str,
                  name: str) -> tuple[User, str]:
    """An editor account for the association, with a one-time set-up link."""
    access.ensure(access.edits_associations(actor), _l("Only a lead invites association editors."))
    return accounts.invite(db, actor, email=email, name=name, role=Role.ASSOCIATION_EDITOR.value,
                           association_code=association.code)


def all_associations(db: Session) -> Sequence[Association]:
    """Every association by name."""
    return db.scalars(select(Association).order_by(func.lower(Association.name))).all()


def editable_by(db: Session, user: User) -> Sequence[Association]:
    """The associations whose pages this account works on."""
    return [a for a in all_associations(db) if a.active and access.may_edit_association(user, a)]


def editors(db: Session, association: Association) -> Sequence[User]:
    """The association's editor accounts."""
    return db.scalars(select(User).where(User.association_id == association.id)
                      .order_by(func.lower(User.name))).all()
