"""search ranking index: the columns search ranks candidates by, keyed by customer id, so
the ranking reads one compact index entry per candidate and the full row only for the
page it shows. Plain index operations (no batch), as in 0007.

Revision ID: 0009_search_ranking
Revises: 0008_api
"""

from alembic import op

revision = "0009_search_ranking"
down_revision = "0008_api"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_customer_ranking", "customer", ["id", "merchant_id", "deleted_at", "last_visit_at", "sort_name"]
    )


def downgrade():
    op.drop_index("ix_customer_ranking", table_name="customer")
