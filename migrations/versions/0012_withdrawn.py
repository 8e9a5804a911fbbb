"""A family may delete their own anonymous question: the inquiry row stays
as a tombstone for the evaluation's counts (kind, hospital, topics, dates),
without its messages or receipt digest, marked with ``withdrawn_at``.

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0012"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inquiries") as batch:
        batch.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inquiries") as batch:
        batch.drop_column("withdrawn_at")
