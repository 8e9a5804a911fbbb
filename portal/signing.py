"""itsdangerous' timestamp signer with its keys made once per process.

A signed value is made three times on every public form page (the CSRF
token, the form's start time, the session cookie) and checked as often on
every post. itsdangerous builds a new signer for each, which derives its
key again and sets up a new HMAC. ``QuickSigner`` keeps, per secret key,
salt and method, the HMAC already keyed, and copies it for each value: the
same key derivation, the same signatures, byte for byte (tests/test_signing.py),
each checked in constant time against every key as before."""

from __future__ import annotations

import hmac
import threading

from flask import current_app
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import base64_decode, base64_encode, want_bytes
from itsdangerous.signer import HMACAlgorithm

_MACS: dict[tuple, hmac.HMAC] = {}
_LOCK = threading.Lock()
_MAX = 64  # keys in use at once are a handful; a bound all the same


class QuickSigner(TimestampSigner):
    """``TimestampSigner`` with the keyed HMAC kept (see the module)."""

    def _keyed(self, secret_key: bytes) -> hmac.HMAC | None:
        if type(self.algorithm) is not HMACAlgorithm:
            return None
        digest = self.algorithm.digest_method
        ident = (secret_key, self.salt, self.key_derivation, self.digest_method, digest)
        mac = _MACS.get(ident)
        if mac is None:
            mac = hmac.new(self.derive_key(secret_key), digestmod=digest)
            with _LOCK:
                if len(_MACS) < _MAX:
                    _MACS[ident] = mac
        return mac

    def get_signature(self, value: str | bytes) -> bytes:
        keyed = self._keyed(self.secret_keys[-1])
        if keyed is None:
            return super().get_signature(value)
        mac = keyed.copy()
        mac.update(want_bytes(value))
        return base64_encode(mac.digest())

    def verify_signature(self, value: str | bytes, sig: str | bytes) -> bool:
        if type(self.algorithm) is not HMACAlgorithm:
            return super().verify_signature(value, sig)
        try:
            raw = base64_decode(sig)
        except Exception:  # noqa: BLE001 - as itsdangerous: anything undecodable is a bad signature
            return False
        value = want_bytes(value)
        for secret_key in reversed(self.secret_keys):
            mac = self._keyed(secret_key).copy()  # type: ignore[union-attr]
            mac.update(value)
            if hmac.compare_digest(raw, mac.digest()):
                return True
        return False


def app_serializer(salt: str) -> URLSafeTimedSerializer:
    """A ``URLSafeTimedSerializer`` under the app's secret key with this salt,
    made once per app and key (every public form page signs with it)."""
    key = current_app.config["SECRET_KEY"] or ""
    made = current_app.extensions.setdefault("quick_serializers", {}).get(salt)
    if made is None or made[0] != key:
        made = current_app.extensions["quick_serializers"][salt] = (
            key, URLSafeTimedSerializer(key, salt=salt, signer=QuickSigner))
    return made[1]
