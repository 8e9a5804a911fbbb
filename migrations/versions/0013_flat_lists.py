"""Indexes for the lists staff open, so each filter and order of the queue,
the case list and the audit trails walks an index from its first row and
stops after one page, however long the closed history grows.

- the queue of every status ("all") by due time and oldest first with
  urgent first; one status (closed, say) in each of the three orders;
- the case list newest first (opened_on, id): open cases (partial, the few)
  and all, everyone's and one counsellor's.

Revision ID: 0013
Revises: 0009
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None

OPEN_CASE = sa.text("closed_on IS NULL")
INDEXES = (
    ("ix_inquiries_due", "inquiries", ["due_at", "id"], None),
    ("ix_inquiries_priority_created", "inquiries", ["priority", "created_at", "id"], None),
    ("ix_inquiries_status_due", "inquiries", ["status", "due_at", "id"], None),
    ("ix_inquiries_status_priority", "inquiries", ["status", "priority", "created_at", "id"], None),
    ("ix_cases_opened", "cases", ["opened_on", "id"], None),
    ("ix_cases_counsellor_opened", "cases", ["counsellor_id", "opened_on", "id"], None),
    ("ix_cases_open_opened", "cases", ["opened_on", "id"], OPEN_CASE),
    ("ix_cases_open_counsellor", "cases", ["counsellor_id", "opened_on", "id"], OPEN_CASE),
)


def upgrade() -> None:
    for name, table, columns, where in INDEXES:
        op.create_index(name, table, columns, postgresql_where=where, sqlite_where=where)


def downgrade() -> None:
    for name, table, _columns, _where in reversed(INDEXES):
        op.drop_index(name, table_name=table)
