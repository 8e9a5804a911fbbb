"""The column type of encrypted text (portal/crypto.py): encrypted when
written, decrypted when read. A column of this type cannot be compared or
sorted in SQL — every ciphertext differs, even of the same text — so those
operators raise a TypeError instead of quietly matching nothing; only
IS NULL / IS NOT NULL remain."""

from __future__ import annotations

import operator
from typing import Any

from sqlalchemy import Text, TypeDecorator
from sqlalchemy.sql import operators

from portal import crypto

_NULL_TESTS = {operators.is_, operators.is_not}


class _NoComparison(Text.Comparator):
    def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
        if op in _NULL_TESTS or (op in (operator.eq, operator.ne) and other and other[0] is None):
            return super().operate(op, *other, **kwargs)
        raise TypeError(f"{self.expr} is encrypted: it cannot be compared, searched or sorted in SQL "
                        f"({getattr(op, '__name__', op)})")

    def reverse_operate(self, op: Any, other: Any, **kwargs: Any) -> Any:
        raise TypeError(f"{self.expr} is encrypted: it cannot be compared, searched or sorted in SQL")

    def asc(self) -> Any:
        raise TypeError(f"{self.expr} is encrypted: it cannot be sorted in SQL")

    def desc(self) -> Any:
        raise TypeError(f"{self.expr} is encrypted: it cannot be sorted in SQL")


class EncryptedText(TypeDecorator):
    """Text sealed with AES-GCM for its place, ``"<table>.<column>"``."""

    impl = Text
    cache_ok = True
    comparator_factory = _NoComparison

    def __init__(self, place: str) -> None:
        super().__init__()
        self.place = place

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return crypto.current_keyring().encrypt(str(value), self.place)

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return crypto.current_keyring().decrypt(value, self.place)

    def process_literal_param(self, value: Any, dialect: Any) -> str:
        raise TypeError(f"{self.place} is encrypted: it cannot be rendered as a literal")

    def __repr__(self) -> str:
        return f"EncryptedText({self.place!r})"
