"""Accounts: set-up links, argon2 passwords, lock-out (two-factor codes: services/two_factor.py)."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import access
from portal.models import Association, Hospital, Role, User
from portal.models.base import utcnow
from portal.services import ServiceError, audit

PASSWORD_MIN = 12
MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
SETUP_HOURS = 72

_hasher = PasswordHasher()
# Verifying against this keeps the time of a login for an unknown e-mail
# address like that of a known one.
_DUMMY_HASH = _hasher.hash("not-a-real-password-" + secrets.token_hex(8))


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))


def check_password_policy(password: str, *, email: str = "") -> None:
    """At least 12 characters, not a common password, not the e-mail address."""
    if len(password) < PASSWORD_MIN:
        raise ServiceError(_l("Use at least %(min)d characters.", min=PASSWORD_MIN), field="password")
    core = re.sub(r"[\d\W_]+$", "", password.lower())
    if password.lower() in _common_passwords() or core in _common_passwords() or len(set(password)) < 4:
        raise ServiceError(_l("That password is too common. Choose another one."), field="password")
    local = email.split("@")[0].lower() if email else ""
    if len(local) >= 4 and local in password.lower():
        raise ServiceError(_l("The password may not contain your e-mail address."), field="password")


def hash_password(password: str) -> str:
    """An argon2 hash of the password."""
    return _hasher.hash(password)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """E-mail addresses compare trimmed and in lower case."""
    return (email or "").strip().lower()


def get_by_email(db: Session, email: str) -> User | None:
    """The account with this e-mail address, if any."""
    return db.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(db: Session, *, email: str, role: str, name: str = "", hospital_code: str | None = None,
                association_code: str | None = None, language: str = "da") -> tuple[User, str]:
    """Create an account and return it with a one-time set-up token."""
    email = normalise_email(email)
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise ServiceError(_l("Write a valid e-mail address."), field="email")
    if role not in {r.value for r in Role}:
        raise ServiceError(_l("Unknown role."), field="role")
    if get_by_email(db, email) is not None:
        raise ServiceError(_l("There is already an account with that e-mail address."), field="email")
    hospital = association = None
    if role == Role.REFERRER.value:
        hospital = db.scalar(select(Hospital).where(Hospital.code == (hospital_code or "")))
        if hospital is None:
            raise ServiceError(_l("A referrer must belong to a hospital."), field="hospital")
    if role == Role.ASSOCIATION_EDITOR.value:
        association = db.scalar(select(Association).where(Association.code == (association_code or "")))
        if association is None:
            raise ServiceError(_l("An association editor must belong to a local association."),
                               field="association")
    user = User(email=email, name=name.strip() or email.split("@")[0], role=role, hospital=hospital,
                association=association, language=language, active=True, failed_logins=0,
                totp_confirmed=False, session_version=1)
    db.add(user)
    token = issue_setup_token(user)
    db.flush()
    return user, token


def invite(db: Session, actor: User, *, email: str, role: str, name: str = "",
           hospital_code: str | None = None, association_code: str | None = None) -> tuple[User, str]:
    """An account invites another (only roles it may manage); audited."""
    check_may_manage(actor, role)
    user, token = create_user(db, email=email, role=role, name=name, hospital_code=hospital_code,
                              association_code=association_code)
    audit.record(db, actor, "user.create", user)
    return user, token


def issue_setup_token(user: User) -> str:
    """A fresh one-time set-up token (stored only as a digest)."""
    token = secrets.token_urlsafe(32)
    user.setup_token_digest = _token_digest(token)
    user.setup_expires_at = utcnow() + timedelta(hours=SETUP_HOURS)
    return token


def user_for_setup_token(db: Session, token: str) -> User | None:
    """The account a set-up link belongs to, if the link is still valid."""
    if not token:
        return None
    user = db.scalar(select(User).where(User.setup_token_digest == _token_digest(token)))
    if user is None or user.setup_expires_at is None or user.setup_expires_at < utcnow() or not user.active:
        return None
    return user


def set_password(user: User, password: str, *, finish: bool = False) -> None:
    """Set a password from a set-up link. The link stays valid for the
    two-factor step unless ``finish`` (accounts without two-factor)."""
    check_password_policy(password, email=user.email)
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    end_sessions(user)
    if finish:
        finish_setup(user)


def finish_setup(user: User) -> None:
    """The set-up link is spent."""
    user.setup_token_digest = None
    user.setup_expires_at = None


def complete_setup(user: User, password: str) -> None:
    """Password set and link spent in one go (demo data, tests)."""
    set_password(user, password, finish=True)


def reset_for_setup(user: User) -> str:
    """A new set-up link for a forgotten password or a new phone: the old
    password and second factor stop working and every session ends."""
    token = issue_setup_token(user)
    user.password_hash = None
    if user.needs_totp:
        user.totp_secret = None
        user.totp_confirmed = False
        user.totp_last_step = None
    end_sessions(user)
    return token


def check_may_manage(actor: User, role: str) -> None:
    """Refuse to invite or reset an account of a role the actor may not manage."""
    access.ensure(access.may_manage(actor, role), _l("You cannot create or reset accounts with this role."),
                  field="role")


def is_locked(user: User, now: datetime | None = None) -> bool:
    """Is the account locked out after failed logins?"""
    return user.locked_until is not None and user.locked_until > (now or utcnow())


def count_failure(user: User) -> None:
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.locked_until = utcnow() + timedelta(minutes=LOCK_MINUTES)
        user.failed_logins = 0


class LoginRefused(ServiceError):
    """Login failed; ``reason`` is for the audit trail. The person always sees
    the same message, so it does not tell which accounts exist or are locked."""

    def __init__(self, reason: str, user: User | None = None):
        messages = {
            "totp": _l("The code from the app is not right. Try again with a new code."),
            "no_totp": _l("Two-factor login is not set up for this account. Ask your lead for a new set-up link."),
        }
        super().__init__(messages.get(reason, _l(
            "Wrong e-mail address or password. After %(tries)d failed tries an account is locked "
            "for %(minutes)d minutes.", tries=MAX_FAILED_LOGINS, minutes=LOCK_MINUTES)))
        self.reason = reason
        self.user = user


def _burn_time(password: str) -> None:
    """Spend the time a real check takes, so refusals all take as long."""
    try:
        _hasher.verify(_DUMMY_HASH, password or "x")
    except VerificationError:
        pass


def authenticate(db: Session, email: str, password: str) -> User:
    """First factor. Raises LoginRefused; counts failures and locks.

    The account row is locked for the check (FOR UPDATE on PostgreSQL;
    SQLite's write transactions are serial), so parallel guesses cannot
    slip past the lock-out or lose a count."""
    user = db.scalar(select(User).where(User.email == normalise_email(email)).with_for_update())
    if user is None or not user.password_hash or not user.active:
        _burn_time(password)
        raise LoginRefused("unknown" if user is None else "inactive", user)
    if is_locked(user):
        _burn_time(password)
        raise LoginRefused("locked", user)
    try:
        _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        count_failure(user)
        raise LoginRefused("locked" if is_locked(user) else "password", user) from None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def login_succeeded(user: User) -> None:
    """Reset the failure count and note the time of the login."""
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()


def end_sessions(user: User) -> None:
    """Every session of the account ends (log-out, password change)."""
    user.session_version += 1


def change_password(user: User, current: str, new: str) -> None:
    """Change the password; every other session of the account ends."""
    try:
        _hasher.verify(user.password_hash or "", current or "")
    except (VerificationError, InvalidHashError):
        raise ServiceError(_l("Your current password is not right."), field="current_password") from None
    check_password_policy(new, email=user.email)
    user.password_hash = hash_password(new)
    end_sessions(user)


def unlock(user: User) -> None:
    """Lift a lock-out."""
    user.failed_logins = 0
    user.locked_until = None


def list_users(db: Session) -> Sequence[User]:
    """Every account, by role and name."""
    return db.scalars(select(User).order_by(User.role, func.lower(User.name))).all()


def associations(db: Session) -> Sequence[Association]:
    """Active local associations by name."""
    return db.scalars(select(Association).where(Association.active.is_(True)).order_by(Association.name)).all()


def counsellors(db: Session) -> Sequence[User]:
    """Active accounts that can hold inquiries."""
    return db.scalars(select(User).where(User.active.is_(True), User.role.in_(access.CASE_WORKERS))
                      .order_by(func.lower(User.name))).all()
