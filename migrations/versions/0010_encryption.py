"""Encryption at rest: the free text, contact details and TOTP secrets
become AES-GCM ciphertexts (portal/crypto.py). The columns widen to Text
(a ciphertext is longer than its plaintext) and the rows already there are
encrypted in batches, under the key the app uses (PORTAL_DATA_KEY, or in
development the key derived from the secret key); downgrade decrypts them
and narrows the columns again.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BATCH = 500

# (table, column, type before this revision, nullable)
COLUMNS = [
    ("messages", "body", sa.Text(), False),
    ("contact_details", "nickname", sa.String(80), True),
    ("contact_details", "phone", sa.String(32), True),
    ("contact_details", "email", sa.String(254), True),
    ("contact_details", "note", sa.Text(), True),
    ("case_notes", "body", sa.Text(), False),
    ("contact_attempts", "note", sa.String(200), True),
    ("inquiries", "feedback_text", sa.String(200), True),
    ("enrollments", "reason", sa.String(300), False),
    ("survey_responses", "free_text", sa.Text(), True),
    ("users", "totp_secret", sa.String(64), True),
    # The lead's reason for sending an activity back: internal, never published.
    ("activities", "review_note", sa.String(1000), True),
]


def _keyring():
    # The one helper taken from the app: the same key derivation, so a
    # development database stays readable after the upgrade.
    from portal.crypto import migration_keyring
    return migration_keyring()


def _narrowed() -> dict[str, list[tuple[str, sa.types.TypeEngine, bool]]]:
    tables: dict[str, list[tuple[str, sa.types.TypeEngine, bool]]] = {}
    for table, column, old_type, nullable in COLUMNS:
        if not isinstance(old_type, sa.Text):
            tables.setdefault(table, []).append((column, old_type, nullable))
    return tables


def _rewrite(table: str, column: str, change) -> None:
    """Apply ``change(keyring, value)`` to every non-null value, in batches by id."""
    bind = op.get_bind()
    t = sa.table(table, sa.column("id", sa.Integer()), sa.column(column, sa.Text()))
    keyring = None
    last = 0
    while True:
        rows = bind.execute(sa.select(t.c.id, t.c[column]).where(t.c.id > last, t.c[column].is_not(None))
                            .order_by(t.c.id).limit(BATCH)).all()
        if not rows:
            return
        keyring = keyring or _keyring()
        updates = [{"row_id": row_id, "value": new} for row_id, value in rows
                   if (new := change(keyring, value, f"{table}.{column}")) != value]
        if updates:
            bind.execute(t.update().where(t.c.id == sa.bindparam("row_id"))
                         .values({column: sa.bindparam("value")}), updates)
        last = rows[-1][0]


def _encrypt(keyring, value: str, place: str) -> str:
    from portal.crypto import is_encrypted
    return value if is_encrypted(value) else keyring.encrypt(value, place)


def _decrypt(keyring, value: str, place: str) -> str:
    from portal.crypto import is_encrypted
    return keyring.decrypt(value, place) if is_encrypted(value) else value


def upgrade() -> None:
    for table, columns in _narrowed().items():
        with op.batch_alter_table(table) as batch:
            for column, old_type, nullable in columns:
                batch.alter_column(column, type_=sa.Text(), existing_type=old_type, existing_nullable=nullable)
    for table, column, _old, _nullable in COLUMNS:
        _rewrite(table, column, _encrypt)


def downgrade() -> None:
    for table, column, _old, _nullable in COLUMNS:
        _rewrite(table, column, _decrypt)
    for table, columns in _narrowed().items():
        with op.batch_alter_table(table) as batch:
            for column, old_type, nullable in columns:
                batch.alter_column(column, type_=old_type, existing_type=sa.Text(), existing_nullable=nullable)
