"""Referrals from hospital staff and sparring: who referred, urgency, first
response and reach, feedback for the referrer, where the family heard of us;
hospitals' status-mail addresses and urgent notice; the digest log.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
OPEN = sa.text("status IN ('new', 'claimed', 'in_progress')")


def upgrade() -> None:
    with op.batch_alter_table("inquiries") as batch:
        batch.add_column(sa.Column("heard_from", sa.String(32), nullable=True))
        batch.add_column(sa.Column("referred_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("first_response_at", TS, nullable=True))
        batch.add_column(sa.Column("reached_at", TS, nullable=True))
        batch.add_column(sa.Column("feedback_code", sa.String(32), nullable=True))
        batch.add_column(sa.Column("feedback_text", sa.String(200), nullable=True))
        batch.add_column(sa.Column("feedback_at", TS, nullable=True))
        batch.create_foreign_key(op.f("fk_inquiries_referred_by_id_users"), "users", ["referred_by_id"], ["id"])
    with op.batch_alter_table("inquiries") as batch:
        batch.alter_column("priority", server_default=None)
    op.create_index("ix_inquiries_open_priority", "inquiries", ["priority", "created_at", "id"],
                    postgresql_where=OPEN, sqlite_where=OPEN)
    op.create_index("ix_inquiries_referred_by", "inquiries", ["referred_by_id", "created_at", "id"])

    with op.batch_alter_table("contact_details") as batch:
        batch.add_column(sa.Column("consent_by", sa.String(16), nullable=False, server_default="family"))
    with op.batch_alter_table("contact_details") as batch:
        batch.alter_column("consent_by", server_default=None)

    with op.batch_alter_table("hospitals") as batch:
        batch.add_column(sa.Column("contact_emails", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("urgent_notice", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("hospitals") as batch:
        batch.alter_column("contact_emails", server_default=None)
        batch.alter_column("urgent_notice", server_default=None)

    op.create_table(
        "digest_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hospital_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("sent_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["hospital_id"], ["hospitals.id"], ondelete="CASCADE",
                                name=op.f("fk_digest_runs_hospital_id_hospitals")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_runs")),
        sa.UniqueConstraint("hospital_id", "month", name=op.f("uq_digest_runs_hospital_id")),
    )


def downgrade() -> None:
    op.drop_table("digest_runs")
    with op.batch_alter_table("hospitals") as batch:
        batch.drop_column("urgent_notice")
        batch.drop_column("contact_emails")
    with op.batch_alter_table("contact_details") as batch:
        batch.drop_column("consent_by")
    op.drop_index("ix_inquiries_referred_by", table_name="inquiries")
    op.drop_index("ix_inquiries_open_priority", table_name="inquiries")
    with op.batch_alter_table("inquiries") as batch:
        batch.drop_constraint(op.f("fk_inquiries_referred_by_id_users"), type_="foreignkey")
        for column in ("feedback_at", "feedback_text", "feedback_code", "reached_at", "first_response_at",
                       "priority", "referred_by_id", "heard_from"):
            batch.drop_column(column)
