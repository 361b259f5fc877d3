"""handoff_requests.client: who asked, for the limit on open requests per client

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # nullable, no default: existing requests keep NULL (they count for no one), and SQLite can ADD COLUMN in place
    op.add_column("handoff_requests", sa.Column("client", sa.String(255)))
    op.create_index("ix_handoff_requests_client", "handoff_requests", ["client"])


def downgrade() -> None:
    op.drop_index("ix_handoff_requests_client", table_name="handoff_requests")
    with op.batch_alter_table("handoff_requests") as batch:  # SQLite before 3.35 cannot DROP COLUMN
        batch.drop_column("client")
