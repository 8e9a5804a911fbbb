"""What every audience's handlers share: the acting account, audited reads,
and putting a service's refusal on the page (which also rolls back)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash
from flask_login import current_user
from flask_wtf import FlaskForm

from portal import db
from portal.models import User
from portal.services import ServiceError, audit


def acting_user() -> User:
    """The logged-in account as a model object (routes guarded by ``allow``)."""
    return current_user._get_current_object()


def audit_read(action: str, obj: object | None = None, **ids: Any) -> None:
    """Record that the acting account viewed something, in a transaction of
    its own: kept even when the request's action fails or is refused."""
    made = audit.event(acting_user(), action, obj, **ids)
    db.record_apart(lambda: made)


def found(obj: Any) -> Any:
    """The object, or a 404 page."""
    if obj is None:
        abort(404)
    return obj


def flash_error(err: ServiceError) -> None:
    """The service refused: roll its work back and say why on the next page."""
    db.rollback()
    flash(err.message, "error")


def form_error(form: FlaskForm, err: ServiceError) -> None:
    """The service refused: roll its work back and show why on the form, at
    the field it names (or above the form)."""
    db.rollback()
    field = getattr(form, err.field, None) if err.field else None
    if field is not None:
        field.errors = [*field.errors, err.message]
    else:
        form.form_errors.append(err.message)
