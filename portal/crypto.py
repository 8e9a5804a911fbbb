"""Encryption at rest: the free text families and staff write, contact
details and TOTP secrets are stored as AES-256-GCM ciphertexts.

A stored value is text, ``v1:<key id>:<base64url(nonce + ciphertext)>``:
a random 12-byte nonce per value, and as associated data the value's place,
``"<table>.<column>"``, so a ciphertext copied into another column (or
another table) fails to decrypt instead of being read there. The key id
is the first 8 hex digits of the SHA-256 of the key: it says which key a
value was written under, so old keys can still read while
``portal rotate-key`` re-encrypts.

The key is ``PORTAL_DATA_KEY`` (base64 of 32 random bytes); older keys, for
reading only, ``PORTAL_DATA_KEYS_OLD`` (comma-separated). Production refuses
to start without a key; development and the tests derive one from the
secret key (HKDF), so a development database is readable only with the
same secret key.

The keyring belongs to the app (``app.extensions["data_keyring"]``); the
column type finds it through the app context, and outside one (migrations
run by the tests, a script) through the keyring the last app installed, or
one built from the environment.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

log = logging.getLogger(__name__)

VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12
_DERIVE_INFO = b"portal data key v1"


class DecryptionError(ValueError):
    """A stored value that no key of the keyring opens (tampered, moved to
    another column, or written under a key that is no longer configured)."""


def key_id(key: bytes) -> str:
    """The short public name of a key: 8 hex digits of its SHA-256."""
    return hashlib.sha256(key).hexdigest()[:8]


def parse_key(text: str, *, name: str = "PORTAL_DATA_KEY") -> bytes:
    """A key from its base64 text (standard or URL-safe alphabet)."""
    raw = text.strip()
    try:
        key = base64.urlsafe_b64decode(raw.replace("+", "-").replace("/", "_") + "=" * (-len(raw) % 4))
    except (binascii.Error, ValueError):
        raise ValueError(f"{name} is not base64") from None
    if len(key) != KEY_BYTES:
        raise ValueError(f"{name} must be base64 of {KEY_BYTES} bytes, not {len(key)}")
    return key


def generate_key() -> str:
    """A new key as PORTAL_DATA_KEY takes it."""
    return base64.b64encode(os.urandom(KEY_BYTES)).decode("ascii")


def derive_key(secret_key: str) -> bytes:
    """The development/test key: HKDF-SHA256 of the secret key."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=_DERIVE_INFO).derive(
        secret_key.encode("utf-8"))


@dataclass
class Keyring:
    """The current key (writes and reads) and older keys (reads only)."""

    current: bytes
    old: list[bytes] = field(default_factory=list)
    derived: bool = False
    _ciphers: dict[str, AESGCM] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for key in [*self.old, self.current]:   # the current key wins a (theoretical) id clash
            self._ciphers[key_id(key)] = AESGCM(key)

    @property
    def current_id(self) -> str:
        return key_id(self.current)

    def encrypt(self, plaintext: str, place: str) -> str:
        """``plaintext`` sealed for the column ``place`` ("table.column")."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self.current_id].encrypt(nonce, plaintext.encode("utf-8"), place.encode("ascii"))
        return f"{VERSION}:{self.current_id}:{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"

    def decrypt(self, stored: str, place: str) -> str:
        """The plaintext of a stored value; DecryptionError if no key opens it."""
        version, kid, body = _split(stored)
        if version != VERSION:
            raise DecryptionError(f"{place}: unknown format {version!r}")
        cipher = self._ciphers.get(kid)
        if cipher is None:
            raise DecryptionError(f"{place}: written under key {kid}, which is not configured "
                                  "(PORTAL_DATA_KEY, PORTAL_DATA_KEYS_OLD)")
        try:
            raw = base64.urlsafe_b64decode(body)
            return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], place.encode("ascii")).decode("utf-8")
        except (InvalidTag, binascii.Error, ValueError):
            raise DecryptionError(f"{place}: the value does not decrypt (altered, or moved from another column)") \
                from None

    def is_current(self, stored: str) -> bool:
        """Whether a stored value is already under the current key."""
        return is_encrypted(stored) and _split(stored)[1] == self.current_id


def is_encrypted(stored: str) -> bool:
    """Whether a stored value has the ciphertext form (not left in clear)."""
    parts = stored.split(":", 2)
    return len(parts) == 3 and parts[0] == VERSION and len(parts[1]) == 8


def _split(stored: str) -> tuple[str, str, str]:
    parts = stored.split(":", 2)
    if len(parts) != 3:
        raise DecryptionError("not an encrypted value")
    return parts[0], parts[1], parts[2]


def keyring_from_config(config: Mapping) -> Keyring:
    """The keyring of a configuration: DATA_KEY, or derived from SECRET_KEY
    outside production; DATA_KEYS_OLD for reading."""
    old_text = config.get("DATA_KEYS_OLD") or ""
    old_items: Iterable[str] = old_text.split(",") if isinstance(old_text, str) else old_text
    try:
        old = [parse_key(k, name="PORTAL_DATA_KEYS_OLD") for k in old_items if k.strip()]
        current = parse_key(config["DATA_KEY"]) if config.get("DATA_KEY") else None
    except ValueError as err:  # one line for the operator, as the other refusals
        raise RuntimeError(str(err)) from None
    if current is not None:
        return Keyring(current, old)
    if config.get("ENV") == "production" or not config.get("SECRET_KEY"):
        raise RuntimeError("No data key: set PORTAL_DATA_KEY (base64 of 32 bytes)")
    return Keyring(derive_key(config["SECRET_KEY"]), old, derived=True)


# The keyring of the app created last: what the column type uses outside an
# app context (a migration run without the app, a script).
_installed: Keyring | None = None
_told_derived = False


def init_app(app) -> None:
    """Build the app's keyring and make it the fallback outside an app context."""
    global _installed, _told_derived
    keyring = keyring_from_config(app.config)
    app.extensions["data_keyring"] = keyring
    _installed = keyring
    if keyring.derived and not _told_derived:
        _told_derived = True
        app.logger.warning("No PORTAL_DATA_KEY: data at rest is encrypted with a key derived from the "
                           "secret key (key %s); production needs its own key", keyring.current_id)


def current_keyring() -> Keyring:
    """The keyring of the current app, else the last installed one, else one
    from the environment (as the app would build it)."""
    from flask import current_app, has_app_context
    if has_app_context() and "data_keyring" in current_app.extensions:
        return current_app.extensions["data_keyring"]
    if _installed is not None:
        return _installed
    return keyring_from_environment()


def migration_keyring() -> Keyring:
    """The keyring a migration encrypts with: the app's under `portal db
    upgrade`, otherwise the one the app would build from the environment
    (never whichever app a test process happened to create last)."""
    from flask import current_app, has_app_context
    if has_app_context() and "data_keyring" in current_app.extensions:
        return current_app.extensions["data_keyring"]
    return keyring_from_environment()


def keyring_from_environment() -> Keyring:
    """The keyring the app would build from PORTAL_ENV and PORTAL_* variables."""
    from portal import config as config_module
    return keyring_from_config(config_module.load(None))
