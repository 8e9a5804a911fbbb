"""Two-factor codes (TOTP): the secret and its QR code at set-up, and a
code accepted once at login; failures count towards the account's lock-out."""

from __future__ import annotations

import re
import secrets
import time

import pyotp
import segno
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.models import User
from portal.services import ServiceError
from portal.services.accounts import LoginRefused, count_failure, finish_setup, is_locked

TOTP_ISSUER = "Mødrehjælpen rådgivning"


def new_totp_secret() -> str:
    """A fresh random TOTP secret (base32)."""
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def totp_qr_svg(uri: str, *, title: str = "QR") -> str:
    """The provisioning URI as an inline SVG, generated here (no external
    service); with a viewBox and no fixed size, so it shrinks on a phone."""
    return segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff",
                                                  omitsize=True, title=title)


def _matching_step(secret: str, code: str, *, at: float | None = None) -> int | None:
    """The time step the code belongs to (±1 step of drift), or None."""
    code = re.sub(r"\s+", "", code or "")
    # ASCII digits only: "\d" would also take "١٢٣٤٥٦", which pyotp cannot compare.
    if not re.fullmatch(r"[0-9]{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    now = at if at is not None else time.time()
    for drift in (0, -1, 1):
        moment = now + drift * totp.interval
        if secrets.compare_digest(totp.at(moment), code):
            return int(moment // totp.interval)
    return None


def pending_totp_secret(user: User) -> str:
    """The secret the set-up page shows, made once and kept until confirmed."""
    if not user.totp_secret:
        user.totp_secret = new_totp_secret()
    return user.totp_secret


def confirm_totp(user: User, secret: str, code: str) -> None:
    """Turn two-factor on after the person proves the app has the secret;
    the set-up link is spent."""
    step = _matching_step(secret, code)
    if step is None:
        raise ServiceError(_l("The code from the app is not right. Try again with a new code."), field="code")
    user.totp_secret = secret
    user.totp_confirmed = True
    user.totp_last_step = step
    finish_setup(user)


def verify_totp(db: Session, user: User, code: str) -> None:
    """Second factor: a code is accepted once; failures count towards lock-out.
    The row is re-read under a lock so one code cannot be used twice at once."""
    db.flush()
    db.refresh(user, with_for_update=True)
    if is_locked(user):
        raise LoginRefused("locked", user)
    step = _matching_step(user.totp_secret or "", code) if user.totp_confirmed else None
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        count_failure(user)
        raise LoginRefused("locked" if is_locked(user) else "totp", user)
    user.totp_last_step = step
