"""Partial index for the default queue view: open inquiries by age.

Most inquiries are old and closed; without this index "open, oldest first"
walks past every closed row before the first open one.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('new', 'claimed', 'in_progress')")


def upgrade() -> None:
    op.create_index("ix_inquiries_open_created", "inquiries", ["created_at", "id"],
                    postgresql_where=OPEN, sqlite_where=OPEN)


def downgrade() -> None:
    op.drop_index("ix_inquiries_open_created", table_name="inquiries")
