"""Accounts: password policy, set-up links, TOTP, lock-out."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest

from portal.models.base import utcnow
from portal.services import ServiceError, accounts, two_factor


@pytest.mark.parametrize("password", ["kort", "elleve-tegn", "password1234", "Adgangskode123!", "aaaaaaaaaaaaaaaa",
                                      "Sommer2026!!", "mille.hansen-2026"])
def test_password_policy_refuses(password):
    with pytest.raises(ServiceError):
        accounts.check_password_policy(password, email="mille.hansen@test.invalid")


def test_password_policy_accepts_a_long_passphrase():
    accounts.check_password_policy("grøn-cykel-under-broen", email="a@test.invalid")


def test_create_user_and_setup_link(db_session):
    user, token = accounts.create_user(db_session, email=" Ny@Test.INVALID ", role="counsellor", name="Ny")
    assert user.email == "ny@test.invalid"
    assert user.setup_token_digest and token not in user.setup_token_digest
    assert accounts.user_for_setup_token(db_session, token) is user
    accounts.complete_setup(user, "grøn-cykel-under-broen")
    assert user.password_hash.startswith("$argon2")
    assert accounts.user_for_setup_token(db_session, token) is None  # spent


def test_setup_link_expires(db_session):
    user, token = accounts.create_user(db_session, email="gammel@test.invalid", role="lead")
    user.setup_expires_at = utcnow() - timedelta(minutes=1)
    assert accounts.user_for_setup_token(db_session, token) is None


@pytest.mark.parametrize("kwargs", [
    {"email": "not-an-email", "role": "counsellor"},
    {"email": "x@test.invalid", "role": "king"},
    {"email": "x@test.invalid", "role": "referrer"},
    {"email": "x@test.invalid", "role": "association_editor"},
])
def test_create_user_refuses(db_session, kwargs):
    with pytest.raises(ServiceError):
        accounts.create_user(db_session, **kwargs)


def test_duplicate_email_refused(db_session):
    accounts.create_user(db_session, email="dup@test.invalid", role="counsellor")
    with pytest.raises(ServiceError):
        accounts.create_user(db_session, email="DUP@test.invalid", role="lead")


def test_authenticate_locks_after_failures(db_session):
    user, _ = accounts.create_user(db_session, email="l@test.invalid", role="referrer", hospital_code="rh")
    accounts.complete_setup(user, "grøn-cykel-under-broen")
    for _ in range(accounts.MAX_FAILED_LOGINS):
        with pytest.raises(accounts.LoginRefused):
            accounts.authenticate(db_session, "l@test.invalid", "forkert")
    assert accounts.is_locked(user)
    with pytest.raises(accounts.LoginRefused) as refused:
        accounts.authenticate(db_session, "l@test.invalid", "grøn-cykel-under-broen")
    assert refused.value.reason == "locked"
    user.locked_until = utcnow() - timedelta(seconds=1)
    assert accounts.authenticate(db_session, "l@test.invalid", "grøn-cykel-under-broen") is user


def test_unknown_email_is_refused_like_a_wrong_password(db_session):
    with pytest.raises(accounts.LoginRefused) as refused:
        accounts.authenticate(db_session, "nobody@test.invalid", "whatever")
    assert str(refused.value.message) == str(accounts.LoginRefused("password").message)


def test_totp_confirm_and_replay(db_session):
    user, _ = accounts.create_user(db_session, email="t@test.invalid", role="counsellor")
    secret = two_factor.new_totp_secret()
    totp = pyotp.TOTP(secret)
    with pytest.raises(ServiceError):
        two_factor.confirm_totp(user, secret, "123")
    two_factor.confirm_totp(user, secret, totp.now())
    with pytest.raises(accounts.LoginRefused):
        two_factor.verify_totp(db_session, user, totp.now())  # the same step again
    step = user.totp_last_step + 1
    two_factor.verify_totp(db_session, user, totp.at(step * totp.interval))
    assert user.totp_last_step == step


def test_qr_code_is_inline_svg():
    svg = two_factor.totp_qr_svg("otpauth://totp/Test:a@test.invalid?secret=JBSWY3DPEHPK3PXP&issuer=Test")
    assert svg.startswith("<svg") and "http" not in svg.split(">", 1)[0].replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_change_password_bumps_session_version(db_session):
    user, _ = accounts.create_user(db_session, email="c@test.invalid", role="counsellor")
    accounts.complete_setup(user, "grøn-cykel-under-broen")
    version = user.session_version
    with pytest.raises(ServiceError):
        accounts.change_password(user, "forkert", "blå-cykel-over-broen")
    accounts.change_password(user, "grøn-cykel-under-broen", "blå-cykel-over-broen")
    assert user.session_version == version + 1


@pytest.mark.parametrize("digits", ["１２３４５６", "١٢٣٤٥٦", "۱۲۳۴۵۶"])
def test_a_code_in_other_digits_is_a_wrong_code_not_a_crash(db_session, digits):
    user, _ = accounts.create_user(db_session, email="d@test.invalid", role="counsellor")
    secret = two_factor.new_totp_secret()
    two_factor.confirm_totp(user, secret, pyotp.TOTP(secret).now())
    with pytest.raises(ServiceError):
        two_factor.confirm_totp(user, secret, digits)
    with pytest.raises(accounts.LoginRefused):
        two_factor.verify_totp(db_session, user, digits)
    assert user.failed_logins == 1
