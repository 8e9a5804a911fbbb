"""Spor 3: associations' contact details; activities, their cancelled
dates, photos and use counts; a case's referral to an activity.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("associations") as batch:
        batch.add_column(sa.Column("municipalities", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("contact_email", sa.String(254), nullable=True))
        batch.add_column(sa.Column("contact_phone", sa.String(32), nullable=True))
        batch.add_column(sa.Column("description", sa.Text(), nullable=True))
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("changed_since_review", sa.Boolean(), nullable=False),
        sa.Column("review_note", sa.String(1000), nullable=True),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("text_language", sa.String(8), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.Column("weekly", sa.Boolean(), nullable=False),
        sa.Column("repeat_until", sa.Date(), nullable=True),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("address", sa.String(200), nullable=True),
        sa.Column("municipality", sa.String(32), nullable=True),
        sa.Column("audiences", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("price_dkk", sa.Integer(), nullable=True),
        sa.Column("join_method", sa.String(16), nullable=False),
        sa.Column("join_contact", sa.String(200), nullable=True),
        sa.Column("places", sa.Integer(), nullable=True),
        sa.Column("accessibility", sa.String(1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["association_id"], ["associations.id"],
                                name=op.f("fk_activities_association_id_associations")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_activities_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
    )
    op.create_index(op.f("ix_activities_association_id"), "activities", ["association_id"])
    op.create_index(op.f("ix_activities_status"), "activities", ["status"])
    op.create_table(
        "activity_cancellations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activities.id"], ondelete="CASCADE",
                                name=op.f("fk_activity_cancellations_activity_id_activities")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_cancellations")),
        sa.UniqueConstraint("activity_id", "on_date", name="uq_activity_cancellations_date"),
    )
    op.create_index(op.f("ix_activity_cancellations_activity_id"), "activity_cancellations", ["activity_id"])
    op.create_table(
        "activity_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("alt_text", sa.String(200), nullable=True),
        sa.ForeignKeyConstraint(["activity_id"], ["activities.id"], ondelete="CASCADE",
                                name=op.f("fk_activity_photos_activity_id_activities")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_photos")),
        sa.UniqueConstraint("activity_id", name=op.f("uq_activity_photos_activity_id")),
    )
    op.create_table(
        "activity_usage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("families", sa.Integer(), nullable=False),
        sa.Column("adults", sa.Integer(), nullable=False),
        sa.Column("children", sa.Integer(), nullable=False),
        sa.Column("via_partnership", sa.Integer(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activities.id"], ondelete="CASCADE",
                                name=op.f("fk_activity_usage_activity_id_activities")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_usage")),
        sa.UniqueConstraint("activity_id", "on_date", name="uq_activity_usage_date"),
    )
    op.create_index(op.f("ix_activity_usage_activity_id"), "activity_usage", ["activity_id"])
    op.create_index(op.f("ix_activity_usage_on_date"), "activity_usage", ["on_date"])
    op.create_table(
        "case_activity_referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("referred_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE",
                                name=op.f("fk_case_activity_referrals_case_id_cases")),
        sa.ForeignKeyConstraint(["activity_id"], ["activities.id"], ondelete="CASCADE",
                                name=op.f("fk_case_activity_referrals_activity_id_activities")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_activity_referrals")),
        sa.UniqueConstraint("case_id", name=op.f("uq_case_activity_referrals_case_id")),
    )
    op.create_index(op.f("ix_case_activity_referrals_activity_id"), "case_activity_referrals", ["activity_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_case_activity_referrals_activity_id"), table_name="case_activity_referrals")
    op.drop_table("case_activity_referrals")
    op.drop_index(op.f("ix_activity_usage_on_date"), table_name="activity_usage")
    op.drop_index(op.f("ix_activity_usage_activity_id"), table_name="activity_usage")
    op.drop_table("activity_usage")
    op.drop_table("activity_photos")
    op.drop_index(op.f("ix_activity_cancellations_activity_id"), table_name="activity_cancellations")
    op.drop_table("activity_cancellations")
    op.drop_index(op.f("ix_activities_status"), table_name="activities")
    op.drop_index(op.f("ix_activities_association_id"), table_name="activities")
    op.drop_table("activities")
    with op.batch_alter_table("associations") as batch:
        batch.drop_column("description")
        batch.drop_column("contact_phone")
        batch.drop_column("contact_email")
        batch.drop_column("municipalities")
