"""Key rotation for encryption at rest (``portal rotate-key``): every stored
ciphertext not yet under the current key is decrypted with the old key it
names and encrypted again under the current one.

The work comes in batches, one table column at a time in id order; the
caller commits after each batch (the service never does), so a long run
holds no long transaction and an interrupted run resumes where it left:
values already under the current key are only counted."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Integer, Text, bindparam, column, func, select, table
from sqlalchemy.orm import Session

from portal.crypto import Keyring, is_encrypted
from portal.models import Base
from portal.models.encrypted import EncryptedText


@dataclass(frozen=True)
class Batch:
    """One batch of one column: rows looked at, and how many were re-encrypted."""

    place: str
    rows: int
    rewritten: int


def encrypted_columns() -> list[tuple[str, str]]:
    """Every (table, column) of the type EncryptedText, in schema order."""
    return [(t.name, c.name) for t in Base.metadata.sorted_tables for c in t.columns
            if isinstance(c.type, EncryptedText)]


def _raw(table_name: str, column_name: str):
    # The stored text as it is, without the column type's decryption.
    return table(table_name, column("id", Integer()), column(column_name, Text()))


def count_values(db: Session) -> dict[str, int]:
    """The number of stored (non-null) values per "table.column"."""
    counts = {}
    for table_name, column_name in encrypted_columns():
        t = _raw(table_name, column_name)
        counts[f"{table_name}.{column_name}"] = db.scalar(
            select(func.count()).select_from(t).where(t.c[column_name].is_not(None))) or 0
    return counts


def rotate(db: Session, keyring: Keyring, *, batch_size: int = 500) -> Iterator[Batch]:
    """Re-encrypt every value under ``keyring``'s current key, yielding after
    each batch so the caller can commit. A value changed by someone else
    between the read and the write is left as they wrote it (the update
    only matches the ciphertext read), and is current already."""
    for table_name, column_name in encrypted_columns():
        place = f"{table_name}.{column_name}"
        t = _raw(table_name, column_name)
        value = t.c[column_name]
        update = (t.update().where(t.c.id == bindparam("row_id"), value == bindparam("old"))
                  .values({column_name: bindparam("new")}))
        last = 0
        while True:
            rows = db.execute(select(t.c.id, value).where(t.c.id > last, value.is_not(None))
                              .order_by(t.c.id).limit(batch_size)).all()
            if not rows:
                break
            changes = [{"row_id": row_id, "old": stored,
                        "new": keyring.encrypt(keyring.decrypt(stored, place) if is_encrypted(stored) else stored,
                                               place)}
                       for row_id, stored in rows if not keyring.is_current(stored)]
            if changes:
                db.execute(update, changes)
            last = rows[-1][0]
            yield Batch(place, len(rows), len(changes))
