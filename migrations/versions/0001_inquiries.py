"""Hospitals, inquiries, their messages and contact details.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

HOSPITALS = [
    # code, name, remote_only, sort_order
    ("rh", "Rigshospitalet", False, 1),
    ("hgh", "Herlev og Gentofte Hospital", False, 2),
    ("nsh", "Nordsjællands Hospital", False, 3),
    ("ahh", "Amager og Hvidovre Hospital", False, 4),
    ("boh", "Bornholms Hospital", True, 5),
]


def upgrade() -> None:
    hospitals = op.create_table(
        "hospitals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("remote_only", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hospitals")),
        sa.UniqueConstraint("code", name=op.f("uq_hospitals_code")),
    )
    op.create_table(
        "inquiries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("label", sa.String(48), nullable=False),
        sa.Column("receipt_digest", sa.String(64), nullable=True),
        sa.Column("hospital_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("pregnancy_status", sa.String(16), nullable=True),
        sa.Column("child_month", sa.String(7), nullable=True),
        sa.Column("conversation_language", sa.String(8), nullable=True),
        sa.Column("interpreter_needed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["hospital_id"], ["hospitals.id"],
                                name=op.f("fk_inquiries_hospital_id_hospitals")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inquiries")),
        sa.UniqueConstraint("label", name=op.f("uq_inquiries_label")),
        sa.UniqueConstraint("receipt_digest", name=op.f("uq_inquiries_receipt_digest")),
    )
    op.create_index("ix_inquiries_status_created", "inquiries", ["status", "created_at", "id"])
    op.create_index("ix_inquiries_created", "inquiries", ["created_at", "id"])
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inquiry_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["inquiry_id"], ["inquiries.id"], ondelete="CASCADE",
                                name=op.f("fk_messages_inquiry_id_inquiries")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )
    op.create_index(op.f("ix_messages_inquiry_id"), "messages", ["inquiry_id"])
    op.create_table(
        "contact_details",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inquiry_id", sa.Integer(), nullable=False),
        sa.Column("nickname", sa.String(80), nullable=True),
        sa.Column("phone", sa.String(32), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("may_leave_voicemail", sa.Boolean(), nullable=False),
        sa.Column("may_send_text", sa.Boolean(), nullable=False),
        sa.Column("best_times", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erase_after", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["inquiry_id"], ["inquiries.id"], ondelete="CASCADE",
                                name=op.f("fk_contact_details_inquiry_id_inquiries")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_details")),
        sa.UniqueConstraint("inquiry_id", name=op.f("uq_contact_details_inquiry_id")),
    )
    op.bulk_insert(hospitals, [
        {"code": c, "name": n, "active": True, "remote_only": r, "sort_order": s}
        for c, n, r, s in HOSPITALS
    ])


def downgrade() -> None:
    op.drop_table("contact_details")
    op.drop_index(op.f("ix_messages_inquiry_id"), table_name="messages")
    op.drop_table("messages")
    op.drop_index("ix_inquiries_created", table_name="inquiries")
    op.drop_index("ix_inquiries_status_created", table_name="inquiries")
    op.drop_table("inquiries")
    op.drop_table("hospitals")
